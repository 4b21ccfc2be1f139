import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { BASE_IMAGES } from '../../src/engine/index.ts';
import { connectEngine } from '../../src/engine/engine.ts';
import { LABEL_PID, LABEL_ROLE } from '../../src/engine/labels.ts';
import { ReportSchema, type BlockResult, type Report } from '../../src/model/report.ts';
import { verdictWords } from '../../src/report/cause-words.ts';
import { fencedBlocks } from './fenced-blocks.ts';

// The harness as a maintainer runs it: the real CLI, a real engine, one lab per page. One run
// over the fixture pages (each page is one scenario of the issue), then assertions on its
// JSON report, JUnit file and exit code; plus separate runs for --update, bad input and Ctrl-C.

const root = path.resolve(import.meta.dirname, '../../..');
const pages = path.join(import.meta.dirname, 'pages');
const endless = path.join(import.meta.dirname, 'endless/forever.md');
const cli = path.join(root, 'verify/src/cli.ts');
const work = mkdtempSync(path.join(tmpdir(), 'curso-verify-test-'));

function verify(args: string[], opts: { cwd?: string } = {}) {
  return execa(process.execPath, [cli, '--no-color', ...args], {
    cwd: opts.cwd ?? root,
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0' },
  });
}

let report: Report;
let exitCode: number | undefined;
let output: string;
let junit: string;
let runPid: number | undefined;

const blocksOf = (file: string): BlockResult[] => report.blocks.filter((b) => b.file.endsWith(`/${file}`));
const statuses = (file: string) => blocksOf(file).map((b) => b.status);

beforeAll(async () => {
  const child = verify([pages, '--report', path.join(work, 'report.json'), '--junit', path.join(work, 'junit.xml')]);
  runPid = child.pid;
  const run = await child;
  exitCode = run.exitCode;
  output = run.all ?? '';
  report = ReportSchema.parse(JSON.parse(readFileSync(path.join(work, 'report.json'), 'utf8')));
  junit = readFileSync(path.join(work, 'junit.xml'), 'utf8');
}, 1_200_000);

describe('verify over the fixture pages (real engine)', () => {
  it('reports every fenced block of every page, with file and fence line', () => {
    expect(report.blocks.length).toBe(fencedBlocks(pages));
    const drift = blocksOf('drift.md')[0]!;
    expect(drift.line).toBe(5);
    expect(report.run.engine?.version).toBeTruthy();
    expect(report.run.images.map((i) => i.ref).sort()).toEqual([...BASE_IMAGES].sort());
  });

  it('passes a page whose documented output holds', () => {
    expect(statuses('pass.md')).toEqual(['passed']);
  });

  it('fails drift with a diff and file:line, and exits 1', () => {
    const [b] = blocksOf('drift.md');
    expect(b!.status).toBe('failed');
    const step = b!.steps[0]!;
    expect(step.actual).toBe('hello world');
    expect(step.diff?.[0]?.rows).toContainEqual(expect.objectContaining({ op: 'missing', text: 'hello mundo' }));
    expect(step.diff?.[0]?.rows).toContainEqual({ op: 'extra', text: 'hello world' });
    expect(output).toMatch(/drift\.md:6/);
    expect(exitCode).toBe(1);
  });

  it('writes titled files and an untitled Dockerfile, then builds and runs the image', () => {
    expect(statuses('build.md')).toEqual(['passed', 'passed', 'passed']);
    // Both files are judged by the build that uses them (the Dockerfile, and what it COPYs).
    expect(
      blocksOf('build.md')
        .slice(0, 2)
        .map((b) => [b.proof, b.usedBy?.line]),
    ).toEqual([
      ['used', 14],
      ['used', 14],
    ]);
  });

  it('binds a documented ID to the real one and uses it in later commands', () => {
    const [b] = blocksOf('ids.md');
    expect(b!.status).toBe('passed');
    const created = b!.steps[0]!.actual!;
    expect(created).toMatch(/^[0-9a-f]{64}$/);
    expect(b!.steps[1]!.ran).toBe(`docker start -a ${created.slice(0, 12)}`);
    expect(b!.steps[1]!.actual).toBe('ID binding works');
  });

  it('drives an interactive docker run -it … bash session through a terminal', () => {
    const [b] = blocksOf('interactive.md');
    expect(b!.status).toBe('passed');
    expect(b!.steps.map((s) => s.promptKind)).toEqual(['host', 'container', 'container', 'host']);
    expect(b!.steps[1]!.actual).toBe('dentro');
  });

  it('reaches a detached server on a published port with curl', () => {
    expect(statuses('server.md')).toEqual(['passed']);
  });

  it('accepts a documented error and its exit status', () => {
    const [b] = blocksOf('error.md');
    expect(b!.status).toBe('passed');
    expect(b!.steps[0]!.exitCode).not.toBe(0);
  });

  it('keeps cwd, variables and containers from block to block', () => {
    expect(statuses('state.md')).toEqual(['passed', 'passed']);
  });

  it('fails a broken Dockerfile at its build, and the Dockerfile itself at its failing line', () => {
    const [file, build] = blocksOf('broken-dockerfile.md');
    expect(build!.status).toBe('failed');
    expect(build!.cause).toMatchObject({ kind: 'exit-status', expected: 'success', actual: expect.any(Number) });
    expect(verdictWords(build!)).toMatch(/exited with status [1-9]/);
    expect(build!.steps[0]!.actual).toMatch(/this-command-does-not-exist/);
    expect(file!.status).toBe('failed');
    expect(file!.usedBy).toEqual({ line: 9, command: 'docker build -t roto .' });
    expect(file!.cause).toMatchObject({
      kind: 'use-failed',
      line: 9,
      command: 'docker build -t roto .',
      judged: 'failed',
      at: { line: 5, where: 'Dockerfile:2' },
    });
    expect(verdictWords(file!)).toMatch(/^line 5: `docker build -t roto \.` \(line 9\) failed here \(Dockerfile:2\)/);
  });

  it('skips display-only and annotated blocks with the reason', () => {
    const b = blocksOf('nonrunnable.md');
    expect(b.map((x) => x.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(b[0]!.cause).toEqual({ kind: 'display', annotated: false, lang: 'php', looksLike: null });
    expect(verdictWords(b[0]!)).toMatch(/display only: a `php` block/);
    expect(b[2]!.cause).toEqual({ kind: 'author-skip', text: 'needs Docker Hub' });
    expect(verdictWords(b[2]!)).toBe('needs Docker Hub');
  });

  it('bind-mounts $PWD into a container', () => {
    expect(statuses('bindmount.md')).toEqual(['passed']);
  });

  it('gives each page a fresh lab: no containers from other pages, only the base images, host /etc untouched', () => {
    expect(statuses('isolation.md')).toEqual(['passed']);
    expect(existsSync('/etc/curso-verify-test')).toBe(false);
  });

  it('writes JUnit XML with the failures', () => {
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(junit);
    const suites: { testcase: { name: string; failure?: { message: string } }[] }[] = doc.testsuites.testsuite;
    expect([doc.testsuites.name, Number(doc.testsuites.tests), Number(doc.testsuites.failures)]).toEqual([
      'curso-verify',
      report.blocks.length,
      report.summary.failed,
    ]);
    const failures = suites.flatMap((s) => s.testcase).filter((c) => c.failure);
    expect(failures.map((c) => c.name)).toEqual(
      report.blocks.filter((b) => b.status === 'failed').map((b) => `${b.file}:${b.line} ${b.title ?? b.lang}`.trim()),
    );
    expect(failures.find((c) => c.name.includes('drift.md'))?.failure?.message).toMatch(/^output differs/);
  });

  it('leaves nothing behind: no labs, no mirror, no run volumes or networks', async () => {
    // Only what that run made (its process id is on every object), whatever else shares the engine.
    const mine = { label: [`${LABEL_PID}=${runPid}`] };
    const engine = await connectEngine({ cacheDir: defaultCacheDir(), log: () => {} });
    const containers = await engine.docker.listContainers({ all: true, filters: mine });
    const volumes = await engine.docker.listVolumes({ filters: mine });
    const networks = await engine.docker.listNetworks({ filters: mine });
    expect(runPid).toBeGreaterThan(0);
    expect(networks.map((n) => n.Name)).toEqual([]);
    expect(containers.map((c) => c.Names)).toEqual([]);
    expect(volumes.Volumes?.map((v) => v.Name) ?? []).toEqual([]);
  });
});

describe('a never-ending command', () => {
  it('is stopped at its timeout and reported, and the page goes on', async () => {
    // A tenth of the usual limits, so `docker events` is stopped after 6 s instead of 60.
    const out = path.join(work, 'forever.json');
    const run = await verify([endless, '--timeout-scale', '0.1', '--report', out]);
    const [events, after] = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).blocks;
    expect(events!.status).toBe('failed');
    expect(events!.cause).toEqual({ kind: 'timeout', seconds: 6 });
    expect(verdictWords(events!)).toMatch(/timed out after 6 s/);
    expect(after!.status).toBe('passed');
    expect(run.exitCode).toBe(1);
  });
});

describe('verify --update', () => {
  it('rewrites only the drifted output, keeps prose, and then the page passes', async () => {
    const page = path.join(work, 'drift.md');
    copyFileSync(path.join(pages, 'drift.md'), page);
    const before = readFileSync(page, 'utf8');
    const run = await verify(['--update', page]);
    expect(run.exitCode).toBe(1);
    const after = readFileSync(page, 'utf8');
    expect(after).toBe(before.replace('hello mundo', 'hello world'));
    expect((await verify([page])).exitCode).toBe(0);
  });

  it('--shell-on-failure opens nothing without a terminal, as in CI', async () => {
    const page = path.join(work, 'drift-shell.md');
    copyFileSync(path.join(pages, 'drift.md'), page);
    const run = await verify(['--shell-on-failure', '--no-snapshot', page]);
    expect(run.exitCode).toBe(1);
    expect(run.all).not.toContain('opening a lab');
  });

  it('--dry-run prints each change labelled cosmetic or meaningful, and writes nothing', async () => {
    const page = path.join(work, 'dry-run.md');
    copyFileSync(path.join(import.meta.dirname, 'update', 'dry-run.md'), page);
    const before = readFileSync(page, 'utf8');
    const run = await verify(['--update', '--dry-run', page]);
    expect(run.exitCode).toBe(1);
    expect(readFileSync(page, 'utf8')).toBe(before);
    const out = run.all ?? '';
    expect(out).toContain('--update would change 2 documented output(s)');
    expect(out).toMatch(/dry-run\.md:7-7 cosmetic\n +- imagen +4\.5 MB\n +\+ imagen +4\.5MB\n/);
    expect(out).toMatch(/dry-run\.md:9-9 meaningful\n +- hola mundo\n +\+ hola, mundo\n/);
  });

  it('keeps a changed error line beside its `...`, and rewrites what follows `^C`', async () => {
    const page = path.join(work, 'error-and-ctrl-c.md');
    copyFileSync(path.join(import.meta.dirname, 'update', 'error-and-ctrl-c.md'), page);
    const before = readFileSync(page, 'utf8');
    expect((await verify(['--update', page])).exitCode).toBe(1);
    const after = readFileSync(page, 'utf8');
    // The error line is documented as it reads now, not reduced to `...` alone; `...` stood for
    // nothing else, so it goes too. After `^C`, the program's new last words.
    expect(after).toBe(
      before
        .replace('cat: /nada: No existe el fichero o el directorio\n...\n', 'cat: /nada: No such file or directory\n')
        .replace('^C\nhasta luego\n', '^C\nadiós\n'),
    );
    expect((await verify([page])).exitCode).toBe(0);
  });
});

describe('bad input', () => {
  it('names the file and line of an unknown annotation and exits 2', async () => {
    const run = await verify([path.join(import.meta.dirname, 'bad/bad-annotation.md')]);
    expect(run.exitCode).toBe(2);
    expect(run.all).toMatch(/bad-annotation\.md:3: unknown annotation `verify-timout`/);
  });

  it('rejects a path that does not exist, with exit 2', async () => {
    const run = await verify(['no/such/page.md']);
    expect(run.exitCode).toBe(2);
    expect(run.all).toMatch(/no\/such\/page\.md: no such file or directory/);
  });

  it('verifies a single block selected by file:line (earlier blocks run as setup)', async () => {
    const run = await verify([`${path.join(pages, 'state.md')}:12`, '--report', path.join(work, 'one.json')]);
    const one = ReportSchema.parse(JSON.parse(readFileSync(path.join(work, 'one.json'), 'utf8')));
    expect(one.blocks.map((b) => [b.line, b.status])).toEqual([[12, 'passed']]);
    expect(run.exitCode).toBe(0);
  });
});

describe('Ctrl-C', () => {
  it('cleans up the lab when interrupted mid-run', async () => {
    const child = execa(process.execPath, [cli, '--no-color', endless], { cwd: root, reject: false, all: true });
    let output = '';
    child.all!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const engine = await connectEngine({ cacheDir: defaultCacheDir(), log: () => {} });
    // Interrupt while `docker events` runs in the page's lab: that run's lab (found by its pid
    // label) shows the process. Polled, however long the engine and the lab take to start.
    const eventsRunning = vi.waitFor(
      async () => {
        const labs = await engine.docker.listContainers({ filters: { label: [`${LABEL_PID}=${child.pid}`, `${LABEL_ROLE}=lab`] } });
        if (labs.length === 0) throw new Error('the run has no lab yet');
        // `docker top`: one row of `ps -ef` columns per process, the command line last.
        const top: { Processes: string[][] } = await engine.docker.getContainer(labs[0]!.Id).top();
        if (!top.Processes.some((p) => p.at(-1)!.startsWith('docker events')))
          throw new Error('`docker events` is not running in the lab yet');
      },
      { timeout: 300_000, interval: 250 },
    );
    await Promise.race([eventsRunning, child.then((r) => Promise.reject(new Error(`the run ended before Ctrl-C: ${r.all}`)))]);
    // Twice, as an impatient user does: the second one while the labs are being removed.
    child.kill('SIGINT');
    await vi.waitFor(() => expect(output).toMatch(/SIGINT: removing run/), { timeout: 10_000, interval: 50 });
    child.kill('SIGINT');
    const res = await child;
    expect(res.exitCode).toBe(130);
    expect(res.all).toMatch(/SIGINT again: still removing the run's containers, please wait/);
    expect(res.all).not.toMatch(/internal error|\n\s+at \S+:\d+/);
    const left = await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_PID}=${child.pid}`] } });
    expect(left.map((c) => c.Names)).toEqual([]);
  });
});
