import { REPORT_SCHEMA_VERSION, type Report, type ReportBlock, type StepResult } from '../../src/model/report.ts';

// Result values for the tests of what reads them (reporters, the watch, --shell-on-failure):
// a passing block or step, with only what a test cares about given.

export const reportBlock = (over: Partial<ReportBlock> = {}): ReportBlock => ({
  file: 'p.md',
  line: 3,
  digest: 'd',
  occurrence: 0,
  lang: 'console',
  kind: 'session',
  title: null,
  status: 'passed',
  cause: null,
  notes: [],
  durationMs: 1,
  steps: [],
  proof: 'output',
  usedBy: null,
  reused: false,
  verifiedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

export const stepResult = (over: Partial<StepResult> = {}): StepResult => ({
  line: 4,
  promptKind: 'host',
  command: 'x',
  ran: 'x',
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

/** A report holding `blocks`, from a run with no engine; `run` overrides that run's fields. */
export const report = (blocks: ReportBlock[], run: Partial<Report['run']> = {}, at = '2026-12-01T00:00:00.000Z'): Report => ({
  schemaVersion: REPORT_SCHEMA_VERSION,
  run: {
    startedAt: at,
    finishedAt: at,
    durationMs: 1,
    mode: 'verify',
    argv: [],
    engine: null,
    client: null,
    images: [],
    fatal: null,
    ...run,
  },
  summary: { passed: 0, failed: 0, skipped: 0, error: 0, total: blocks.length },
  blocks,
});
