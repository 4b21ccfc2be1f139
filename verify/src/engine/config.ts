// Every CURSO_VERIFY_* setting of the engine layer, read in one place and at call time (never
// at import time), so tests and the CLI can change them and a reader of the code finds them all.
import { homedir } from 'node:os';
import { join } from 'node:path';

const env = (name: string): string | undefined => process.env[`CURSO_VERIFY_${name}`] || undefined;

/** The Debian suites a lab can be built from, with the docker.io each one ships. */
export const LAB_SUITES = { forky: '28.5', trixie: '26.1' } as const;
export type LabSuite = keyof typeof LAB_SUITES;
/** forky's docker.io 28.5: the newest engine Debian ships, what a reader installs today. */
export const DEFAULT_LAB_SUITE: LabSuite = 'forky';

/** `--engine` names a suite by its Docker major: 28, 26. */
const majorOf = (version: string): string => version.split('.')[0]!;

/** A suite asked for that does not exist: the message names the flag or variable and its value. */
export class LabSuiteError extends Error {}

/**
 * The suite the reader's machine (the lab) comes from, which decides its Docker Engine:
 * `--engine <major>` when given, else CURSO_VERIFY_LAB_SUITE, else the default. The CLIs
 * resolve it once and hand it down (cache key, lab image, the reader's engine in the report);
 * nothing below them reads the environment for it, and nothing writes it there. Child
 * processes a test starts get it as they always did: through their own argv or environment.
 */
export function resolveLabSuite(engine: string | undefined): LabSuite {
  return labSuiteOf(engine, env('LAB_SUITE'));
}

/** resolveLabSuite's rule, given the flag and the variable. */
export function labSuiteOf(engine: string | undefined, variable: string | undefined): LabSuite {
  if (engine !== undefined) {
    const suite = (Object.keys(LAB_SUITES) as LabSuite[]).find((s) => majorOf(LAB_SUITES[s]) === engine);
    if (!suite) throw new LabSuiteError(`--engine ${engine}: expected one of ${Object.values(LAB_SUITES).map(majorOf).join(', ')}`);
    return suite;
  }
  const s = variable ?? DEFAULT_LAB_SUITE;
  if (!Object.hasOwn(LAB_SUITES, s))
    throw new LabSuiteError(`CURSO_VERIFY_LAB_SUITE=${s}: expected one of ${Object.keys(LAB_SUITES).join(', ')}`);
  return s as LabSuite;
}

export const config = {
  /**
   * '0' never reuses nor stores page results (cache/): the harness's own engine tests, which
   * must see every page really run.
   */
  reuseResults: () => env('REUSE') !== '0',
  /** Stored page results (cache/store.ts): CURSO_VERIFY_RESULTS, else <cacheDir>/results. */
  resultsDir: () => env('RESULTS') ?? join(config.cacheDir(), 'results'),
  /** Where the harness keeps its own dockerd: CURSO_VERIFY_CACHE, else ~/.cache/curso-docker. */
  cacheDir: () => env('CACHE') ?? join(homedir(), '.cache', 'curso-docker'),
  /** Debian mirror for mmdebstrap (stand-ins, lab image). */
  debianMirror: () => env('DEBIAN_MIRROR') ?? 'http://deb.debian.org/debian',
  /** Never ask a registry; build stand-ins for what is missing. */
  offline: () => env('OFFLINE') === '1',
  /** Force how the lab image is built: 'mmdebstrap' or 'dockerfile'. */
  labBuild: () => env('LAB_BUILD'),
  /** '0' turns the lab seed off (labs then pull their base images). */
  labSeed: () => env('LAB_SEED') !== '0',
  /** 'disk' puts a lab's /var/lib/docker on disk instead of a tmpfs. */
  labStorage: (): 'disk' | 'memory' => (env('LAB_STORAGE') === 'disk' ? 'disk' : 'memory'),
  labTmpfsSize: () => env('LAB_TMPFS_SIZE') ?? '8g',
  /** 'privileged' runs labs with --privileged instead of the contained configuration. */
  dindMode: () => env('DIND_MODE'),
};
