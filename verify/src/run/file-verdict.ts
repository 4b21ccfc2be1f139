import posix from 'node:path/posix';
import type { FileBlock } from '../model/plan.ts';
import type { BlockResult, StepResult } from '../model/report.ts';

// A file block's verdict. Being written proves nothing about a file: the first step that uses
// it does (its build, its `docker compose up`, its `python app.py`), and the file takes that
// step's status. A file no step uses is reported as written only: nothing checked it. Pure.

/** The file block `written` (its write result), judged by the step `step` that used it. */
export function usedResult(written: BlockResult, block: FileBlock, step: StepResult): BlockResult {
  const usedBy = { line: step.line, command: step.command };
  const cmd = `\`${firstLine(step.command)}\``;
  if (step.status === 'passed') {
    return { ...written, status: 'passed', proof: 'used', usedBy, reason: `checked by line ${step.line}: ${cmd}` };
  }
  const at = errorLine(block, step.actual ?? '');
  const reason = at
    ? `${block.file}:${at.line}: ${cmd} (line ${step.line}) failed here (${at.where})${at.error ? `: ${at.error}` : ''}`
    : `line ${step.line} ${cmd}, which uses this file, ${step.status === 'error' ? 'could not be judged' : 'failed'}: ${step.reason ?? step.status}`;
  return { ...written, status: step.status, proof: 'used', usedBy, reason };
}

/** A file block no step used: written, not checked. */
export function writtenOnlyResult(written: BlockResult, why: string): BlockResult {
  return { ...written, proof: 'written', usedBy: null, reason: `${written.reason}; written only, not checked: ${why}` };
}

/**
 * Where a build's error points inside this file: BuildKit prints `Dockerfile:2` above the failing
 * instruction and `ERROR: …` below it. Mapped to the page's line (the fence's line + N).
 */
export function errorLine(block: FileBlock, output: string): { line: number; where: string; error: string | null } | null {
  const name = posix.basename(block.writeTo);
  if (name === '') return null;
  const lines = output.split('\n');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const here = new RegExp(`^\\s*(?:\\S*/)?${escaped}:(\\d+)\\s*$`);
  for (const [i, text] of lines.entries()) {
    const m = here.exec(text);
    if (!m) continue;
    const n = Number(m[1]);
    const total = block.code.split('\n').length;
    if (n < 1 || n > total) continue;
    const error = lines.slice(i + 1).find((l) => /^\s*(?:ERROR|error)\b|failed to solve/.test(l))?.trim() ?? null;
    return { line: block.line + n, where: `${name}:${n}`, error };
  }
  return null;
}

function firstLine(command: string): string {
  const [first, ...more] = command.split('\n');
  return more.length > 0 ? `${first} …` : first!;
}
