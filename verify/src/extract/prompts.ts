// Recognises the prompts a reader sees in a shell-session code block (extract/session.ts splits
// a block into steps with it; the site's copy button copies those steps' commands: copy.ts).

import type { ShownPromptKind } from '../model/plan.ts';

export interface PromptedLine {
  kind: ShownPromptKind;
  /** The prompt as written, e.g. `$`, `bash-4.3$`, `root@1dbc76e3acdb:/#`, `>>>`. */
  prompt: string;
  /** What the reader types after the prompt (may be empty: they just press Enter). */
  command: string;
}

// `$ cmd`, `bash-4.3$ cmd`, `user@host:~/dir$ cmd`: the reader's own shell. A named prompt
// must look like one (`shell-version` or `user@host`), so output ending in `$` is not a prompt.
const HOST = /^((?:[A-Za-z][\w.]*-\d[\w.]*|[\w.-]+@[\w.-]+(?::[^\s$#]*)?)?\$)(?: (.*))?$/;
// A root shell inside a container (so `#`): bash's `root@1dbc76e3acdb:/# cmd` or `bash-5.2# cmd`,
// and BusyBox's or Alpine's ash, `/ # cmd` or `/app # cmd` (its PS1 is `\w # `).
const CONTAINER = /^([a-z_][\w-]*@[\w.-]+:[^\s#]*#|(?:ba)?sh-\d[\w.]*#|\/[^\s#]* #)(?: (.*))?$/;
// Python's REPL and its continuation prompt.
const PYTHON = /^(>>>|\.\.\.)(?: (.*))?$/;

/** Parses one (dedented) line; `interactive` enables prompts that only make sense inside a session. */
export function parsePrompt(line: string, interactive: boolean): PromptedLine | null {
  const host = HOST.exec(line);
  if (host) return { kind: 'host', prompt: host[1]!, command: host[2] ?? '' };
  const container = CONTAINER.exec(line);
  if (container) return { kind: 'container', prompt: container[1]!, command: container[2] ?? '' };
  if (interactive) {
    const py = PYTHON.exec(line);
    // A bare `...` is the course's elision marker, never Python's continuation prompt.
    if (py && !(py[1] === '...' && py[2] === undefined)) {
      return { kind: 'python', prompt: py[1]!, command: py[2] ?? '' };
    }
  }
  return null;
}

/**
 * True when what a terminal shows on the cursor's line (trailing spaces dropped) is an
 * interactive program's prompt waiting for input: one of the prompts above with nothing typed
 * yet, a bare root prompt (`#`), or Python's continuation (`...`). A bare `$` is not: the
 * harness's own shell has an empty prompt, and a program's output can end in `$`.
 */
export function isIdlePrompt(line: string): boolean {
  if (line === '#' || line === '...') return true;
  if (line === '$') return false;
  const p = parsePrompt(line, true);
  return p !== null && p.command === '';
}

/** True for a command that opens an interactive terminal session (`docker run -it …`). */
export function opensInteractiveSession(command: string): boolean {
  if (!/^\s*(?:sudo\s+)?docker\s+(?:container\s+)?(?:run|exec|start|attach)\b/.test(command)) return false;
  const words = command.split(/\s+/);
  let tty = false;
  let stdin = false;
  for (const w of words) {
    if (w === '--tty') tty = true;
    else if (w === '--interactive') stdin = true;
    else if (/^-[a-zA-Z]+$/.test(w)) {
      if (w.includes('t')) tty = true;
      if (w.includes('i')) stdin = true;
    }
  }
  // `docker start -ai` attaches with the container's own tty.
  if (/\bstart\b/.test(command) && /\s-[a-z]*a[a-z]*i|\s-[a-z]*i[a-z]*a/.test(command)) return true;
  return tty && stdin;
}
