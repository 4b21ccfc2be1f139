// Running a command in a container through the engine API instead of spawning `docker exec`:
// a docker CLI process costs tens of milliseconds of CPU, which adds up when several labs poll
// their nested dockerd at once on a 2-core machine.
import { PassThrough } from 'node:stream';
import type { Engine } from './engine.ts';
import { waitFor } from './proc.ts';

export interface ApiExecResult {
  exitCode: number;
  /** stdout and stderr in the order the process wrote them. */
  output: string;
  timedOut: boolean;
}

export async function apiExec(
  engine: Engine,
  container: string,
  cmd: string[],
  opts: { timeoutMs?: number; workdir?: string } = {},
): Promise<ApiExecResult> {
  const exec = await engine.docker.getContainer(container).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    WorkingDir: opts.workdir,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = '';
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => (output += d.toString('utf8')));
  // One sink for both: the frames arrive in the order they were written.
  engine.docker.modem.demuxStream(stream, sink, sink);
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<boolean>((res) => {
    stream.on('end', () => res(false));
    stream.on('close', () => res(false));
    stream.on('error', () => res(false));
    if (opts.timeoutMs) timer = setTimeout(() => res(true), opts.timeoutMs);
  });
  const timedOut = await ended;
  clearTimeout(timer);
  if (timedOut) {
    // The engine has no "kill exec": stop listening; the process may go on in the container.
    stream.destroy();
    return { exitCode: 124, output, timedOut };
  }
  // The exit code is final shortly after the stream ends. An engine that does not answer the
  // inspect is an error of this call, as any other of its calls to the engine.
  let exitCode = -1;
  let inspectError: unknown = null;
  await waitFor(
    async () => {
      try {
        const info = await exec.inspect();
        if (info.Running || info.ExitCode === null) return false;
        exitCode = info.ExitCode;
      } catch (e) {
        inspectError = e;
      }
      return true;
    },
    1_000,
    20,
  );
  if (inspectError !== null) throw inspectError;
  return { exitCode, output, timedOut: false };
}
