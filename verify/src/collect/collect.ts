import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// Turns command-line targets into the Markdown files to verify: files or folders anywhere on
// disk, and `page.md:42` to select the block whose fence contains line 42.

export interface Target {
  /** Absolute path of the Markdown file. */
  path: string;
  /** As shown in reports: relative to the working directory when inside it. */
  display: string;
  line?: number;
}

export class TargetError extends Error {}

const MARKDOWN = /\.(md|mdx|markdown)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', '.astro', '.cache']);

export function collectTargets(args: string[], cwd: string): Target[] {
  const targets: Target[] = [];
  for (const arg of args) {
    const m = /^(.*?):(\d+)$/.exec(arg);
    const file = path.resolve(cwd, m ? m[1]! : arg);
    const line = m ? Number(m[2]) : undefined;
    let stat;
    try {
      stat = statSync(file);
    } catch {
      throw new TargetError(`${arg}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      if (line !== undefined) throw new TargetError(`${arg}: a line number needs a file, not a folder`);
      const found = walk(file);
      if (found.length === 0) throw new TargetError(`${arg}: no Markdown files (*.md, *.mdx) in this folder`);
      targets.push(...found.map((f) => ({ path: f, display: display(f, cwd) })));
    } else {
      if (!MARKDOWN.test(file)) throw new TargetError(`${arg}: not a Markdown file (*.md, *.mdx)`);
      targets.push({ path: file, display: display(file, cwd), line });
    }
  }
  // The same page named twice runs once (the whole page wins over a single line).
  const byPath = new Map<string, Target>();
  for (const t of targets) {
    const prev = byPath.get(t.path);
    if (!prev || t.line === undefined) byPath.set(t.path, t);
  }
  return [...byPath.values()];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...walk(p));
    } else if (MARKDOWN.test(entry.name)) {
      out.push(p);
    }
  }
  return out;
}

/** A path as reports show it: relative to the working directory when inside it. */
export function display(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
