import { describe, expect, it } from 'vitest';
import type { Report, ReportBlock as BlockResult, StepResult } from '../../src/model/report.ts';
import { TerminalReporter } from '../../src/report/terminal-reporter.ts';
import { reportBlock, stepResult } from './results.ts';

// The terminal says what each pass proves: output verified, ran with no documented output, a
// file checked by the step that used it, a file written only.

const step = (proof: StepResult['proof']): StepResult =>
  stepResult({ command: 'true', ran: 'true', expected: proof === 'output' ? 'x' : null, actual: 'x', proof });
const block = (line: number, over: Partial<BlockResult>): BlockResult =>
  reportBlock({ line, durationMs: 0, verifiedAt: '2026-11-23T06:10:00.000Z', ...over });

function render(blocks: BlockResult[]): string {
  let out = '';
  const r = new TerminalReporter({ color: false, write: (s) => (out += s) });
  for (const result of blocks) r.onBlockEnd({ type: 'block-end', result });
  const report = { run: { durationMs: 1000, fatal: null }, blocks } as unknown as Report;
  r.onRunEnd({ type: 'run-end', report });
  return out;
}

describe('terminal reporter', () => {
  it('tells apart output verified, ran without documented output, used and written-only files', () => {
    const out = render([
      block(1, { steps: [step('output')] }),
      block(3, { steps: [step('exit-status')], proof: 'exit-status' }),
      block(6, { steps: [step('output'), step('exit-status')] }),
      block(9, {
        kind: 'file',
        lang: 'dockerfile',
        proof: 'used',
        usedBy: { line: 20, command: 'docker build .' },
        cause: { kind: 'checked-by', line: 20, command: 'docker build .' },
      }),
      block(14, {
        kind: 'file',
        lang: 'text',
        title: 'notas.txt',
        proof: 'written',
        cause: { kind: 'written-only', path: '/home/lector/curso/notas.txt', why: 'unused', line: null },
      }),
    ]);
    expect(out).toContain('✓ p.md:1 console 1 step\n');
    expect(out).toContain('✓ p.md:3 console 1 step — ran, output not documented');
    expect(out).toContain('✓ p.md:6 console 2 steps — 1 of 2 steps ran, output not documented');
    expect(out).toContain('✓ p.md:9 dockerfile — checked by line 20: `docker build .`');
    expect(out).toContain(
      '○ p.md:14 text notas.txt — written to /home/lector/curso/notas.txt; written only, not checked: no step of the page uses it',
    );
    expect(out).toContain(
      'Passed: 2 output verified, 1 ran, output not documented, 1 file checked by the step that uses it, 1 file written only, not checked',
    );
  });

  it('marks a reused block with the date it was really verified, and counts reused blocks', () => {
    const out = render([
      block(1, { steps: [step('output')], reused: true, verifiedAt: '2026-11-23T06:10:00.000Z', durationMs: 1200 }),
      block(5, { steps: [step('output')], durationMs: 1200 }),
    ]);
    expect(out).toMatch(/✓ p\.md:1 console 1 step reused \(verified 23 Nov( 2026)?\)\n/);
    expect(out).toContain('✓ p.md:5 console 1 step 1.2s\n');
    expect(out).toContain('Reused: 1 of 2 blocks');
  });
});

describe('terminal reporter: diffs', () => {
  const failed = block(1, {
    status: 'failed',
    cause: { kind: 'output-differs' },
    notes: [{ kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096, since: null }],
    steps: [
      {
        ...step('output'),
        status: 'failed',
        cause: { kind: 'output-differs' },
        actual: 'hello world',
        notes: [{ kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096, since: null }],
        diff: [
          {
            of: 'output',
            rows: [
              { op: 'missing', text: 'hello mundo', expectedLine: 3 },
              { op: 'extra', text: 'hello world' },
              { op: 'same', text: 'bye', expectedLine: 4 },
            ],
          },
        ],
      },
    ],
  });

  it("renders a failed step's diff rows under it", () => {
    expect(render([failed])).toContain('    - documented\n    + actual\n    - hello mundo\n    + hello world\n      bye\n');
  });

  it('says why a block and its step failed, the cause and then the notes, in words', () => {
    const out = render([failed]);
    const why =
      "output differs from the documented output; the lab ran out of memory: a process was killed at the lab's limit of 6 GiB (since the page began)";
    expect(out).toContain(`✗ p.md:1 console 1 step — ${why}\n`);
    expect(out).toContain(`✗ FAILED p.md:1 — ${why}\n`);
    expect(out).toContain(`  p.md:4 $ true\n  ${why} (exit 0)\n`);
  });

  it('colours each row by what it is: missing red, extra green, holding dim', () => {
    let out = '';
    const r = new TerminalReporter({ color: true, write: (s) => (out += s) });
    r.onRunEnd({ type: 'run-end', report: { run: { durationMs: 1, fatal: null }, blocks: [failed] } as unknown as Report });
    expect(out).toContain('\x1b[31m- hello mundo\x1b[39m');
    expect(out).toContain('\x1b[32m+ hello world\x1b[39m');
    expect(out).toContain('\x1b[2m  bye\x1b[22m');
  });
});
