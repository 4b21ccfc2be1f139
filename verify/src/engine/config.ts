// Every CURSO_VERIFY_* setting of the engine layer, read in one place and at call time (never
// at import time), so tests and the CLI can change them and a reader of the code finds them all.
import { homedir } from 'node:os';
import { join } from 'node:path';

const env = (name: string): string | undefined => process.env[`CURSO_VERIFY_${name}`] || undefined;

/** The Debian suites a lab can be built from, with the docker.io each one ships. */
export const LAB_SUITES = { forky: '28.5', trixie: '26.1' } as const;
export type LabSuite = keyof typeof LAB_SUITES;

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
  /**
   * The suite the reader's machine (the lab) comes from, which decides its Docker Engine:
   * forky's docker.io 28.5 (the newest Debian ships, what a reader installs today) by default.
   */
  labSuite: (): LabSuite => {
    const s = env('LAB_SUITE') ?? 'forky';
    if (!(s in LAB_SUITES)) throw new Error(`CURSO_VERIFY_LAB_SUITE=${s}: expected one of ${Object.keys(LAB_SUITES).join(', ')}`);
    return s as LabSuite;
  },
  /**
   * `--engine`: the suite for this process and what it starts (through the environment, so
   * the engine tests' child runs and this process agree).
   */
  useLabSuite: (suite: LabSuite): void => {
    process.env.CURSO_VERIFY_LAB_SUITE = suite;
  },
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
