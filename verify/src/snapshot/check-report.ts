import pc from 'picocolors';
import { renderDiff } from '../diff/render.ts';
import type { BlockVerdict } from './compare.ts';
import { countVerdicts, Verdict } from './compare.ts';
import { verdictWords } from '../report/cause-words.ts';

/** What `--check` prints: each block that breaks the proof with its diff, then one summary line. */
export function renderCheck(verdicts: readonly BlockVerdict[], snapshotFile: string, color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [`\n${c.bold('Against the snapshot')} ${snapshotFile}:`];
  const bad = verdicts.filter((v) => v.verdict === Verdict.regressed || v.verdict === Verdict.newFailing || v.verdict === Verdict.error);
  for (const { block, verdict } of bad) {
    const what = verdict === Verdict.regressed ? 'regressed' : verdict === Verdict.newFailing ? 'new or changed, does not hold' : 'error';
    out.push(c.red(`  ✗ ${what}: ${block.file}:${block.line}`) + (verdictWords(block) ? ` (${verdictWords(block)})` : ''));
    const step = block.steps.find((s) => s.diff);
    if (step?.diff)
      out.push(
        ...renderDiff(step.diff, { color })
          .split('\n')
          .map((l) => `      ${l}`),
      );
  }
  for (const { block } of verdicts.filter((v) => v.verdict === Verdict.fixed)) {
    out.push(c.green(`  ✓ now holds (refresh the snapshot with npm run verify): ${block.file}:${block.line}`));
  }
  const n = countVerdicts(verdicts);
  out.push(
    `course: ${n.held} held, ${n.regressed} regressed, ${n.new} new, ${n.error} error (${n['new-failing']} new not holding, ${n.known} known failing, ${n.fixed} fixed)`,
  );
  return `${out.join('\n')}\n`;
}
