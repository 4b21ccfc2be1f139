// Where the harness keeps what outlives a run (its own dockerd's data, its socket and log).
// One place so the doc, the engine and the cleanup messages agree.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(): string {
  return process.env.CURSO_VERIFY_CACHE || join(homedir(), '.cache', 'curso-docker');
}
