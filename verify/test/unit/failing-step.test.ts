import { describe, expect, it } from 'vitest';
import { failingStep } from '../../src/cli.ts';
import type { ReportBlock } from '../../src/model/report.ts';
import { report, reportBlock, stepResult } from './results.ts';

// --shell-on-failure opens the lab at the first step that did not hold.
const block = (over: Partial<ReportBlock>) => reportBlock({ file: 'content/p.md', line: 10, ...over });
const step = (line: number, status: ReportBlock['status']) => stepResult({ line, status });

describe('failingStep', () => {
  it('is the first step that did not hold, or for a file block the step that used it', () => {
    expect(failingStep(report([block({}), block({ line: 20, status: 'failed', steps: [step(21, 'passed'), step(23, 'failed')] })]))).toBe(
      'content/p.md:23',
    );
    expect(failingStep(report([block({ kind: 'file', line: 5, status: 'failed', usedBy: { line: 31, command: 'docker build .' } })]))).toBe(
      'content/p.md:31',
    );
  });

  it('is null when everything held, or the first problem is a block that cannot be read', () => {
    expect(failingStep(report([block({})]))).toBeNull();
    expect(failingStep(report([block({ kind: 'invalid', status: 'error' })]))).toBeNull();
  });
});
