import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { Mode, runAll, startOrder, type EngineSession } from '../../src/run/runner.ts';
import { replies, ScriptedLab, type Reply, type ScriptedLabOptions } from './scripted-lab.ts';
import { renderDiff } from '../../src/diff/render.ts';
import { verdictWords } from '../../src/report/cause-words.ts';

// runAll over pages on disk, each page in a scripted lab (scripted-lab.ts): no Docker, no
// shell. What is under test is what the run makes of its pages' results: the report and its
// events, --update rewriting a page, and an engine that dies in the middle of a run.

const dir = mkdtempSync(path.join(tmpdir(), 'curso-run-all-'));
let n = 0;
/** A page on disk; its blocks start at line 5, after the frontmatter and a blank line. */
function page(name: string, ...blocks: string[]) {
  const file = path.join(dir, `${n++}-${name}`);
  writeFileSync(file, `---\ntitle: ${name}\n---\n\n${blocks.join('\n\n')}\n`);
  return { path: file, display: name };
}
const fence = (info: string, ...body: string[]) => [`\`\`\`${info}`, ...body, '```'].join('\n');

interface FakeEngine {
  script: Record<string, Reply>;
  lab?: ScriptedLabOptions;
  /** Answers /_ping (asked after a page had failures). */
  alive?: boolean;
  imageHint?: EngineSession['imageHint'];
}

async function runPages(targets: { path: string; display: string }[], fake: FakeEngine, mode: Mode = Mode.verify) {
  const events: RunEvent[] = [];
  const labs: ScriptedLab[] = [];
  const session: EngineSession = {
    describe: {
      engine: { version: 'fake', apiVersion: '1', os: 'fake', host: 'unix:///fake.sock' },
      client: { version: 'fake' },
      label: 'fake',
    },
    images: [],
    lab: { suite: 'forky', recipe: 'fake' },
    readerEngine: () => null,
    imageHint: fake.imageHint ?? (() => null),
    alive: async () => fake.alive ?? true,
    createLab: async () => {
      const lab = new ScriptedLab(replies(fake.script), fake.lab);
      labs.push(lab);
      return Object.assign(lab, { dispose: async () => {} });
    },
    dispose: async () => {},
  };
  const report = await runAll({
    targets,
    mode,
    argv: [],
    reporters: [{ onEvent: (e) => void events.push(e) }],
    prepareEngine: async () => session,
  });
  return { report, events, labs };
}

const rows = (report: Awaited<ReturnType<typeof runPages>>['report']) => report.blocks.map((b) => [b.file, b.line, b.status]);

describe('runAll with scripted labs', () => {
  it('reports drift with its diff, page by page, one lab each', async () => {
    const a = page('a.md', fence('console', '$ echo a', 'a'));
    const b = page('b.md', fence('console', '$ echo b', 'bee'));
    const { report, events, labs } = await runPages([a, b], { script: { 'echo a': { output: 'a' }, 'echo b': { output: 'b' } } });
    expect(rows(report)).toEqual([
      ['a.md', 5, 'passed'],
      ['b.md', 5, 'failed'],
    ]);
    expect(report.summary).toMatchObject({ passed: 1, failed: 1, total: 2 });
    expect(labs.map((l) => l.inputs)).toEqual([['echo a'], ['echo b']]);
    const ended = events.flatMap((e) => (e.type === 'block-end' ? [e.result] : []));
    expect(ended.map((r) => r.steps[0]!.diff && renderDiff(r.steps[0]!.diff, { color: false }))).toEqual([
      null,
      '- documented\n+ actual\n- bee\n+ b',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', report });
  });

  it('--update writes the actual output into the page, and touches no page that held', async () => {
    const a = page('a.md', fence('console', '$ echo a', 'a'));
    const b = page('b.md', fence('console', '$ date +%Y', '1999', '$ echo fin', 'fin'));
    const before = readFileSync(a.path, 'utf8');
    const { events } = await runPages(
      [a, b],
      { script: { 'echo a': { output: 'a' }, 'date +%Y': { output: '2026' }, 'echo fin': { output: 'fin' } } },
      Mode.update,
    );
    expect(readFileSync(b.path, 'utf8')).toBe('---\ntitle: b.md\n---\n\n```console\n$ date +%Y\n2026\n$ echo fin\nfin\n```\n');
    expect(readFileSync(a.path, 'utf8')).toBe(before);
    expect(events.filter((e) => e.type === 'page-updated')).toEqual([{ type: 'page-updated', file: 'b.md', steps: 1 }]);
  });

  it("adds the engine's hint about a missing image to the step and block that failed on it", async () => {
    const a = page('a.md', fence('console', '$ docker run nginx'));
    const { report } = await runPages([a], {
      script: { 'docker run nginx': { exitCode: 125, output: "Unable to find image 'nginx:latest' locally" } },
      imageHint: (out) => (out.includes('nginx') ? { image: 'nginx:latest', standIns: ['busybox:latest'] } : null),
    });
    const missing = { kind: 'missing-image', image: 'nginx:latest', standIns: ['busybox:latest'] };
    const exited = { kind: 'exit-status', expected: 'success', actual: 125 };
    expect(report.blocks[0]!.steps[0]).toMatchObject({ cause: exited, notes: [missing] });
    expect(report.blocks[0]).toMatchObject({ cause: exited, notes: [missing] });
    expect(verdictWords(report.blocks[0]!.steps[0]!)).toBe(
      'exited with status 125 and the page documents no such error; nginx:latest: no registry answers and the harness has no stand-in for it (stand-ins: busybox:latest)',
    );
    expect(verdictWords(report.blocks[0]!)).toMatch(
      /; nginx:latest: no registry answers and the harness has no stand-in for it \(stand-ins: busybox:latest\)$/,
    );
  });
});

describe('runAll: an engine that dies mid-run', () => {
  const pages = () => [
    page('a.md', fence('console', '$ echo a', 'a')),
    page('b.md', fence('console', '$ echo b1', 'b1'), fence('console', '$ echo b2', 'b2'), fence('console', '$ echo b3', 'b3')),
    page('c.md', fence('console', '$ echo c', 'c')),
  ];
  const script = { 'echo a': { output: 'a' }, 'echo b1': { output: 'b1' }, 'echo c': { output: 'c' } };
  /** What was verified before b2 is kept; from b2 on, nothing says anything about the pages. */
  const keptUntilB2 = [
    ['a.md', 5, 'passed'],
    ['b.md', 5, 'passed'],
    ['b.md', 10, 'error'],
    ['b.md', 15, 'error'],
    ['c.md', 5, 'error'],
  ];

  it("when the lab's shell goes and no new one opens: keeps what was verified, says where it struck, runs nothing after", async () => {
    // b2's shell exits under it; the next step needs a new shell, which the dead engine refuses.
    const { report, labs } = await runPages(pages(), {
      script: { ...script, 'echo b2': { endedBy: 'exit' } },
      lab: { openFailsFrom: 2 },
      alive: false,
    });
    expect(rows(report)).toEqual(keptUntilB2);
    const fatal = 'the Docker engine at unix:///fake.sock stopped answering during b.md:15 (it no longer answers /_ping)';
    expect(report.blocks.map((b) => b.cause)).toEqual([
      null,
      null,
      { kind: 'shell-exited' },
      { kind: 'not-run', fatal },
      { kind: 'not-run', fatal },
    ]);
    expect(verdictWords(report.blocks[3]!)).toBe(`not run: ${fatal}`);
    expect(report.run.fatal).toBe(fatal);
    // c's lab was made ahead while b ran (lab-pool.ts); nothing ran in it.
    expect(
      labs.map((l) => l.shellsOpened),
      'no shell for the page after the engine died',
    ).toEqual([1, 2, 0]);
  });

  it('when steps fail and the engine no longer answers: every block from the first failure is an error', async () => {
    const { report } = await runPages(pages(), {
      script: { ...script, 'echo b2': { exitCode: 125, output: 'Cannot connect to the Docker daemon' }, 'echo b3': { exitCode: 125 } },
      alive: false,
    });
    expect(rows(report)).toEqual(keptUntilB2);
    expect(report.blocks[2]!.cause).toEqual({ kind: 'engine-stopped' });
    expect(report.blocks[3]!.cause).toEqual({ kind: 'engine-stopped' });
    expect(verdictWords(report.blocks[2]!)).toBe('not verified: the Docker engine stopped answering');
    expect(report.blocks[4]!.cause).toMatchObject({
      kind: 'not-run',
      fatal: expect.stringMatching(/^the Docker engine at unix:\/\/\/fake\.sock stopped answering during b\.md/),
    });
    expect(verdictWords(report.blocks[4]!)).toMatch(/^not run: the Docker engine at unix:\/\/\/fake\.sock stopped answering during b\.md/);
  });

  it("a lab that dies while the engine still answers: that page's blocks say why in one line, and the next page runs", async () => {
    const killed = { kind: 'lab-died', oomKilled: true, exitCode: 137, memoryGiB: 6 } as const;
    const { report, labs } = await runPages(pages(), {
      script: { ...script, 'echo b2': { endedBy: 'exit' }, 'echo b3': { output: 'b3' } },
      lab: { openFailsFrom: 2, limits: [killed, killed] },
      alive: true,
    });
    expect(rows(report)).toEqual([
      ['a.md', 5, 'passed'],
      ['b.md', 5, 'passed'],
      ['b.md', 10, 'error'],
      ['b.md', 15, 'error'],
      ['c.md', 5, 'passed'],
    ]);
    // The step that saw its shell die says so, with the lab's death beside it; the blocks after, only why.
    expect(report.blocks[2]).toMatchObject({ cause: { kind: 'shell-exited' }, notes: [{ ...killed, since: null }] });
    expect(report.blocks[3]).toMatchObject({ cause: killed, notes: [] });
    expect(verdictWords(report.blocks[3]!)).toBe("the lab's Docker engine was killed: out of memory at the lab's 6 GiB limit");
    expect(report.run.fatal).toBeNull();
    expect(labs).toHaveLength(3);
  });

  it("a lab whose own Docker engine was killed at its memory limit, the lab still running: that page's error, and the next page runs", async () => {
    const oom = { kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096 } as const;
    const { report } = await runPages(pages(), {
      script: { ...script, 'echo b2': { endedBy: 'exit' }, 'echo b3': { output: 'b3' } },
      lab: { openFailsFrom: 2, limits: [oom, oom] },
      alive: true,
    });
    expect(rows(report).map((r) => r[2])).toEqual(['passed', 'passed', 'error', 'error', 'passed']);
    expect(report.blocks[3]).toMatchObject({ cause: { kind: 'not-run', fatal: null }, notes: [{ ...oom, since: null }] });
    expect(report.run.fatal).toBeNull();
  });

  it("the same, when the lab told its limit only once (to the step that failed at it): still that page's error", async () => {
    const oom = { kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096 } as const;
    const { report } = await runPages(pages(), {
      script: { ...script, 'echo b2': { endedBy: 'exit' }, 'echo b3': { output: 'b3' } },
      lab: { openFailsFrom: 2, limits: [oom] },
      alive: true,
    });
    expect(rows(report).map((r) => r[2])).toEqual(['passed', 'passed', 'error', 'error', 'passed']);
    expect(report.blocks[3]).toMatchObject({ cause: { kind: 'not-run', fatal: null }, notes: [{ ...oom, since: null }] });
    expect(report.run.fatal).toBeNull();
  });

  it('a page that fails while the engine still answers is only a failed page', async () => {
    const { report } = await runPages(pages(), {
      script: { ...script, 'echo b2': { exitCode: 1 }, 'echo b3': { output: 'b3' } },
      alive: true,
    });
    expect(rows(report).map((r) => r[2])).toEqual(['passed', 'passed', 'failed', 'passed', 'passed']);
    expect(report.run.fatal).toBeNull();
  });
});

describe('startOrder: the longest pages first', () => {
  it('starts pages never timed first, in course order, then from the longest to the shortest', () => {
    expect(startOrder([1000, null, 5000, 0, 5000, null])).toEqual([1, 5, 2, 4, 0, 3]);
    expect(startOrder([])).toEqual([]);
  });
});
