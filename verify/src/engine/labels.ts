// Every object the harness creates on an engine carries these labels. They are how cleanup
// finds what belongs to a run (and only to that run), and how the image cache recognises
// images we built ourselves, without keeping any state file outside the engine.
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';

export const LABEL = 'curso-verify';
export const LABEL_RUN = 'curso-verify.run';
export const LABEL_PAGE = 'curso-verify.page';
export const LABEL_ROLE = 'curso-verify.role';
/** pid + its start time identify the owning process even if the pid number is reused later. */
export const LABEL_PID = 'curso-verify.pid';
export const LABEL_PID_START = 'curso-verify.pid-start';
/** Several machines may share one engine (DOCKER_HOST=tcp://…): only judge pids of our own host. */
export const LABEL_HOST = 'curso-verify.host';
/** On images: 'stand-in' or 'lab', plus how it was made and the recipe hash that names it. */
export const LABEL_IMAGE = 'curso-verify.image';
export const LABEL_IMAGE_HOW = 'curso-verify.how';
export const LABEL_RECIPE = 'curso-verify.recipe';

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), or null. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Labels that tie an object to this process's run. */
export function runLabels(runId: string, role: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [LABEL]: '1',
    [LABEL_RUN]: runId,
    [LABEL_ROLE]: role,
    [LABEL_PID]: String(process.pid),
    [LABEL_PID_START]: processStartTime(process.pid) ?? '',
    [LABEL_HOST]: hostname(),
    ...extra,
  };
}

/** Name-safe short form of a run id / page path, for container and volume names. */
export function slug(s: string, max = 40): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return (out || 'x').slice(0, max);
}
