import { dedent } from './markdown.ts';
import { parsePrompt } from './prompts.ts';
import { SessionSyntaxError, parseSession } from './session.ts';

// What the site's copy button copies from a shell session: exactly what the harness types when
// it verifies the block (each step's command, with its continuation lines and heredoc body; no
// prompts, no output, no bare Enter), read by the harness's own session parser, so the button
// and the harness cannot disagree on what a prompt is.

/**
 * The commands of a shell block with prompts, one per line; null when the block has no prompt
 * (or cannot be read as a session): then the reader copies it whole, as written.
 */
export function commandsToCopy(code: string): string | null {
  const { lines } = dedent(code);
  if (!lines.some((l) => parsePrompt(l, false) !== null)) return null;
  try {
    return parseSession(lines, 1)
      .map((s) => s.command)
      .filter((c) => c !== '')
      .join('\n');
  } catch (e) {
    if (e instanceof SessionSyntaxError) return null;
    throw e;
  }
}
