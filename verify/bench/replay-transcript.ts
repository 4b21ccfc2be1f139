import xtermHeadless from '@xterm/headless';
import { MARKER_OSC, REPLAY_COLS, REPLAY_ROWS } from './replay-script.ts';

// The replay's one transcript (everything its PTY showed) cut into its steps at the markers the
// script printed, each step's part rendered by a headless xterm of the harness's size, as the
// harness renders what its terminal shows (progress bars collapsed, colours gone). No process.

const { Terminal } = xtermHeadless;

export interface ReplayOutput {
  /** What the terminal showed for the step. */
  output: string;
  /** Its exit status (null: the step never ended, the script stopped inside it). */
  exitCode: number | null;
  /** How long it took (null: it never ended). */
  durationMs: number | null;
}

/** The raw text between each step's start and end markers, by step number, with its exit status and duration. */
export function cutTranscript(transcript: string): Map<number, { raw: string; exitCode: number | null; durationMs: number | null }> {
  // `s;N;TIME` and `e;N;STATUS;TIME`, TIME being bash's $EPOCHREALTIME (seconds, microseconds).
  const marker = new RegExp(`\\x1b\\]${MARKER_OSC};([se]);(\\d+)((?:;[\\d.,]*)*)\\x07`, 'g');
  const out = new Map<number, { raw: string; exitCode: number | null; durationMs: number | null }>();
  const seconds = (t: string | undefined) => (t ? Number(t.replace(',', '.')) : Number.NaN);
  let current: { n: number; from: number; at: number } | null = null;
  for (const m of transcript.matchAll(marker)) {
    const n = Number(m[2]);
    const fields = m[3]!.split(';').slice(1);
    if (m[1] === 's') {
      current = { n, from: m.index + m[0].length, at: seconds(fields[0]) };
    } else if (current?.n === n) {
      const ms = Math.round((seconds(fields[1]) - current.at) * 1000);
      out.set(n, {
        raw: transcript.slice(current.from, m.index),
        exitCode: Number(fields[0]),
        durationMs: Number.isFinite(ms) ? ms : null,
      });
      current = null;
    }
  }
  if (current) out.set(current.n, { raw: transcript.slice(current.from), exitCode: null, durationMs: null });
  return out;
}

/** Text as a terminal of the harness's size shows it, wrapped lines joined, trailing spaces dropped. */
export async function render(raw: string): Promise<string> {
  const term = new Terminal({ cols: REPLAY_COLS, rows: REPLAY_ROWS, scrollback: 200_000, allowProposedApi: true });
  try {
    await new Promise<void>((resolve) => term.write(raw, resolve));
    const b = term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < b.length; row++) {
      const line = b.getLine(row);
      if (!line) break;
      const s = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += s;
      else lines.push(s);
    }
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    return lines.join('\n').replace(/[ \t]+$/gm, '');
  } finally {
    term.dispose();
  }
}

/** Each step's output and exit status, from the transcript. */
export async function replayOutputs(transcript: string): Promise<Map<number, ReplayOutput>> {
  const out = new Map<number, ReplayOutput>();
  for (const [n, { raw, ...rest }] of cutTranscript(transcript)) out.set(n, { output: await render(raw), ...rest });
  return out;
}
