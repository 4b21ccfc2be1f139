import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import type { BlockResult } from '../../src/model/report.ts';
import { runPage, type PageRunOptions } from '../../src/run/page-runner.ts';
import { replies, ScriptedLab, type Reply } from './scripted-lab.ts';
import { renderDiff } from '../../src/diff/render.ts';
import { causeWords, verdictWords } from '../../src/report/cause-words.ts';

// runPage without Docker: pages read from Markdown, run in a scripted lab whose shell answers
// what each test says. What is under test is the page runner's own job: what it types where,
// with which limits; when it presses Ctrl-C or Ctrl-D, replaces a shell, writes a file; and the
// verdict each block gets from what the shell answered.

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const fence = (info: string, ...body: string[]) => [`\`\`\`${info}`, ...body, '```'].join('\n');

async function run(source: string, lab: ScriptedLab, opts: PageRunOptions = {}) {
  const ended: BlockResult[] = [];
  const run = await runPage(extractPage('p.md', source), lab, { ...opts, onBlockEnd: (r) => ended.push(r) });
  return { ...run, ended, byLine: (line: number) => run.results.find((r) => r.line === line)! };
}

const scripted = (table: Record<string, Reply>, opts?: ConstructorParameters<typeof ScriptedLab>[1]) =>
  new ScriptedLab(replies(table), opts);

describe('runPage: documented output', () => {
  // Line 3 is the fence; the steps are on lines 4 and 6.
  const page = md('# T', '', fence('console', '$ echo hola', 'hola', '$ echo mundo', 'hello mundo'));

  it('types each step into one shell, in order, and passes output that holds', async () => {
    const lab = scripted({ 'echo hola': { output: 'hola' }, 'echo mundo': { output: 'hello mundo' } });
    const { results, acceptances } = await run(page, lab);
    expect(lab.typed.map((t) => [t.shell, t.input, t.opts.acceptPrompt, t.opts.echoed, t.opts.timeoutMs])).toEqual([
      [1, 'echo hola', false, false, 60_000],
      [1, 'echo mundo', false, false, 60_000],
    ]);
    expect(results.map((r) => [r.line, r.status, r.proof])).toEqual([[3, 'passed', 'output']]);
    expect(acceptances).toEqual([]);
    expect(lab.events.at(-1)).toBe('close 1');
  });

  it('fails drift with a diff, and offers --update the actual lines for the documented ones', async () => {
    const lab = scripted({ 'echo hola': { output: 'hola' }, 'echo mundo': { output: 'hello world' } });
    const { results, acceptances } = await run(page, lab);
    const [block] = results;
    expect(block!.status).toBe('failed');
    expect(block!.cause).toEqual({ kind: 'output-differs' });
    expect(block!.steps.map((s) => s.status)).toEqual(['passed', 'failed']);
    expect(renderDiff(block!.steps[1]!.diff ?? [], { color: false })).toBe('- documented\n+ actual\n- hello mundo\n+ hello world');
    expect(acceptances).toEqual([
      { expected: { lines: ['hello mundo'], startLine: 7, endLine: 7 }, lines: ['hello world'], indent: '', blockLine: 3 },
    ]);
  });

  it('offers --update nothing from blocks run only as setup for page.md:LINE', async () => {
    const two = md(fence('console', '$ echo mundo', 'hello mundo'), '', fence('console', '$ echo hola', 'hola'));
    const lab = scripted({ 'echo mundo': { output: 'hello world' }, 'echo hola': { output: 'hola' } });
    const { results, acceptances } = await run(two, lab, { line: 6 });
    expect(lab.inputs).toEqual(['echo mundo', 'echo hola']);
    expect(results.map((r) => [r.line, r.status])).toEqual([[6, 'passed']]);
    expect(acceptances).toEqual([]);
  });

  it('judges a non-zero exit as drift unless the page shows that very error', async () => {
    const page2 = md(fence('console', '$ false', '$ cat nope', 'cat: nope: No such file or directory'));
    const lab = scripted({ false: { exitCode: 1 }, 'cat nope': { exitCode: 1, output: 'cat: nope: No such file or directory' } });
    const [block] = (await run(page2, lab)).results;
    expect(block!.steps.map((s) => [s.command, s.status, s.cause])).toEqual([
      ['false', 'failed', { kind: 'exit-status', expected: 'success', actual: 1 }],
      ['cat nope', 'passed', null],
    ]);
  });

  it('types a documented ID bound to the real one into later commands', async () => {
    const real = `f00dfacecafe${'0'.repeat(52)}`;
    const page2 = md(
      fence('console', '$ docker create busybox', `a842945e2414${'1'.repeat(52)}`, '$ docker start a842945e2414', 'a842945e2414'),
    );
    const lab = scripted({ 'docker create busybox': { output: real }, 'docker start f00dfacecafe': { output: 'f00dfacecafe' } });
    const [block] = (await run(page2, lab)).results;
    expect(lab.inputs).toEqual(['docker create busybox', 'docker start f00dfacecafe']);
    expect(block!.steps.map((s) => [s.command, s.ran, s.status])).toEqual([
      ['docker create busybox', 'docker create busybox', 'passed'],
      ['docker start a842945e2414', 'docker start f00dfacecafe', 'passed'],
    ]);
  });

  it("on a reader's path, each lesson binds its own documented IDs: one lesson's binding is not the next one's", async () => {
    const documented = `a842945e2414${'1'.repeat(52)}`;
    const first = `f00dfacecafe${'0'.repeat(52)}`;
    const second = `beefbeefbeef${'0'.repeat(52)}`;
    const lesson = (file: string) => extractPage(file, md(fence('console', '$ docker create busybox', documented)));
    const path = { file: 'path', blocks: [...lesson('a.md').blocks, ...lesson('b.md').blocks] };
    const outputs = [first, second];
    const lab = new ScriptedLab(() => ({ output: outputs.shift()! }));
    const { results } = await runPage(path, lab);
    expect(results.map((r) => [r.file, r.status])).toEqual([
      ['a.md', 'passed'],
      ['b.md', 'passed'],
    ]);
  });
});

describe('runPage: time limits', () => {
  it('gives builds the long limit, honours verify-timeout and scales every limit', async () => {
    const page = md(fence('console', '$ docker build -t app .', '$ sleep 1'), '', fence('console verify-timeout=5', '$ sleep 2'));
    const limits = async (timeoutScale?: number) => {
      const lab = new ScriptedLab();
      await run(page, lab, { timeoutScale });
      return lab.typed.map((t) => t.opts.timeoutMs);
    };
    expect(await limits()).toEqual([900_000, 60_000, 5_000]);
    expect(await limits(2)).toEqual([1_800_000, 120_000, 10_000]);
  });

  it('fails a step still running at its limit, presses Ctrl-C, and goes on in the same shell', async () => {
    const page = md(fence('console', '$ docker events', '$ echo next', 'next'));
    const lab = scripted({ 'docker events': { endedBy: 'timeout' }, 'echo next': { output: 'next' } });
    const [block] = (await run(page, lab)).results;
    expect(block!.steps.map((s) => s.status)).toEqual(['failed', 'passed']);
    expect(block!.steps[0]!.cause).toEqual({ kind: 'timeout', seconds: 60 });
    expect(block!.cause).toEqual({ kind: 'timeout', seconds: 60 });
    expect(causeWords(block!.steps[0]!.cause!)).toMatch(/^timed out after 60 s: the command was still running and was stopped with Ctrl-C/);
    expect(lab.events).toEqual(['open 1', 'type 1: docker events', 'ctrl-c 1', 'type 1: echo next', 'close 1']);
  });

  it('replaces a shell that ignores Ctrl-C with a new one in the same directory', async () => {
    const page = md(fence('console', '$ mkdir app && cd app', '$ nano notes.txt', '$ pwd', '/home/lector/curso/app'));
    const lab = scripted(
      {
        'mkdir app && cd app': { cwd: '/home/lector/curso/app' },
        'nano notes.txt': { endedBy: 'timeout' },
        pwd: { output: '/home/lector/curso/app' },
      },
      { interruptWorks: false },
    );
    const [block] = (await run(page, lab)).results;
    expect(block!.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'passed']);
    expect(lab.events).toEqual([
      'open 1',
      'type 1: mkdir app && cd app',
      'type 1: nano notes.txt',
      'ctrl-c 1',
      'close 1',
      'open 2',
      "type 2: cd '/home/lector/curso/app'",
      'type 2: pwd',
      'close 2',
    ]);
  });
});

describe('runPage: ^C', () => {
  const page = md(
    fence(
      'console',
      '$ ping localhost',
      'PING localhost (127.0.0.1) 56(84) bytes of data.',
      '64 bytes from localhost[..]',
      '^C',
      '--- localhost ping statistics ---',
    ),
  );
  const pinging = [
    'PING localhost (127.0.0.1) 56(84) bytes of data.',
    '64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64 time=0.05 ms',
    '64 bytes from localhost (127.0.0.1): icmp_seq=2 ttl=64 time=0.05 ms',
  ];

  it('presses Ctrl-C once the documented output has appeared, and compares what follows it', async () => {
    const lab = scripted({ 'ping localhost': { chunks: pinging, exitCode: 0, afterInterrupt: '^C\n--- localhost ping statistics ---' } });
    const [block] = (await run(page, lab)).results;
    const [typed] = lab.typed;
    expect(typed!.opts.interruptOnTimeoutMs).toBe(15_000);
    // Stopped after the second chunk: the third was never shown.
    expect(block!.steps[0]!.actual).toBe(`${pinging.slice(0, 2).join('\n')}\n^C\n--- localhost ping statistics ---`);
    expect(block!.status).toBe('passed');
  });

  it('fails when the program says other last words', async () => {
    const lab = scripted({ 'ping localhost': { chunks: pinging, afterInterrupt: '^C\nping: interrupted' } });
    const [block] = (await run(page, lab)).results;
    expect(block!.status).toBe('failed');
    expect(renderDiff(block!.steps[0]!.diff ?? [], { color: false })).toMatch(
      /^after \^C:\n- documented\n\+ actual\n- --- localhost ping statistics ---\n\+ ping: interrupted$/,
    );
  });

  it('at the limit, takes what was shown as the output of a step the reader stops anyway', async () => {
    const lab = scripted({
      'ping localhost': {
        output: pinging.slice(0, 2).join('\n'),
        endedBy: 'timeout',
        afterInterrupt: '^C\n--- localhost ping statistics ---',
      },
    });
    const [block] = (await run(page, lab)).results;
    expect(block!.steps[0]).toMatchObject({ status: 'passed', exitCode: 130 });
    expect(lab.events).toContain('ctrl-c 1');
  });
});

describe('runPage: interactive programs', () => {
  // A Python REPL opened by `docker run -it`, then back on the host.
  const page = md(fence('console', '$ docker run -it --rm python:3.13-slim python', '>>> print(1 + 1)', '2', '$ echo back', 'back'));

  it('waits for the >>> prompt, types into it with echo, and leaves it with Ctrl-D for a host prompt', async () => {
    const lab = scripted({
      'docker run -it --rm python:3.13-slim python': { endedBy: 'prompt', output: 'Python 3.13.5' },
      'print(1 + 1)': { endedBy: 'prompt', output: '2' },
      'echo back': { output: 'back' },
    });
    const [block] = (await run(page, lab)).results;
    expect(lab.typed.map((t) => [t.input, t.opts.acceptPrompt, t.opts.echoed])).toEqual([
      ['docker run -it --rm python:3.13-slim python', true, false],
      ['print(1 + 1)', true, true],
      ['echo back', false, false],
    ]);
    expect(lab.events).toEqual([
      'open 1',
      'type 1: docker run -it --rm python:3.13-slim python',
      'type 1: print(1 + 1)',
      'ctrl-d 1',
      'type 1: echo back',
      'close 1',
    ]);
    expect(block!.steps.map((s) => [s.promptKind, s.status])).toEqual([
      ['host', 'passed'],
      ['python', 'passed'],
      ['host', 'passed'],
    ]);
  });

  it('starts a new shell when Ctrl-D does not bring the host shell back', async () => {
    const lab = scripted(
      {
        'docker run -it --rm python:3.13-slim python': { endedBy: 'prompt' },
        'print(1 + 1)': { endedBy: 'prompt', output: '2' },
        'echo back': { output: 'back' },
      },
      { leaveWorks: false },
    );
    await run(page, lab);
    expect(lab.events.slice(3)).toEqual(['ctrl-d 1', 'close 1', 'open 2', 'type 2: echo back', 'close 2']);
  });

  it("never types into a REPL that did not open: the line would run on the reader's machine", async () => {
    const lab = scripted({
      'docker run -it --rm python:3.13-slim python': { exitCode: 125, output: 'docker: Error response from daemon.' },
      'echo back': { output: 'back' },
    });
    const [block] = (await run(page, lab)).results;
    expect(lab.inputs).toEqual(['docker run -it --rm python:3.13-slim python', 'echo back']);
    expect(block!.steps[1]).toMatchObject({ promptKind: 'python', status: 'failed', actual: null });
    expect(block!.steps[1]!.cause).toEqual({ kind: 'session-closed', prompt: '>>>' });
    expect(causeWords(block!.steps[1]!.cause!)).toMatch(/^not typed: this step belongs to an interactive session \(>>>\) that is not open/);
  });
});

describe('runPage: annotations', () => {
  it('verify-background: starts the commands in the background and compares nothing', async () => {
    const page = md(fence('console verify-background', '$ python3 -m http.server 8000', 'Serving HTTP on 0.0.0.0 port 8000'));
    const lab = new ScriptedLab();
    const [block] = (await run(page, lab)).results;
    expect(lab.inputs).toEqual(['{ python3 -m http.server 8000\n} </dev/null >/dev/null 2>&1 &']);
    expect(block).toMatchObject({ status: 'passed', proof: 'none' });
  });

  it('verify-background: a command started in the background uses no file', async () => {
    const page = md('Creamos `app.py`:', '', fence('python', 'print("hola")'), '', fence('console verify-background', '$ python3 app.py'));
    const { results } = await run(page, new ScriptedLab());
    expect(results[0]).toMatchObject({ kind: 'file', status: 'passed', proof: 'written', usedBy: null });
    expect(results[0]!.cause).toEqual({ kind: 'written-only', path: '/home/lector/curso/app.py', why: 'unused', line: null });
    expect(verdictWords(results[0]!)).toBe('written to /home/lector/curso/app.py; written only, not checked: no step of the page uses it');
  });

  it('verify-fails: passes a command that fails, fails one that exits 0', async () => {
    const page = md(fence('console verify-fails', '$ docker start nada'), '', fence('console verify-fails', '$ true'));
    const lab = scripted({ 'docker start nada': { exitCode: 1, output: 'Error response from daemon: No such container: nada' } });
    const { results } = await run(page, lab);
    expect(results.map((r) => [r.status, r.cause])).toEqual([
      ['passed', null],
      ['failed', { kind: 'exit-status', expected: 'failure', actual: 0 }],
    ]);
  });

  it('verify-setup: runs the hidden block first, in the same shell, and reports it like any other', async () => {
    const page = md(fence('console verify-setup', '$ mkdir -p web && cd web'), '', fence('console', '$ pwd', '/home/lector/curso/web'));
    const lab = scripted({ 'mkdir -p web && cd web': { cwd: '/home/lector/curso/web' }, pwd: { output: '/home/lector/curso/web' } });
    const { results } = await run(page, lab);
    expect(lab.typed.map((t) => [t.shell, t.input])).toEqual([
      [1, 'mkdir -p web && cd web'],
      [1, 'pwd'],
    ]);
    expect(results.map((r) => [r.line, r.status])).toEqual([
      [1, 'passed'],
      [5, 'passed'],
    ]);
    // Selected by page.md:LINE, the visible block still gets its setup.
    const again = scripted({ 'mkdir -p web && cd web': { cwd: '/home/lector/curso/web' }, pwd: { output: '/home/lector/curso/web' } });
    expect((await run(page, again, { line: 5 })).results.map((r) => [r.line, r.status])).toEqual([[5, 'passed']]);
    expect(again.inputs).toEqual(['mkdir -p web && cd web', 'pwd']);
  });
});

describe('runPage: file blocks', () => {
  const page = md(
    'Entramos:',
    '',
    fence('console', '$ mkdir app && cd app'),
    '',
    fence('dockerfile', 'FROM busybox', 'CMD ["echo", "hola"]', '', ''),
    '',
    fence('console', '$ docker build -t app .'),
  );

  it("writes a file into the lab, in the shell's directory, before the next step, and judges it by its build", async () => {
    const lab = scripted({ 'mkdir app && cd app': { cwd: '/home/lector/curso/app' } });
    const { results } = await run(page, lab);
    expect(lab.files).toEqual(new Map([['/home/lector/curso/app/Dockerfile', 'FROM busybox\nCMD ["echo", "hola"]\n']]));
    expect(lab.events.indexOf('write /home/lector/curso/app/Dockerfile')).toBeLessThan(lab.events.indexOf('type 1: docker build -t app .'));
    expect(results.map((r) => [r.line, r.kind, r.status, r.proof])).toEqual([
      [3, 'session', 'passed', 'exit-status'],
      [7, 'file', 'passed', 'used'],
      [14, 'session', 'passed', 'exit-status'],
    ]);
    expect(results[1]!.usedBy).toEqual({ line: 15, command: 'docker build -t app .' });
  });

  it('fails a Dockerfile whose build fails', async () => {
    const lab = scripted({
      'mkdir app && cd app': { cwd: '/home/lector/curso/app' },
      'docker build -t app .': { exitCode: 1, output: 'ERROR: failed to build' },
    });
    const { results } = await run(page, lab);
    expect(results.map((r) => r.status)).toEqual(['passed', 'failed', 'failed']);
    expect(results[1]!.cause).toEqual({ kind: 'use-failed', line: 15, command: 'docker build -t app .', judged: 'failed', at: null });
    expect(verdictWords(results[1]!)).toMatch(/^line 15 `docker build -t app \.`, which uses this file, failed/);
  });

  it('reports a file the lab would not take as an error, and goes on', async () => {
    const lab = scripted({}, { writeFails: 'no space left on device' });
    const { results } = await run(page, lab);
    expect(results.map((r) => r.status)).toEqual(['passed', 'error', 'passed']);
    expect(results[1]!.cause).toEqual({ kind: 'write-failed', path: '/home/lector/curso/Dockerfile', message: 'no space left on device' });
    expect(verdictWords(results[1]!)).toBe('could not write /home/lector/curso/Dockerfile in the lab: no space left on device');
  });
});

describe('runPage: a lab that dies', () => {
  const page = md(fence('console', '$ echo uno', 'uno'), '', fence('console', '$ echo dos', 'dos', '$ echo tres', 'tres'));

  it('reports the step whose shell exited as an error, then opens a new shell', async () => {
    const lab = scripted({ 'echo uno': { output: 'uno' }, 'echo dos': { endedBy: 'exit' }, 'echo tres': { output: 'tres' } });
    const { results } = await run(page, lab);
    expect(results[1]!.steps.map((s) => [s.status, s.cause])).toEqual([
      ['error', { kind: 'shell-exited' }],
      ['passed', null],
    ]);
    expect(results[1]).toMatchObject({ status: 'error', cause: { kind: 'shell-exited' } });
    expect(lab.typed.map((t) => [t.shell, t.input])).toEqual([
      [1, 'echo uno'],
      [1, 'echo dos'],
      [2, 'echo tres'],
    ]);
  });

  it('rejects when no new shell opens (the engine is gone), after reporting the blocks it finished', async () => {
    const lab = scripted({ 'echo uno': { output: 'uno' }, 'echo dos': { endedBy: 'exit' } }, { openFailsFrom: 2 });
    const ended: BlockResult[] = [];
    await expect(runPage(extractPage('p.md', page), lab, { onBlockEnd: (r) => ended.push(r) })).rejects.toThrow(/ECONNREFUSED/);
    expect(ended.map((r) => [r.line, r.status])).toEqual([[1, 'passed']]);
  });
});

describe("runPage: the lab's limits", () => {
  // The steps are on lines 4, 5 and 6.
  const page = md('# T', '', fence('console', '$ ok', '$ hog', '$ fork'));

  const oom = { kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096 } as const;
  const forks = { kind: 'lab-limits', oomKills: 0, forkRefusals: 3, memoryGiB: 6, pids: 4096 } as const;

  it('asks only after a failing step, and says since when the event may have happened', async () => {
    const lab = scripted(
      { ok: { output: '' }, hog: { output: 'Killed', exitCode: 137 }, fork: { output: 'fork failed', exitCode: 1 } },
      { limits: [oom, forks] },
    );
    const { results } = await run(page, lab);
    expect(lab.limitsAsked).toBe(2);
    expect(results[0]!.steps.map((s) => s.notes)).toEqual([[], [{ ...oom, since: null }], [{ ...forks, since: 5 }]]);
    // The step keeps its own cause; the limits are a note beside it.
    expect(results[0]!.steps[1]!.cause).toEqual({ kind: 'exit-status', expected: 'success', actual: 137 });
    expect(results[0]!.notes).toEqual([
      { ...oom, since: null },
      { ...forks, since: 5 },
    ]);
    expect(results[0]!.steps.map((s) => verdictWords(s)?.replace(/^.*; /, '') ?? null)).toEqual([
      null,
      "the lab ran out of memory: a process was killed at the lab's limit of 6 GiB (since the page began)",
      'the lab reached its limit of 4096 processes: 3 forks were refused (since line 5)',
    ]);
  });

  it('adds nothing when the lab was within its limits', async () => {
    const lab = scripted({ ok: { output: '' }, hog: { output: 'no', exitCode: 1 }, fork: { output: '' } });
    const { results } = await run(page, lab);
    expect(lab.limitsAsked).toBe(1);
    expect(results[0]!.steps[1]!.notes).toEqual([]);
    expect(results[0]!.notes).toEqual([]);
    expect(verdictWords(results[0]!.steps[1]!)).not.toMatch(/limit|memory/);
  });
});
