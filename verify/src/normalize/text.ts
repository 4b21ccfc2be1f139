// Normalizations applied to both documented and actual output before they are compared:
// what a reader would not count as a difference. Each is a small pure function so the
// matcher, the diff and --update all see the same text.
import { stripVTControlCharacters } from 'node:util';

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** One line as compared: no trailing spaces, tabs as spaces, runs of spaces as one (so tables match). */
export function normalizeLine(line: string): string {
  return line.replace(/\t/g, ' ').replace(/ {2,}/g, ' ').trimEnd().trimStart();
}

/** Full text → comparable lines: no ANSI escapes (colours, OSC titles and links), no CR, no trailing blank lines. */
export function toLines(text: string): string[] {
  const lines = normalizeNewlines(stripVTControlCharacters(text))
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}
