// Where the harness keeps what outlives a run (its own dockerd's data, its socket and log).
// One place so the doc, the engine and the cleanup messages agree.
import { config } from './config.ts';

export function defaultCacheDir(): string {
  return config.cacheDir();
}
