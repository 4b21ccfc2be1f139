import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { Mode, runAll, type EngineSession } from '../../src/run/runner.ts';
import { TerminalSession } from '../../src/run/terminal.ts';

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

function fakeSession(opts: { failLabFor?: string } = {}) {
  let open = 0;
  const stats = { maxOpen: 0, created: [] as string[], disposed: 0, sessionDisposed: false };
  const session: EngineSession = {
    describe: { engine: { version: 'fake', apiVersion: '1', os: 'fake', host: 'unix:///fake.sock' }, client: { version: 'fake' }, label: 'fake' },
    images: [],
    lab: { suite: 'forky', recipe: 'fake' },
    readerEngine: () => ({ docker: '28.5.2', buildx: 'x', compose: 'y', suite: 'forky' }),
    imageHint: () => null,
    alive: async () => !opts.failLabFor,
    createLab: async (file) => {
      if (file === opts.failLabFor) throw Object.assign(new Error('connect ECONNREFUSED /fake.sock'), { code: 'ECONNREFUSED' });
      stats.created.push(file);
      stats.maxOpen = Math.max(stats.maxOpen, ++open);
      const workdir = mkdtempSync(path.join(dir, 'lab-'));
      return {
        workdir,
        openShell: () => TerminalSession.start({ file: 'bash', args: ['-c', `cd '${workdir}' && exec bash --noprofile --norc --noediting`], env: {} }, workdir),
        writeFile: async (file: string, content: string) => {
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, content);
        },
        dispose: async () => {
          open--;
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

async function run(jobs: number, fake: ReturnType<typeof fakeSession>) {
  const events: RunEvent[] = [];
  const report = await runAll({
    targets: pages,
    mode: Mode.verify,
    argv: [],
    reporters: [{ onEvent: (e) => void events.push(e) }],
    prepareEngine: async () => fake.session,
    jobs,
  });
  return { report, events };
}

const pageOf = (e: RunEvent) => ('file' in e ? e.file : e.type === 'block-end' ? e.result.file : e.type === 'block-start' ? e.block.file : null);

describe('runAll with scripted labs', () => {
  it('runs two pages at once, keeps each page\'s events together and in page order', async () => {
    const fake = fakeSession();
    const { report, events } = await run(2, fake);
    expect(report.blocks.map((b) => [b.file, b.status])).toEqual([['a.md', 'passed'], ['b.md', 'passed'], ['c.md', 'passed']]);
    expect(fake.stats.maxOpen).toBe(2);
    expect(fake.stats.disposed).toBe(3);
    expect(fake.stats.sessionDisposed).toBe(true);
    const order = events.map(pageOf).filter((f): f is string => !!f);
    // Grouped: once a page's events stop, that page never shows up again.
    expect(order.filter((f, i) => i === 0 || f !== order[i - 1])).toEqual(['a.md', 'b.md', 'c.md']);
    expect(report.run.readerEngine?.docker).toBe('28.5.2');
  }, 60_000);

  it('with one job, opens one lab at a time', async () => {
    const fake = fakeSession();
    const { report } = await run(1, fake);
    expect(report.summary.passed).toBe(3);
    expect(fake.stats.maxOpen).toBe(1);
  }, 60_000);

  it('an engine that stops answering ends the run with one line saying where, and keeps what was verified', async () => {
    const fake = fakeSession({ failLabFor: 'b.md' });
    const { report } = await run(1, fake);
    expect(report.blocks.map((b) => [b.file, b.status])).toEqual([['a.md', 'passed'], ['b.md', 'error'], ['c.md', 'error']]);
    expect(report.run.fatal).toMatch(/^the Docker engine at unix:\/\/\/fake\.sock stopped answering during b\.md/);
    expect(report.blocks[2]!.reason).toMatch(/^not run: the Docker engine/);
  }, 60_000);
});
