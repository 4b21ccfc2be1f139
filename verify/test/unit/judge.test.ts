import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { Bindings } from '../../src/match/bindings.ts';
import { judgeStep } from '../../src/run/judge.ts';
import type { RunOutcome } from '../../src/run/shell.ts';
import { stepsOf } from './blocks.ts';
import { renderDiff } from '../../src/diff/render.ts';
import { causeWords } from '../../src/report/cause-words.ts';

// judgeStep, outcome by outcome: a step read from a Markdown block, and what the terminal
// scripted here says happened to it. No shell, no engine.

/** The verdict on the first step of the block `info` + `lines`, given how the step ended. */
function judge(info: string, lines: string[], outcome: Partial<RunOutcome>, timeoutMs = 60_000) {
  const [block] = extractPage('p.md', `\`\`\`${info}\n${lines.join('\n')}\n\`\`\`\n`).blocks;
  const step = stepsOf(block)[0]!;
  const full: RunOutcome = {
    output: '',
    exitCode: 0,
    endedBy: 'host',
    durationMs: 1,
    cwd: '/home/lector/curso',
    afterInterrupt: null,
    ...outcome,
  };
  return judgeStep(step, step.command, full, new Bindings(), block!.annotations, timeoutMs);
}
const verdict = (j: ReturnType<typeof judge>) => [j.result.status, j.result.cause];

describe('judgeStep', () => {
  const hello = ['$ echo hola', 'hola'];

  it('passes output that holds, and says the output proves it', () => {
    const j = judge('console', hello, { output: 'hola\n' });
    expect(verdict(j)).toEqual(['passed', null]);
    expect(j.result.proof).toBe('output');
    expect(j.comparison?.alignment.ok).toBe(true);
  });

  it('fails drift with the diff, and keeps the comparison for --update', () => {
    const j = judge('console', hello, { output: 'adiós' });
    expect(verdict(j)).toEqual(['failed', { kind: 'output-differs' }]);
    expect(j.result.notes).toEqual([]);
    expect(renderDiff(j.result.diff ?? [], { color: false })).toBe('- documented\n+ actual\n- hola\n+ adiós');
    expect(j.comparison?.actual).toEqual(['adiós']);
  });

  it('fails a step stopped at its limit, naming the limit and the ways out', () => {
    const j = judge('console', ['$ docker events'], { endedBy: 'timeout', exitCode: null }, 5_000);
    expect(verdict(j)).toEqual(['failed', { kind: 'timeout', seconds: 5 }]);
    expect(causeWords(j.result.cause!)).toMatch(/^timed out after 5 s: .*verify-timeout=N.*verify-background.*`\^C`/);
  });

  it('calls a shell that exited under the step an error, not drift', () => {
    expect(verdict(judge('console', hello, { endedBy: 'exit', exitCode: null }))).toEqual(['error', { kind: 'shell-exited' }]);
  });

  it('fails a non-zero exit the page does not show', () => {
    expect(verdict(judge('console', ['$ false'], { exitCode: 2 }))).toEqual([
      'failed',
      { kind: 'exit-status', expected: 'success', actual: 2 },
    ]);
  });

  it('passes a non-zero exit whose error the page shows, and not one hidden behind an elision', () => {
    const shown = ['$ cat nada', 'cat: nada: No such file or directory'];
    expect(verdict(judge('console', shown, { exitCode: 1, output: 'cat: nada: No such file or directory' }))).toEqual(['passed', null]);
    expect(judge('console', ['$ cat nada', '...'], { exitCode: 1, output: 'cat: nada: No such file or directory' }).result.status).toBe(
      'failed',
    );
  });

  it('passes the exit status of a step the reader stops with ^C', () => {
    const j = judge('console', ['$ ping localhost', 'PING localhost[..]', '^C'], {
      exitCode: 130,
      output: 'PING localhost (127.0.0.1)',
      afterInterrupt: '^C',
    });
    expect(verdict(j)).toEqual(['passed', null]);
  });

  it('verify-fails: wants a non-zero exit, and the documented output still counts', () => {
    expect(verdict(judge('console verify-fails', ['$ false'], { exitCode: 1 }))).toEqual(['passed', null]);
    expect(verdict(judge('console verify-fails', ['$ true'], { exitCode: 0 }))).toEqual([
      'failed',
      { kind: 'exit-status', expected: 'failure', actual: 0 },
    ]);
    expect(verdict(judge('console verify-fails=2', ['$ false'], { exitCode: 1 }))).toEqual([
      'failed',
      { kind: 'exit-status', expected: 2, actual: 1 },
    ]);
    expect(judge('console verify-fails', ['$ false', 'no'], { exitCode: 1, output: 'yes' }).result.cause).toEqual({
      kind: 'output-differs',
    });
  });

  it('verify-background: compares no output and proves nothing', () => {
    const j = judge('console verify-background', ['$ python3 -m http.server', 'Serving HTTP'], { output: 'something else' });
    expect(verdict(j)).toEqual(['passed', null]);
    expect(j.result.proof).toBe('none');
    expect(j.comparison).toBeNull();
  });

  it('judges a step ended by an interactive prompt on its output alone', () => {
    const j = judge('console', ['$ docker run -it debian:trixie bash', 'Unable to find image[..]', 'root@1dbc76e3acdb:/# exit'], {
      endedBy: 'prompt',
      exitCode: null,
      output: "Unable to find image 'debian:trixie' locally",
    });
    expect(verdict(j)).toEqual(['passed', null]);
    expect(j.result.exitCode).toBeNull();
  });
});
