// Normalizations applied to both documented and actual output before they are compared:
// what a reader would not count as a difference. Each is a small pure function so the
// matcher, the diff and --update all see the same text.

// CSI, OSC (terminated by BEL or ST) and two-byte escapes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** One line as compared: no trailing spaces, tabs as spaces, runs of spaces as one (so tables match). */
export function normalizeLine(line: string): string {
  return line.replace(/\t/g, ' ').replace(/ {2,}/g, ' ').trimEnd().trimStart();
}

/** Full text → comparable lines: no ANSI, no CR, no trailing blank lines. */
export function toLines(text: string): string[] {
  const lines = normalizeNewlines(stripAnsi(text)).split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}
