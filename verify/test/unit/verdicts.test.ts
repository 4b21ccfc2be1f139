import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { renderDiff } from '../../src/diff/render.ts';
import { Bindings } from '../../src/match/bindings.ts';
import type { BlockResult, StepResult } from '../../src/model/report.ts';
import { errorLine, usedResult, writtenOnlyResult } from '../../src/run/file-verdict.ts';
import { judgeStep } from '../../src/run/judge.ts';
import { stepsOf } from './blocks.ts';
import { causeWords, verdictWords } from '../../src/report/cause-words.ts';
import type { Note } from '../../src/model/cause.ts';
import type { RunOutcome } from '../../src/run/shell.ts';

// Verdicts, pure: a file block takes its user's status; `^C` then output is compared like output.

const page = extractPage(
  'p.md',
  '# T\n\n```dockerfile\nFROM busybox\nRUN this-command-does-not-exist\n```\n\n```console\n$ docker build -t roto .\n```\n',
);
const fileBlock = page.blocks[0];
if (fileBlock?.kind !== 'file') throw new Error("the page's first block should be a file");
const written: BlockResult = {
  file: 'p.md',
  line: 3,
  digest: fileBlock.digest,
  occurrence: fileBlock.occurrence,
  lang: 'dockerfile',
  kind: 'file',
  title: null,
  status: 'passed',
  cause: { kind: 'written', path: '/home/lector/curso/Dockerfile' },
  notes: [],
  durationMs: 5,
  steps: [],
  proof: 'written',
  usedBy: null,
};
const step = (over: Partial<StepResult>): StepResult => ({
  line: 10,
  promptKind: 'host',
  command: 'docker build -t roto .',
  ran: 'docker build -t roto .',
  expected: null,
  actual: '',
  exitCode: 0,
  durationMs: 1,
  status: 'passed',
  cause: null,
  notes: [],
  diff: null,
  proof: 'exit-status',
  ...over,
});

const buildkitFailure = [
  '#5 [2/2] RUN this-command-does-not-exist',
  '#5 0.201 /bin/sh: this-command-does-not-exist: not found',
  '#5 ERROR: process "/bin/sh -c this-command-does-not-exist" did not complete successfully: exit code: 127',
  '------',
  'Dockerfile:2',
  '--------------------',
  '   1 |     FROM busybox',
  '   2 | >>> RUN this-command-does-not-exist',
  '--------------------',
  'ERROR: failed to build: failed to solve: process "/bin/sh -c this-command-does-not-exist" did not complete successfully: exit code: 127',
].join('\n');

describe('file blocks are judged by their use', () => {
  it('a file whose step passed is verified by that step', () => {
    const r = usedResult(written, fileBlock, step({}));
    expect(r).toMatchObject({ status: 'passed', proof: 'used', usedBy: { line: 10, command: 'docker build -t roto .' } });
    expect(r.cause).toEqual({ kind: 'checked-by', line: 10, command: 'docker build -t roto .' });
    expect(verdictWords(r)).toBe('checked by line 10: `docker build -t roto .`');
  });

  it("a Dockerfile that fails to build is failed, with the build error at the file block's line", () => {
    const exited = { kind: 'exit-status', expected: 'success', actual: 1 } as const;
    const r = usedResult(written, fileBlock, step({ status: 'failed', exitCode: 1, actual: buildkitFailure, cause: exited }));
    expect(r.status).toBe('failed');
    expect(r.cause).toMatchObject({
      kind: 'use-failed',
      line: 10,
      command: 'docker build -t roto .',
      judged: 'failed',
      at: { line: 5, where: 'Dockerfile:2' },
    });
    expect(r.cause?.kind === 'use-failed' ? r.cause.at?.error : null).toMatch(/^ERROR: failed to build/);
    expect(verdictWords(r)).toMatch(/^line 5: `docker build -t roto \.` \(line 10\) failed here \(Dockerfile:2\): ERROR: failed to build/);
    expect(errorLine(fileBlock, buildkitFailure)).toMatchObject({ line: 5, where: 'Dockerfile:2' });
  });

  it('without a line in the error, the step and its reason', () => {
    const r = usedResult(
      written,
      fileBlock,
      step({ status: 'failed', actual: 'boom', cause: { kind: 'exit-status', expected: 'success', actual: 1 } }),
    );
    expect(r.cause).toEqual({ kind: 'use-failed', line: 10, command: 'docker build -t roto .', judged: 'failed', at: null });
    expect(verdictWords(r)).toBe('line 10 `docker build -t roto .`, which uses this file, failed');
  });

  it('a step that could not be judged leaves its file unjudged too, and gives it its notes', () => {
    const missing: Note = { kind: 'missing-image', image: 'nope:1', standIns: ['busybox:latest'] };
    const r = usedResult(written, fileBlock, step({ status: 'error', actual: 'boom', cause: { kind: 'shell-exited' }, notes: [missing] }));
    expect(r).toMatchObject({ status: 'error', proof: 'used', cause: { kind: 'use-failed', judged: 'error', at: null }, notes: [missing] });
    expect(causeWords(r.cause!)).toBe('line 10 `docker build -t roto .`, which uses this file, could not be judged');
  });

  it('a file no step uses is written only', () => {
    const r = writtenOnlyResult(written, '/home/lector/curso/Dockerfile', 'unused', null);
    expect(r).toMatchObject({ status: 'passed', proof: 'written', usedBy: null });
    expect(r.cause).toEqual({ kind: 'written-only', path: '/home/lector/curso/Dockerfile', why: 'unused', line: null });
    expect(verdictWords(r)).toBe('written to /home/lector/curso/Dockerfile; written only, not checked: no step of the page uses it');
    const replaced = writtenOnlyResult(written, '/home/lector/curso/Dockerfile', 'replaced', 12);
    expect(verdictWords(replaced)).toMatch(/written only, not checked: replaced by line 12 before any step used it$/);
  });
});

describe('^C then output', () => {
  const [ping] = stepsOf(
    extractPage(
      'p.md',
      '```console\n$ ping localhost\nPING localhost (127.0.0.1) 56(84) bytes of data.\n^C\n--- localhost ping statistics ---\n[..] packets transmitted, [..] received, 0% packet loss[..]\nrtt min/avg/max/mdev = [..]\n```\n',
    ).blocks[0]!,
  );
  const outcome = (after: string | null): RunOutcome => ({
    output: 'PING localhost (127.0.0.1) 56(84) bytes of data.',
    exitCode: 0,
    endedBy: 'host',
    durationMs: 1000,
    cwd: '/home/lector/curso',
    afterInterrupt: after,
  });

  it('compares what the program prints after Ctrl-C like any output', () => {
    const ok = judgeStep(
      ping!,
      'ping localhost',
      outcome(
        '^C\n--- localhost ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1001ms\nrtt min/avg/max/mdev = 0.1/0.1/0.1/0.0 ms',
      ),
      new Bindings(),
      {},
      60_000,
    );
    expect(ok.result.status).toBe('passed');
    expect(ok.result.proof).toBe('output');
  });

  it('fails with a diff under "after ^C" when it differs', () => {
    const bad = judgeStep(ping!, 'ping localhost', outcome('^C'), new Bindings(), {}, 60_000);
    expect(bad.result.status).toBe('failed');
    expect(renderDiff(bad.result.diff ?? [], { color: false })).toMatch(
      /^after \^C:\n- documented\n\+ actual\n- --- localhost ping statistics ---/,
    );
    // As rows: the documented line after `^C` (file line 5) the output lacks.
    expect(bad.result.diff?.[0]?.of).toBe('after-interrupt');
    expect(bad.result.diff?.[0]?.rows[0]).toEqual({ op: 'missing', text: '--- localhost ping statistics ---', expectedLine: 5 });
  });

  it('a step with no documented output proves only its exit status; a background one nothing', () => {
    const [plain] = stepsOf(extractPage('p.md', '```console\n$ true\n```\n').blocks[0]!);
    const o: RunOutcome = { output: '', exitCode: 0, endedBy: 'host', durationMs: 1, cwd: null, afterInterrupt: null };
    expect(judgeStep(plain!, 'true', o, new Bindings(), {}, 1000).result.proof).toBe('exit-status');
    expect(judgeStep(plain!, 'true', o, new Bindings(), { 'verify-background': true }, 1000).result.proof).toBe('none');
  });
});

describe('the exit status against the expected outcome', () => {
  const judge = (md: string, exitCode: number | null, output = '') => {
    const [s] = stepsOf(extractPage('p.md', md).blocks[0]!);
    const o: RunOutcome = { output, exitCode, endedBy: 'host', durationMs: 1, cwd: null, afterInterrupt: null };
    return judgeStep(s!, s!.command, o, new Bindings(), {}, 1000).result;
  };

  it('succeeds: a non-zero exit is drift', () => {
    expect(judge('```console\n$ false\n```\n', 1)).toMatchObject({
      status: 'failed',
      cause: { kind: 'exit-status', expected: 'success', actual: 1 },
    });
    expect(judge('```console\n$ true\n```\n', 0).status).toBe('passed');
  });

  it('as documented: the page shows the error, so a non-zero exit holds', () => {
    expect(judge('```console\n$ ls nope\nls: nope: No such file\n```\n', 2, 'ls: nope: No such file').status).toBe('passed');
  });

  it('verify-fails: exit 0 fails; verify-fails=N: only N holds', () => {
    expect(judge('```console verify-fails\n$ true\n```\n', 0)).toMatchObject({
      status: 'failed',
      cause: { kind: 'exit-status', expected: 'failure', actual: 0 },
    });
    expect(judge('```console verify-fails\n$ false\n```\n', 1).status).toBe('passed');
    expect(judge('```console verify-fails=2\n$ ls nope\n```\n', 2).status).toBe('passed');
    expect(judge('```console verify-fails=2\n$ false\n```\n', 1)).toMatchObject({
      status: 'failed',
      cause: { kind: 'exit-status', expected: 2, actual: 1 },
    });
  });
});
