import { describe, expect, it } from 'vitest';
import type { ReportBlock } from '../../src/model/report.ts';
import { changesSince } from '../../src/watch.ts';
import { reportBlock } from './results.ts';

const b = (line: number, digest: string, status: ReportBlock['status'], cause: ReportBlock['cause'] = null): ReportBlock =>
  reportBlock({ line, digest, status, cause });

describe('--watch: only what changed since the last run', () => {
  it('says nothing of blocks that held and still hold, even moved', () => {
    expect(changesSince([b(3, 'a', 'passed'), b(9, 'b', 'passed')], [b(5, 'a', 'passed'), b(11, 'b', 'passed')])).toEqual([]);
  });

  it('an edited block is the block on the same line; a new one is new; a removed one is gone', () => {
    const drift = { kind: 'output-differs' as const };
    expect(changesSince([b(3, 'a', 'passed'), b(9, 'b', 'passed')], [b(3, 'a2', 'failed', drift), b(12, 'c', 'passed')])).toEqual([
      '✗ p.md:3 passed → failed — output differs from the documented output',
      '✓ p.md:12 passed (new)',
      '- p.md:9 gone',
    ]);
  });

  it('a page saved half-written: its block is an error naming the problem', () => {
    const broken = { kind: 'unreadable' as const, problem: 'p.md:3: unclosed code fence (opened at line 3)' };
    expect(changesSince([b(3, 'a', 'passed')], [b(3, 'a3', 'error', broken)])).toEqual([
      '! p.md:3 passed → error — p.md:3: unclosed code fence (opened at line 3)',
    ]);
  });
});
