import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import type { Target } from '../../src/collect/collect.ts';
import { Mode, runAll, type EngineSession } from '../../src/run/runner.ts';
import { TerminalSession } from '../../src/run/terminal.ts';
import { verdictWords } from '../../src/report/cause-words.ts';

// The runner without Docker: a scripted engine session whose "labs" are plain local bash shells
// in scratch folders. What is under test is the runner's own job: pages in order, N at once,
// events grouped by page, one lab per page disposed after it, and a dying engine.

const dir = mkdtempSync(path.join(tmpdir(), 'curso-runner-'));
function page(name: string, body: string) {
  const file = path.join(dir, name);
  writeFileSync(file, `---\ntitle: ${name}\n---\n\n${body}`);
  return { path: file, display: name };
}
const pages = [
  page('a.md', '```console\n$ sleep 1; echo a\na\n```\n'),
  page('b.md', '```console\n$ echo b\nb\n```\n'),
  page('c.md', '```console\n$ sleep 0.5; echo c\nc\n```\n'),
];

function fakeSession(opts: { failLabFor?: string; onCreateLab?: (file: string) => void } = {}) {
  let open = 0;
  let running = 0;
  // open: labs made and not yet disposed (ready ahead or in use); running: labs a page is using.
  const stats = { maxOpen: 0, maxRunning: 0, created: [] as string[], disposed: 0, sessionDisposed: false };
  const session: EngineSession = {
    describe: {
      engine: { version: 'fake', apiVersion: '1', os: 'fake', host: 'unix:///fake.sock' },
      client: { version: 'fake' },
      label: 'fake',
    },
    images: [],
    lab: { suite: 'forky', recipe: 'fake' },
    readerEngine: () => ({ docker: '28.5.2', buildx: 'x', compose: 'y', suite: 'forky' }),
    imageHint: () => null,
    alive: async () => !opts.failLabFor,
    createLab: async (file) => {
      if (file === opts.failLabFor) throw Object.assign(new Error('connect ECONNREFUSED /fake.sock'), { code: 'ECONNREFUSED' });
      stats.created.push(file);
      opts.onCreateLab?.(file);
      stats.maxOpen = Math.max(stats.maxOpen, ++open);
      const workdir = mkdtempSync(path.join(dir, 'lab-'));
      let used = false;
      return {
        workdir,
        openShell: () => {
          if (!used) stats.maxRunning = Math.max(stats.maxRunning, ++running);
          used = true;
          return TerminalSession.start(
            { file: 'bash', args: ['-c', `cd '${workdir}' && exec bash --noprofile --norc --noediting`], env: {} },
            workdir,
          );
        },
        writeFile: async (file: string, content: string) => {
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, content);
        },
        dispose: async () => {
          open--;
          if (used) running--;
          stats.disposed++;
        },
      };
    },
    dispose: async () => {
      stats.sessionDisposed = true;
    },
  };
  return { session, stats };
}

async function run(jobs: number, fake: ReturnType<typeof fakeSession>, targets: Target[] = pages, mode: Mode = Mode.verify) {
  const events: RunEvent[] = [];
  const report = await runAll({
    targets,
    mode,
    argv: [],
    reporters: [{ onEvent: (e) => void events.push(e) }],
    prepareEngine: async () => fake.session,
    jobs,
  });
  return { report, events };
}

const pageOf = (e: RunEvent) =>
  'file' in e ? e.file : e.type === 'block-end' ? e.result.file : e.type === 'block-start' ? e.block.file : null;

describe('runAll with scripted labs', () => {
  it("runs two pages at once, keeps each page's events together and in page order", async () => {
    const fake = fakeSession();
    const { report, events } = await run(2, fake);
    expect(report.blocks.map((b) => [b.file, b.status])).toEqual([
      ['a.md', 'passed'],
      ['b.md', 'passed'],
      ['c.md', 'passed'],
    ]);
    expect(fake.stats.maxRunning).toBe(2);
    // Beside the two in use, the next page's lab is made ahead (here the only one left).
    expect(fake.stats.maxOpen).toBe(3);
    expect(fake.stats.disposed).toBe(3);
    expect(fake.stats.sessionDisposed).toBe(true);
    const order = events.map(pageOf).filter((f): f is string => !!f);
    // Grouped: once a page's events stop, that page never shows up again.
    expect(order.filter((f, i) => i === 0 || f !== order[i - 1])).toEqual(['a.md', 'b.md', 'c.md']);
    expect(report.run.readerEngine?.docker).toBe('28.5.2');
  }, 60_000);

  it("with one job, runs one page at a time, and makes the next two pages' labs while a page runs", async () => {
    const made: string[] = [];
    const fake = fakeSession({ onCreateLab: (file) => made.push(`lab ${file}`) });
    await runAll({
      targets: pages,
      mode: Mode.verify,
      argv: [],
      reporters: [{ onEvent: (e) => void (e.type === 'page-end' && made.push(`end ${e.file}`)) }],
      prepareEngine: async () => fake.session,
      jobs: 1,
    });
    expect(fake.stats.maxRunning).toBe(1);
    expect(fake.stats.maxOpen).toBe(3);
    // Every lab was made while the first page ran (jobs + 1 ahead); all were disposed.
    expect(made).toEqual(['lab a.md', 'lab b.md', 'lab c.md', 'end a.md', 'end b.md', 'end c.md']);
    expect(fake.stats.disposed).toBe(3);
  }, 60_000);

  it('labs made ahead for pages that never run (a fatal error ended the run) are disposed', async () => {
    const fake = fakeSession({ failLabFor: 'b.md' });
    await run(1, fake);
    // a ran; b's lab failed (the engine is gone); c's lab, made ahead, was removed unused.
    expect(fake.stats.created).toEqual(['a.md', 'c.md']);
    expect(fake.stats.disposed).toBe(2);
  }, 60_000);

  it('an engine that stops answering ends the run with one line saying where, and keeps what was verified', async () => {
    const fake = fakeSession({ failLabFor: 'b.md' });
    const { report } = await run(1, fake);
    expect(report.blocks.map((b) => [b.file, b.status])).toEqual([
      ['a.md', 'passed'],
      ['b.md', 'error'],
      ['c.md', 'error'],
    ]);
    expect(report.run.fatal).toMatch(/^the Docker engine at unix:\/\/\/fake\.sock stopped answering during b\.md/);
    expect(report.blocks[2]!.cause).toEqual({ kind: 'not-run', fatal: report.run.fatal });
    expect(verdictWords(report.blocks[2]!)).toMatch(/^not run: the Docker engine/);
  }, 60_000);
});

describe('a problem in one page is an error of that page, and the run goes on', () => {
  it('page.md:LINE that names no block: an error at that line, no lab for it, the other pages run', async () => {
    const fake = fakeSession();
    const { report, events } = await run(1, fake, [{ ...pages[0]!, line: 99 }, pages[1]!, pages[2]!]);
    expect(report.blocks.map((b) => [b.file, b.line, b.status])).toEqual([
      ['a.md', 99, 'error'],
      ['b.md', 5, 'passed'],
      ['c.md', 5, 'passed'],
    ]);
    expect(report.blocks[0]).toMatchObject({ kind: 'invalid', line: 99, cause: { kind: 'no-block' }, notes: [] });
    expect(verdictWords(report.blocks[0]!)).toBe('no code block at that line');
    expect(report.run.fatal).toBeNull();
    expect(fake.stats.created).toEqual(['b.md', 'c.md']);
    expect(events.filter((e) => e.type === 'page-start').map((e) => e.type === 'page-start' && [e.file, e.blocks])).toEqual([
      ['a.md', 1],
      ['b.md', 1],
      ['c.md', 1],
    ]);
  }, 60_000);

  it('--update on a page that changed while it ran: its drifted block is an error, the file is left alone, the run goes on', async () => {
    const drifted = page('d.md', '```console\n$ echo d\nnot d\n```\n');
    const fake = fakeSession({
      onCreateLab: (file) => file === 'd.md' && appendFileSync(drifted.path, '\nA line the maintainer just wrote.\n'),
    });
    const { report, events } = await run(1, fake, [drifted, pages[1]!], Mode.update);
    expect(report.blocks.map((b) => [b.file, b.status])).toEqual([
      ['d.md', 'error'],
      ['b.md', 'passed'],
    ]);
    expect(report.blocks[0]!.cause).toMatchObject({
      kind: 'not-updated',
      message: expect.stringMatching(/d\.md changed while it was being verified; not updated \(run again\)$/),
    });
    expect(verdictWords(report.blocks[0]!)).toMatch(
      /^not updated: .*d\.md changed while it was being verified; not updated \(run again\)$/,
    );
    expect(report.run.fatal).toBeNull();
    expect(events.some((e) => e.type === 'page-error' && e.file === 'd.md')).toBe(true);
    expect(readFileSync(drifted.path, 'utf8')).toMatch(/not d\n```\n\nA line the maintainer just wrote\.\n$/);
  }, 60_000);

  it("--update writes the new output with the block's indentation (a list item)", async () => {
    const listed = page('e.md', '1. Run:\n\n   ```console\n   $ echo new\n   old\n   ```\n');
    const { report, events } = await run(1, fakeSession(), [listed], Mode.update);
    expect(report.blocks.map((b) => b.status)).toEqual(['failed']);
    expect(events.some((e) => e.type === 'page-updated' && e.steps === 1)).toBe(true);
    expect(readFileSync(listed.path, 'utf8')).toContain('   ```console\n   $ echo new\n   new\n   ```\n');
  }, 60_000);
});
