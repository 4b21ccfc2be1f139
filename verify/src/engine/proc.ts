// Running external programs (docker CLI, apt-get, mmdebstrap) in one place, so every module
// gets the same behaviour: never throw on a non-zero exit (callers decide what a failure
// means), always capture stdout+stderr interleaved (that is what a human would have seen),
// and always have a time bound (a hung `docker pull` must not hang the whole run).
import { execa } from 'execa';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved, as a terminal would have shown them. */
  all: string;
  timedOut: boolean;
}

export interface ProcOptions {
  env?: Record<string, string>;
  /** Milliseconds; the process is killed (SIGTERM, then SIGKILL) when it runs longer. */
  timeoutMs?: number;
  input?: string;
  cwd?: string;
}

export async function run(file: string, args: readonly string[], opts: ProcOptions = {}): Promise<RunResult> {
  const r = await execa(file, args, {
    reject: false,
    all: true,
    stripFinalNewline: false,
    env: opts.env,
    extendEnv: true,
    timeout: opts.timeoutMs,
    forceKillAfterDelay: 2_000,
    input: opts.input,
    cwd: opts.cwd,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    // A process that could not be spawned or was killed has no exit code; report it as failure.
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : 1,
    stdout: str(r.stdout),
    stderr: str(r.stderr),
    all: str(r.all) || (r.failed && !r.exitCode ? String(r.message ?? '') : ''),
    timedOut: Boolean(r.timedOut),
  };
}

/** Like run() but throws a readable error (command + tail of output) on failure. */
export async function runOk(file: string, args: readonly string[], opts: ProcOptions = {}): Promise<RunResult> {
  const r = await run(file, args, opts);
  if (r.exitCode !== 0) {
    const tail = r.all.trim().split('\n').slice(-25).join('\n');
    const why = r.timedOut ? `timed out after ${opts.timeoutMs} ms` : `exit code ${r.exitCode}`;
    throw new Error(`\`${file} ${args.join(' ')}\` failed (${why}):\n${tail}`);
  }
  return r;
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/** Polls `probe` until it returns true or `timeoutMs` elapses; returns whether it succeeded. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** Is `name` an executable on PATH? */
export async function commandExists(name: string): Promise<boolean> {
  return (await run('sh', ['-c', `command -v ${name}`])).exitCode === 0;
}
