import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReportSchema, summarize, worst } from '../../src/model/report.ts';
import type { Cause } from '../../src/model/cause.ts';
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
    // Causes whose words hold what XML must escape.
    const causes: Record<'passed' | 'failed' | 'skipped' | 'error', Cause | null> = {
      passed: null,
      failed: { kind: 'use-failed', line: 3, command: 'cat <because> & so', judged: 'failed', at: null },
      skipped: { kind: 'author-skip', text: 'skipped <because> & so' },
      error: { kind: 'unreadable', problem: 'error <because> & so' },
    };
    const block = (line: number, status: 'passed' | 'failed' | 'skipped' | 'error') => ({
      file: 'content/a.md',
      line,
      digest: 'd',
      occurrence: 0,
      lang: 'console',
      kind: 'session' as const,
      title: null,
      status,
      cause: causes[status],
      notes: [],
      durationMs: 1000,
      steps: [],
      proof: 'exit-status' as const,
      usedBy: null,
    });
    const xml = toJunit([block(1, 'passed'), block(5, 'failed'), block(9, 'skipped'), block(12, 'error')], 4000);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect([suite.name, suite.tests, suite.failures, suite.errors, suite.skipped]).toEqual(['content/a.md', '4', '1', '1', '1']);
    const cases: { name: string; failure?: { message: string }; error?: { message: string }; skipped?: { message: string } }[] =
      suite.testcase;
    expect(cases.map((c) => c.name)).toEqual([
      'content/a.md:1 console',
      'content/a.md:5 console',
      'content/a.md:9 console',
      'content/a.md:12 console',
    ]);
    // Causes come back in words, as written: the XML escapes what it must.
    expect(cases.map((c) => [c.failure?.message, c.error?.message, c.skipped?.message])).toEqual([
      [undefined, undefined, undefined],
      ['line 3 `cat <because> & so`, which uses this file, failed', undefined, undefined],
      [undefined, undefined, 'skipped <because> & so'],
      [undefined, 'error <because> & so', undefined],
    ]);
  });

  it("writes a failed step's diff rows into its JUnit failure as text", () => {
    const failed = {
      file: 'content/a.md',
      line: 5,
      digest: 'd',
      occurrence: 0,
      lang: 'console',
      kind: 'session' as const,
      title: null,
      status: 'failed' as const,
      cause: { kind: 'output-differs' as const },
      notes: [],
      durationMs: 1,
      proof: 'output' as const,
      usedBy: null,
      steps: [
        {
          line: 6,
          promptKind: 'host' as const,
          command: 'echo hi',
          ran: 'echo hi',
          expected: 'hola',
          actual: 'hi',
          exitCode: 0,
          durationMs: 1,
          status: 'failed' as const,
          cause: { kind: 'output-differs' as const },
          proof: 'output' as const,
          notes: [{ kind: 'missing-image' as const, image: 'hola:1', standIns: ['busybox:latest'] }],
          diff: [
            {
              of: 'output' as const,
              rows: [
                { op: 'missing' as const, text: 'hola', expectedLine: 7 },
                { op: 'extra' as const, text: 'hi' },
              ],
            },
          ],
        },
      ],
    };
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(toJunit([failed], 1));
    expect(doc.testsuites.testsuite.testcase.failure['#text']).toBe(
      'content/a.md:6 $ echo hi\noutput differs from the documented output; hola:1: no registry answers and the harness has no stand-in for it (stand-ins: busybox:latest)\n- documented\n+ actual\n- hola\n+ hi',
    );
    expect(doc.testsuites.testsuite.testcase.failure.message).toBe('output differs from the documented output');
  });
});
