import type { CauseOf } from '../model/cause.ts';

// A step that failed because of the machine, not the page: the output says a registry refused
// or rate-limited a pull, the network failed, the disk is full, or the Docker engine is gone.
// Such a failure is not drift: the page may still hold, and nobody can tell until it runs on a
// working machine. Read from the failed step's output; the first line that says so is the
// evidence. Pure.

const FAULTS: { fault: CauseOf<'infrastructure'>['fault']; line: RegExp }[] = [
  { fault: 'rate-limit', line: /toomanyrequests|429 Too Many Requests|You have reached your (?:unauthenticated )?pull rate limit/i },
  { fault: 'disk', line: /no space left on device/i },
  {
    fault: 'engine',
    line: /Cannot connect to the Docker daemon|error during connect|Is the docker daemon running\?|failed to connect to the docker API/i,
  },
  {
    fault: 'network',
    line: /(?:dial tcp|lookup) [^\n]*(?:i\/o timeout|no such host|connection refused|network is unreachable)|TLS handshake timeout|net\/http: request canceled while waiting for connection|Temporary failure resolving/i,
  },
];

export function infrastructureFault(output: string | null): CauseOf<'infrastructure'> | null {
  if (!output) return null;
  for (const line of output.split('\n')) {
    const found = FAULTS.find((f) => f.line.test(line));
    if (found) return { kind: 'infrastructure', fault: found.fault, evidence: line.trim().slice(0, 200) };
  }
  return null;
}
