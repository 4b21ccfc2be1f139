import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReportSchema, summarize, worst } from '../../src/model/report.ts';
import { toJunit } from '../../src/report/junit-reporter.ts';
import { expectFixture } from './fixtures.ts';

describe('report schema', () => {
  it('the published JSON Schema (verify/docs/report.schema.json) matches the zod schema', () => {
    expectFixture(path.join(import.meta.dirname, '../../docs/report.schema.json'), z.toJSONSchema(ReportSchema));
  });

  it('counts statuses and lets the worst one win', () => {
    expect(summarize([{ status: 'passed' }, { status: 'failed' }, { status: 'skipped' }])).toEqual({
      passed: 1,
      failed: 1,
      skipped: 1,
      error: 0,
      total: 3,
    });
    expect(worst(['passed', 'skipped'])).toBe('passed');
    expect(worst(['passed', 'failed', 'error'])).toBe('error');
    expect(worst(['skipped'])).toBe('skipped');
  });

  it('writes JUnit with a failure, a skip and an error', () => {
    const block = (line: number, status: 'passed' | 'failed' | 'skipped' | 'error') => ({
      file: 'content/a.md', line, digest: 'd', lang: 'console', kind: 'session' as const, title: null, status,
      reason: status === 'passed' ? null : `${status} <because> & so`, durationMs: 1000, steps: [], proof: 'exit-status' as const, usedBy: null,
    });
    const xml = toJunit([block(1, 'passed'), block(5, 'failed'), block(9, 'skipped'), block(12, 'error')], 4000);
    expect(xml).toContain('<testsuite name="content/a.md" tests="4" failures="1" errors="1" skipped="1"');
    expect(xml).toContain('<failure message="failed &lt;because&gt; &amp; so"');
    expect(xml).toContain('<skipped message="skipped &lt;because&gt; &amp; so"');
  });
});
