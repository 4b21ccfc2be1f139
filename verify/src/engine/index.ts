// The engine layer in one call: find or start an engine, make the base images and the lab
// image available, start the run's registry mirror, and hand back a lab factory. Also the
// place that knows the order of those phases and how long each took (cold start report).
import { randomBytes } from 'node:crypto';
import { defaultCacheDir } from './cache-dir.ts';
import { config, type LabSuite, resolveLabSuite } from './config.ts';
import { installSignalCleanup, removeRun, removeStale } from './cleanup.ts';
import { dindConfig, type DindConfig } from './dind.ts';
import { connectEngine, type Engine } from './engine.ts';
import { BASE_IMAGES, ensureImages, type PreparedImage } from './images.ts';
import { createLab, type Lab } from './lab.ts';
import { ensureLabImage, type LabImage } from './lab-image.ts';
import { startMirror, type Mirror } from './registry.ts';
import { ensurePackageIndexImage, startPackageIndex } from './package-index.ts';
import { ensureLabSeed } from './seed.ts';
import { removeStaleWorkDirs } from './workdir.ts';

export { EngineUnavailableError, connectEngine, type Engine } from './engine.ts';
export { BASE_IMAGES, ensureImages, type PreparedImage } from './images.ts';
export { imagesMentioned, STAND_INS } from './stand-ins/table.ts';
export { createLab, LAB_WORKDIR, type Lab, type LabContext, type ExecResult, type ShellCommand } from './lab.ts';
export { ensureLabImage, LAB_HOSTNAME, type LabImage } from './lab-image.ts';
export { startMirror, REGISTRY_VOLUME, type Mirror } from './registry.ts';
export { installSignalCleanup, removeRun, removeStale } from './cleanup.ts';
export { defaultCacheDir } from './cache-dir.ts';
export { ensureLabSeed, seedVolumeName } from './seed.ts';

export interface PrepareOptions {
  /** Defaults to env CURSO_VERIFY_CACHE or ~/.cache/curso-docker. */
  cacheDir?: string;
  /** Defaults to a fresh random id. */
  runId?: string;
  log?: (msg: string) => void;
  /** Never ask a registry for base images (also env CURSO_VERIFY_OFFLINE=1). */
  offline?: boolean;
  /** Install SIGINT/SIGTERM handlers that remove the run's objects (default true). */
  handleSignals?: boolean;
  /** Images the run's pages use beyond the base images (refs from the stand-in table). */
  images?: readonly string[];
  /** Seed labs from a cached /var/lib/docker instead of pulling in each (default true; env CURSO_VERIFY_LAB_SEED=0 turns it off). */
  seed?: boolean;
  /**
   * The Debian suite of the lab image (the reader's engine). The CLIs pass the one they
   * resolved; without it, CURSO_VERIFY_LAB_SUITE or the default, as a CLI without --engine.
   */
  suite?: LabSuite;
}

/** Milliseconds per phase. */
export interface PrepareTimings {
  engine: number;
  removeStale: number;
  /** Base images and lab image are prepared concurrently; each is timed on its own. */
  baseImages: number;
  labImage: number;
  dindProbe: number;
  mirror: number;
  /** Building (once) and starting the offline package index, when a stand-in needs it. */
  packageIndex: number;
  /** Checking (and, the first time, making) the lab seed. */
  seed: number;
  total: number;
}

export interface PreparedEngine {
  engine: Engine;
  runId: string;
  images: PreparedImage[];
  labImage: LabImage;
  registry: Mirror;
  /** The offline package index (`http://pypi/simple/` on the run's network), when started. */
  packageIndex: { container: string; url: string } | null;
  dind: DindConfig;
  /** The seed volume labs are copied from, or null when labs pull their base images. */
  seedVolume: string | null;
  timings: PrepareTimings;
  /** A fresh lab for a page; the run id is this run's. */
  createLab(page: string, request?: { images?: readonly string[]; storage?: 'memory' | 'disk' }): Promise<Lab>;
  /** Removes everything the run created (labs, mirror container, network). Idempotent. */
  dispose(): Promise<void>;
}

export async function prepareEngine(opts: PrepareOptions = {}): Promise<PreparedEngine> {
  const log = opts.log ?? (() => {});
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const runId = opts.runId ?? `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const suite = opts.suite ?? resolveLabSuite(undefined);
  const t0 = Date.now();
  const lap = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const s = Date.now();
    const v = await f();
    return [v, Date.now() - s];
  };

  const [engine, tEngine] = await lap(() => connectEngine({ cacheDir, log }));
  const uninstall = opts.handleSignals === false ? () => {} : installSignalCleanup(runId, engine, { log });
  try {
    const [, tStale] = await lap(async () => {
      await removeStale(engine, log);
      await removeStaleWorkDirs();
    });
    const base = lap(() => ensureImages(engine, opts.images ?? [], { log, offline: opts.offline }));
    const [[images, tImages], [labImage, tLab]] = await Promise.all([
      base,
      lap(() => ensureLabImage(engine, { suite, log, baseImages: base })),
    ]);
    const [dind, tDind] = await lap(async () => dindConfig());
    const [registry, tMirror] = await lap(() => startMirror(engine, { runId, labImage: labImage.ref, images, log }));
    // The offline package index, only for runs whose stand-ins need it (the python ones).
    const [packageIndex, tIndex] = await lap(async () =>
      images.some((i) => i.source === 'stand-in' && i.needs?.includes('pypi'))
        ? startPackageIndex(engine, { runId, network: registry.network, image: (await ensurePackageIndexImage(engine, { log })).ref, log })
        : null,
    );
    const baseProvenance = images.filter((i) => (BASE_IMAGES as readonly string[]).includes(i.ref));
    const labCtx = { engine, labImage: labImage.ref, network: registry.network, baseImages: [...BASE_IMAGES], dind, log };
    const useSeed = opts.seed ?? config.labSeed();
    const [seedVolume, tSeed] = await lap(async () =>
      useSeed
        ? ensureLabSeed(engine, {
            runId,
            labImage,
            images: baseProvenance,
            log,
            createLab: (page) => createLab(labCtx, { runId, page, storage: 'disk' }),
          }).catch((err: unknown) => {
            // The seed only saves time: without it labs pull their images.
            log(`no lab seed this run (labs will pull their images): ${err instanceof Error ? err.message : String(err)}`);
            return null;
          })
        : null,
    );

    let disposed: Promise<void> | undefined;
    return {
      engine,
      runId,
      images,
      labImage,
      registry,
      packageIndex,
      dind,
      seedVolume,
      timings: {
        engine: tEngine,
        removeStale: tStale,
        baseImages: tImages,
        labImage: tLab,
        dindProbe: tDind,
        mirror: tMirror,
        packageIndex: tIndex,
        seed: tSeed,
        total: Date.now() - t0,
      },
      createLab: (page: string, request = {}) => createLab({ ...labCtx, seedVolume }, { runId, page, ...request }),
      dispose: () =>
        (disposed ??= (async () => {
          try {
            await removeRun(engine, runId);
          } finally {
            uninstall();
          }
        })()),
    };
  } catch (err) {
    // A failed preparation must not leave a half-made mirror or network behind.
    await removeRun(engine, runId).catch(() => {});
    uninstall();
    throw err;
  }
}
