import posix from 'node:path/posix';
import type { FileBlock } from '../model/plan.ts';
import type { BlockResult, StepResult } from '../model/report.ts';
import type { Cause } from '../model/cause.ts';

// A file block's verdict. Being written proves nothing about a file: the first step that uses
// it does (its build, its `docker compose up`, its `python app.py`), and the file takes that
// step's status. A file no step uses is reported as written only: nothing checked it. Pure.

/** The file block `written` (its write result), judged by the step `step` that used it. */
export function usedResult(written: BlockResult, block: FileBlock, step: StepResult): BlockResult {
  const usedBy = { line: step.line, command: step.command };
  if (step.status === 'passed') {
    return { ...written, status: 'passed', proof: 'used', usedBy, cause: { kind: 'checked-by', line: step.line, command: step.command } };
  }
  const judged = step.status === 'error' ? 'error' : 'failed';
  const at = errorLine(block, step.actual ?? '');
  const cause: Cause = { kind: 'use-failed', line: step.line, command: step.command, judged, at };
  // The step's own notes (a missing image, the lab's limits) say why the file's use failed too.
  return { ...written, status: judged, proof: 'used', usedBy, cause, notes: step.notes };
}

/** A file block no step used: written, not checked (`line`: the line that overwrote or replaced it). */
export function writtenOnlyResult(
  written: BlockResult,
  path: string,
  why: 'unused' | 'overwritten' | 'replaced',
  line: number | null,
): BlockResult {
  return { ...written, proof: 'written', usedBy: null, cause: { kind: 'written-only', path, why, line } };
}

/**
 * Where a build's error points inside this file: BuildKit prints `Dockerfile:2` above the failing
 * instruction and `ERROR: …` below it. Mapped to the page's line (the fence's line + N).
 */
export function errorLine(block: FileBlock, output: string): { line: number; where: string; error: string | null } | null {
  const name = posix.basename(block.writeTo);
  if (name === '') return null;
  const lines = output.split('\n');
  const escaped = RegExp.escape(name);
  const here = new RegExp(`^\\s*(?:\\S*/)?${escaped}:(\\d+)\\s*$`);
  for (const [i, text] of lines.entries()) {
    const m = here.exec(text);
    if (!m) continue;
    const n = Number(m[1]);
    const total = block.code.split('\n').length;
    if (n < 1 || n > total) continue;
    const error =
      lines
        .slice(i + 1)
        .find((l) => /^\s*(?:ERROR|error)\b|failed to solve/.test(l))
        ?.trim() ?? null;
    return { line: block.line + n, where: `${name}:${n}`, error };
  }
  return null;
}
