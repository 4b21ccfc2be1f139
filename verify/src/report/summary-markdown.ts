import type { BlockResult, Report, StepResult } from '../model/report.ts';
import { verdictWords } from './cause-words.ts';

// The nightly's job summary ($GITHUB_STEP_SUMMARY): the counts per engine, then every block that
// did not hold (failed: drift; error: the harness could not judge it), each with a link to its
// line in the commit that ran, and the step that broke. Markdown, pure.

export interface SummaryOptions {
  /** Where a file's lines live, e.g. https://github.com/o/r/blob/<sha>; none: plain file:line. */
  blobUrl?: string;
  /** At most this many failing blocks listed (a summary has a size limit). */
  limit?: number;
  /** Also list every block with its status (a pull request's changed pages), not only those that did not hold. */
  every?: boolean;
}

const MARK = { passed: '✓', failed: '✗', error: '!', skipped: '○' } as const;

export function summaryMarkdown(report: Report, opts: SummaryOptions = {}): string {
  const limit = opts.limit ?? 200;
  const link = (file: string, line: number) => {
    const text = `${file}:${line}`;
    return opts.blobUrl
      ? `[${text}](${opts.blobUrl.replace(/\/$/, '')}/${file.split('/').map(encodeURIComponent).join('/')}#L${line})`
      : text;
  };
  const dockers = [...new Set(report.blocks.map((b) => b.docker ?? report.run.readerEngine?.docker ?? '?'))];
  const s = report.summary;
  const out = [
    `## ${report.run.scope === 'path' ? "The reader's path (lessons in order, one lab per locale)" : 'Course verification'}: ${s.total} blocks, ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped`,
    '',
    "| reader's Docker | passed | failed | errors | skipped | total |",
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const docker of dockers) {
    const bs = report.blocks.filter((b) => (b.docker ?? report.run.readerEngine?.docker ?? '?') === docker);
    const n = (st: BlockResult['status']) => bs.filter((b) => b.status === st).length;
    out.push(`| ${docker} | ${n('passed')} | ${n('failed')} | ${n('error')} | ${n('skipped')} | ${bs.length} |`);
  }
  out.push('');
  if (report.run.fatal) out.push(`**The run could not finish:** ${inline(report.run.fatal)}`, '');
  // The machine failing is not the course drifting: counted on a line of its own.
  const infra = report.blocks.filter((b) => b.cause?.kind === 'infrastructure');
  if (infra.length > 0) {
    const faults = [...new Set(infra.map((b) => (b.cause?.kind === 'infrastructure' ? b.cause.fault : '')))].join(', ');
    out.push(
      `**Not drift: ${infra.length} block(s) could not be verified again because of the infrastructure (${faults}).** Their last verdicts stand on the site, marked "could not be re-verified".`,
      '',
    );
  }
  const bad = report.blocks.filter((b) => b.status === 'failed' || b.status === 'error');
  if (opts.every && report.blocks.length > 0) {
    out.push(`### Every block (${report.blocks.length})`, '');
    for (const b of report.blocks.slice(0, limit)) {
      const why = verdictWords(b);
      out.push(`- ${MARK[b.status]} ${link(b.file, b.line)} ${b.status}${why ? `: ${inline(why)}` : ''}`);
    }
    if (report.blocks.length > limit) out.push(`- … and ${report.blocks.length - limit} more (see the JSON report)`);
    out.push('');
  }
  if (bad.length === 0) {
    out.push(report.run.fatal ? '' : 'Every block that ran held.');
    return `${out.join('\n').trimEnd()}\n`;
  }
  out.push(`### Blocks that did not hold (${bad.length})`, '');
  for (const b of bad.slice(0, limit)) {
    const step = b.steps.find((st) => st.status === b.status);
    const where = b.docker ? ` on Docker ${b.docker}` : '';
    out.push(`- ${MARK[b.status]} ${link(b.file, b.line)} ${b.status}${where}: ${inline(verdictWords(b) ?? b.status)}`);
    if (step) out.push(`  - step ${link(b.file, step.line)} ${code(step.command)}${stepReason(step, b)}`);
  }
  if (bad.length > limit) out.push(`- … and ${bad.length - limit} more (see the JSON and JUnit artifacts)`);
  return `${out.join('\n')}\n`;
}

function stepReason(step: StepResult, b: BlockResult): string {
  const said = verdictWords(step);
  return said && said !== verdictWords(b) ? `: ${inline(said)}` : '';
}

/** One line of text that cannot break the Markdown around it. */
function inline(text: string): string {
  const line = text.split('\n')[0]!.trim();
  const short = line.length > 300 ? `${line.slice(0, 299)}…` : line;
  return short.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** Inline code that survives backticks in the command (a longer fence, CommonMark). */
function code(text: string): string {
  const line = text.split('\n')[0]!;
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}
