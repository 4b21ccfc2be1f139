import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coursePlace, CourseError } from '../../src/collect/course.ts';
import { arrivalImages, pageUnit, PathError, pathUnits } from '../../src/collect/units.ts';
import type { LabRequest } from '../../src/collect/units.ts';
import { Mode, runAll, type EngineSession } from '../../src/run/runner.ts';
import { compareToSnapshot } from '../../src/snapshot/compare.ts';
import { mergePathResults } from '../../src/snapshot/merge.ts';
import type { Snapshot } from '../../src/snapshot/model.ts';
import { replies, ScriptedLab, type Reply } from './scripted-lab.ts';
import { extractPage } from '../../src/extract/markdown.ts';
import { earlierCause, explainOnPath } from '../../src/run/path-blame.ts';
import { verdictWords } from '../../src/report/cause-words.ts';
import { report as reportOf } from './results.ts';
import { SNAPSHOT_SCHEMA_VERSION } from '../../src/snapshot/model.ts';
import type { Cause, Note } from '../../src/model/cause.ts';

const extractPageForTest = (file: string, body: string) => extractPage(file, `${body}\n`);

// The reader's path (`--path`): a course folder with its order in course.json, a locale's
// lessons joined in that order without their verify-setup blocks, one lab for all of them, and
// each lesson's own lab holding the images the lessons before it pulled.

const fence = (info: string, ...body: string[]) => [`\`\`\`${info}`, ...body, '```'].join('\n');

function course(lessons: Record<string, string>, order: string[], en: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'curso-path-'));
  writeFileSync(path.join(root, 'course.json'), JSON.stringify({ groups: [{ label: 'Uno', items: order }] }));
  mkdirSync(path.join(root, 'en'));
  const write = (dir: string, files: Record<string, string>) => {
    for (const [slug, body] of Object.entries(files)) writeFileSync(path.join(dir, `${slug}.md`), `---\ntitle: ${slug}\n---\n\n${body}\n`);
  };
  write(root, lessons);
  write(path.join(root, 'en'), en);
  return root;
}

describe('the course order', () => {
  it('places a page in its locale and order, the English twins under en/', () => {
    const root = course({ a: 'x', b: 'y' }, ['a', 'b'], { a: 'x', b: 'y' });
    expect(coursePlace(path.join(root, 'b.md'))).toMatchObject({ root, locale: '', index: 1 });
    expect(coursePlace(path.join(root, 'en', 'a.md'))).toMatchObject({ root, locale: 'en', index: 0 });
    expect(coursePlace(path.join(tmpdir(), 'nowhere.md'))).toBeNull();
  });

  it('names course.json when it is broken', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'curso-path-'));
    writeFileSync(path.join(root, 'course.json'), '{"groups": [{"label": "x", "items": ["Bad Name.md"]}]}');
    writeFileSync(path.join(root, 'a.md'), 'x');
    expect(() => coursePlace(path.join(root, 'a.md'))).toThrow(CourseError);
    expect(() => coursePlace(path.join(root, 'a.md'))).toThrow(/course\.json: groups\.0\.items\.0: a lesson is its file name/);
  });
});

describe('a lesson run alone starts as the reader arrives', () => {
  it('holds the official images the earlier lessons run or build from, not those only in prose or setup', () => {
    const root = course(
      {
        a: `Mentions python:3.13-slim only in prose.\n\n${fence('console', '$ docker run busybox echo hola', 'hola')}`,
        b: `${fence('console verify-setup', '$ docker pull mariadb:11.8')}\n\n${fence('dockerfile title="Dockerfile"', 'FROM debian:trixie')}`,
        c: fence('console', '$ docker images'),
      },
      ['a', 'b', 'c'],
    );
    expect(arrivalImages(coursePlace(path.join(root, 'a.md'))!)).toEqual([]);
    expect(arrivalImages(coursePlace(path.join(root, 'c.md'))!)).toEqual(['busybox:latest', 'debian:trixie']);
    expect(pageUnit({ path: path.join(root, 'c.md'), display: 'c.md' }).lab).toEqual({ images: ['busybox:latest', 'debian:trixie'] });
    // A page outside any course keeps the labs' base images.
    const lone = path.join(mkdtempSync(path.join(tmpdir(), 'curso-lone-')), 'p.md');
    writeFileSync(lone, 'x');
    expect(pageUnit({ path: lone, display: 'p.md' }).lab).toEqual({});
  });
});

describe('the path of a locale', () => {
  it('joins the lessons in course order, without verify-setup blocks, in one lab on disk with no images', () => {
    const root = course(
      {
        b: fence('console', '$ echo b', 'b'),
        a: `${fence('console verify-setup', '$ echo setup')}\n\n${fence('console', '$ echo a', 'a')}`,
      },
      ['a', 'b'],
      { a: fence('console', '$ echo a', 'a'), b: fence('console', '$ echo b', 'b') },
    );
    const { units, notes } = pathUnits([{ path: path.join(root, 'b.md'), display: 'b.md' }], root);
    expect(notes).toEqual([]);
    expect(units).toHaveLength(1);
    expect(units[0]!.page.blocks.map((b) => [b.file, b.code])).toEqual([
      ['a.md', '$ echo a\na'],
      ['b.md', '$ echo b\nb'],
    ]);
    expect(units[0]!.lab).toEqual({ images: [], storage: 'disk' });
    expect(units[0]!.path).toBe(true);
    // Both locales when both are named; a lesson listed but missing is a note, not a crash.
    const both = pathUnits(
      [
        { path: path.join(root, 'a.md'), display: 'a.md' },
        { path: path.join(root, 'en', 'a.md'), display: 'en/a.md' },
      ],
      root,
    );
    expect(both.units.map((u) => u.target.display)).toEqual(["./ (reader's path)", "en/ (reader's path)"]);
  });

  it('refuses a page outside any course, naming it', () => {
    const lone = path.join(mkdtempSync(path.join(tmpdir(), 'curso-lone-')), 'p.md');
    writeFileSync(lone, 'x');
    expect(() => pathUnits([{ path: lone, display: 'p.md' }], tmpdir())).toThrow(PathError);
  });

  it('runs every lesson in one shell, so state carries from one lesson to the next', async () => {
    const root = course(
      { a: fence('console', '$ docker run -d --name web busybox'), b: fence('console', '$ docker ps --format {{.Names}}', 'web') },
      ['a', 'b'],
    );
    const { units } = pathUnits([{ path: path.join(root, 'a.md'), display: 'a.md' }], root);
    const script: Record<string, Reply> = {
      'docker run -d --name web busybox': { output: '' },
      'docker ps --format {{.Names}}': { output: 'web' },
    };
    const labs: { request: LabRequest | undefined; lab: ScriptedLab }[] = [];
    const session: EngineSession = {
      describe: { engine: null, client: null, label: 'fake' },
      images: [],
      lab: null,
      readerEngine: () => null,
      imageHint: () => null,
      alive: async () => true,
      createLab: async (_page, request) => {
        const lab = new ScriptedLab(replies(script));
        labs.push({ request, lab });
        return Object.assign(lab, { dispose: async () => {} });
      },
      dispose: async () => {},
    };
    const report = await runAll({
      targets: [],
      units,
      scope: 'path',
      mode: Mode.verify,
      argv: [],
      reporters: [],
      prepareEngine: async () => session,
    });
    expect(report.blocks.map((b) => [b.file, b.status])).toEqual([
      ['a.md', 'passed'],
      ['b.md', 'passed'],
    ]);
    expect(report.run.scope).toBe('path');
    expect(labs).toHaveLength(1);
    expect(labs[0]!.request).toEqual({ images: [], storage: 'disk' });
    expect(labs[0]!.lab.inputs).toEqual(['docker run -d --name web busybox', 'docker ps --format {{.Names}}']);
  });
});

describe('path results in the snapshot', () => {
  const at = '2026-12-07T00:00:00.000Z';
  const entry = (file: string, digest: string, status: 'passed' | 'failed') => ({
    file,
    line: 5,
    digest,
    occurrence: 0,
    status,
    cause: null,
    notes: [],
    proof: 'output' as const,
    verifiedAt: at,
    docker: '28.5.2',
    standIns: [],
  });
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    updatedAt: at,
    readerEngine: null,
    images: [],
    blocks: [entry('a.md', 'd1', 'passed'), entry('b.md', 'd2', 'passed')],
  };
  const block = (file: string, digest: string, status: 'passed' | 'failed' | 'error') => ({
    file,
    line: 5,
    digest,
    occurrence: 0,
    lang: 'console',
    kind: 'session' as const,
    title: null,
    status,
    cause: (status === 'failed' ? { kind: 'output-differs' } : null) as Cause | null,
    notes: [] as Note[],
    durationMs: 1,
    steps: [],
    proof: 'output' as const,
    usedBy: null,
    reused: false,
    verifiedAt: at,
  });
  const report = (blocks: ReturnType<typeof block>[]) =>
    reportOf(blocks, { scope: 'path', readerEngine: { docker: '28.5.2', buildx: 'v0.29', compose: '2.40', suite: 'forky' } }, at);

  it("records each block's path result beside its own, and names blocks whose page never ran alone", () => {
    const { snapshot: after, unknown } = mergePathResults(snapshot, report([block('a.md', 'd1', 'failed'), block('c.md', 'd3', 'passed')]));
    expect(after.blocks[0]).toMatchObject({
      status: 'passed',
      path: { status: 'failed', cause: { kind: 'output-differs' }, notes: [], docker: '28.5.2' },
    });
    expect(after.blocks[0]).toMatchObject({ cause: null, notes: [] });
    expect(after.blocks[1]!.path).toBeUndefined();
    expect(unknown.map((b) => b.file)).toEqual(['c.md']);
  });

  it('--check --path compares with the path results: a block that held on the path and fails now regressed', () => {
    const recorded = mergePathResults(snapshot, report([block('a.md', 'd1', 'passed'), block('b.md', 'd2', 'failed')])).snapshot;
    const verdicts = compareToSnapshot(recorded, report([block('a.md', 'd1', 'failed'), block('b.md', 'd2', 'failed')]));
    expect(verdicts.map((v) => v.verdict)).toEqual(['regressed', 'known']);
  });
});

describe('a block that fails only on the path names the lesson that left the state', () => {
  const lesson = (file: string, ...body: string[]) => extractPageForTest(file, body.join('\n'));
  it('names the earlier lesson whose container shows in the error or the extra lines', () => {
    const earlier = lesson(
      'run-avanzado.md',
      fence('console', '$ docker run -d --name servidor -p 127.0.0.1:1234:1234 python:3.13-slim python -m http.server 1234', '[..]'),
    );
    const own = lesson('ciclo-de-vida.md', fence('console', '$ docker create --name servidor python:3.13-slim'));
    const failed = {
      file: 'ciclo-de-vida.md',
      line: 1,
      digest: 'x',
      occurrence: 0,
      lang: 'console',
      kind: 'session' as const,
      title: null,
      status: 'failed' as const,
      cause: { kind: 'output-differs' } as Cause | null,
      notes: [] as Note[],
      durationMs: 1,
      proof: 'output' as const,
      usedBy: null,
      steps: [
        {
          line: 2,
          promptKind: 'host' as const,
          command: 'docker create --name servidor python:3.13-slim',
          ran: 'docker create --name servidor python:3.13-slim',
          expected: null,
          exitCode: 125,
          durationMs: 1,
          status: 'failed' as const,
          cause: null,
          notes: [],
          proof: 'output' as const,
          actual: 'docker: Error response from daemon: Conflict. The container name "/servidor" is already in use by container "abc".',
          diff: null,
        },
      ],
    };
    // `servidor` is created by the failing block itself, not before it in its own lesson: the earlier lesson is named.
    expect(earlierCause(failed, [...earlier.blocks])).toEqual({ name: 'servidor', file: 'run-avanzado.md', line: 2 });
    const explained = explainOnPath([...earlier.blocks], failed);
    expect(explained).toMatchObject({
      cause: { kind: 'output-differs' },
      notes: [{ kind: 'left-by-earlier-lesson', name: 'servidor', file: 'run-avanzado.md', line: 2 }],
    });
    expect(verdictWords(explained)).toBe(
      'output differs from the documented output; on the reader\'s path, "servidor" was left by an earlier lesson (run-avanzado.md:2)',
    );
    // A block with nothing to blame on an earlier lesson is left as it was.
    expect(explainOnPath([], failed)).toBe(failed);
    // A name the failing block's own lesson created before it is that lesson's business.
    expect(earlierCause(failed, [...earlier.blocks, ...own.blocks])).toBeNull();
    // A block that passed needs no word.
    expect(earlierCause({ ...failed, status: 'passed' }, [...earlier.blocks])).toBeNull();
  });
});
