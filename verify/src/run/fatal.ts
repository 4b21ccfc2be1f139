// Failures that end a run are expected ones (the engine went away, the disk filled, a port was
// taken): the user gets one line saying what happened and where, never a stack trace. Pure.

/** The engine stopped answering (found by the runner's /_ping after a page broke off). */
export class EngineStoppedError extends Error {}

type ErrLike = { code?: string; message?: string; path?: string; syscall?: string } | null;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
export const oneLine = (e: unknown): string => message(e).split('\n')[0]!;

/** The engine's socket or port refused or dropped us: it is gone, not the page's fault. */
export function isEngineGone(e: unknown): boolean {
  if (e instanceof EngineStoppedError) return true;
  const err = e as ErrLike;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT'].includes(err?.code ?? '') ||
    /ECONNREFUSED|socket hang up|Cannot connect to the Docker daemon/.test(err?.message ?? '')
  );
}

export function isDiskFull(e: unknown): boolean {
  return (e as ErrLike)?.code === 'ENOSPC' || /no space left on device/i.test(message(e));
}

export function isPortInUse(e: unknown): boolean {
  return (e as ErrLike)?.code === 'EADDRINUSE' || /address already in use|port is already allocated/i.test(message(e));
}

export interface FatalContext {
  /** Where the engine is (DOCKER_HOST), when one was found. */
  engineHost?: string | null;
  /** The page and block under way, if any. */
  at?: { file: string; line: number | null };
}

/**
 * One line for the user: what happened, and where. Errors the harness raises itself already say
 * what happened (their first line); the expected failures of the machine get their own words.
 */
export function describeFatal(e: unknown, ctx: FatalContext = {}): string {
  const at = ctx.at;
  const where = at?.file ? ` during ${at.file}${at.line ? `:${at.line}` : ''}` : '';
  const err = e as ErrLike;
  const file = err?.path ? ` (${err.path})` : '';
  if (isDiskFull(e)) return `the disk is full${where}${file}: free some space (df -h; docker system df) and run again — ${oneLine(e)}`;
  if (isPortInUse(e)) return `a port the run needs is already in use${where}: ${oneLine(e)}`;
  if (isEngineGone(e)) return `the Docker engine${ctx.engineHost ? ` at ${ctx.engineHost}` : ''} stopped answering${where} (${oneLine(e)})`;
  return message(e);
}

/** Whether an error that escaped everything else is one of the expected failures above. */
export function isExpectedFailure(e: unknown): boolean {
  return isDiskFull(e) || isPortInUse(e) || isEngineGone(e);
}
