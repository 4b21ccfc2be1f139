// The images a run's pages use, made available on the host engine: real images when a registry
// answers; otherwise stand-ins built offline from Debian packages (stand-ins/table.ts), the same
// program at the same major.minor as the tag. Every result says which it is, so reports can tell
// the reader the truth about what was verified.
import type { ImageProvenance } from '../model/report.ts';
import type { Engine } from './engine.ts';
import { withBuildLock } from './build-lock.ts';
import { config } from './config.ts';
import { LABEL_IMAGE, LABEL_IMAGE_HOW, LABEL_RECIPE } from './labels.ts';
import { run, runOk } from './proc.ts';
import { LABEL_PACKAGES } from './stand-ins/build.ts';
import type { StandIn } from './stand-ins/stand-in.ts';
import { BASE_IMAGES, STAND_INS } from './stand-ins/table.ts';

export { BASE_IMAGES } from './stand-ins/table.ts';

/** An image ready on the host engine: its provenance, as the report gives it, and what it needs. */
export type PreparedImage = ImageProvenance & {
  /** Always known here: the image is on the engine. */
  id: string;
  /** Stand-ins: run-time services the image needs from the harness (never reported). */
  needs?: readonly 'pypi'[];
};

export interface EnsureImagesOptions {
  log: (msg: string) => void;
  /** Do not ask any registry; build stand-ins for what is missing. Default: env CURSO_VERIFY_OFFLINE=1. */
  offline?: boolean;
  /** How long the registry probe may take before we decide there is no registry (default 15 s). */
  probeTimeoutMs?: number;
  /** More stand-ins by tag, over the table's (tests use their own throwaway recipes). */
  standIns?: Readonly<Record<string, () => Promise<StandIn> | StandIn>>;
}

/**
 * Does a registry answer for `ref`? Asks the engine for the image's distribution descriptor:
 * the same path a pull takes (engine proxies, mirrors and credentials apply) but it changes
 * nothing locally.
 */
async function registryAnswers(engine: Engine, ref: string, timeoutMs: number): Promise<boolean> {
  try {
    const image = engine.docker.getImage(ref) as unknown as {
      distribution: (opts: { abortSignal: AbortSignal }) => Promise<unknown>;
    };
    await image.distribution({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

export interface LocalImage {
  Id: string;
  RepoDigests?: string[];
  Config?: { Labels?: Record<string, string> | null };
}

/** The image `ref` on the engine, or null when it has none. */
export async function inspectLocal(engine: Engine, ref: string): Promise<LocalImage | null> {
  try {
    return (await engine.docker.getImage(ref).inspect()) as LocalImage;
  } catch {
    return null;
  }
}

/**
 * The image a tag pointed to before a build or pull moved the tag: dropped, unless a container
 * still uses it or another tag still names it (then `docker rmi` refuses, and the sweep below
 * takes it once it is free).
 */
async function dropReplaced(engine: Engine, old: LocalImage | null, now: LocalImage): Promise<void> {
  if (old && old.Id !== now.Id) await run('docker', ['rmi', old.Id], { env: engine.env, timeoutMs: 60_000 });
}

/**
 * Stand-ins nothing names any more: superseded images `dropReplaced` could not remove when they
 * were replaced (a container used them then, or a run of another checkout or an older harness
 * replaced them). No tag leads to them, so no run can pick them again; `docker rmi` without
 * force still refuses those a container uses. Returns the ids removed.
 */
export async function dropUntaggedStandIns(engine: Engine): Promise<string[]> {
  const untagged = await engine.docker.listImages({ filters: { dangling: ['true'], label: [`${LABEL_IMAGE}=stand-in`] } });
  const removed: string[] = [];
  for (const img of untagged) {
    const r = await run('docker', ['rmi', img.Id], { env: engine.env, timeoutMs: 60_000 });
    if (r.exitCode === 0) removed.push(img.Id);
  }
  return removed;
}

/** Makes every ref available (the base images always), in parallel; refs must be in the table. */
export async function ensureImages(engine: Engine, refs: readonly string[], opts: EnsureImagesOptions): Promise<PreparedImage[]> {
  const offline = opts.offline ?? config.offline();
  // Probed at most once per call, and only if some image is missing.
  let probe: Promise<boolean> | undefined;
  const registryUp = (ref: string) =>
    (probe ??= registryAnswers(engine, ref, opts.probeTimeoutMs ?? 15_000).then((up) => {
      opts.log(up ? 'a registry answers: pulling the real images' : 'no registry answers: building stand-in images from Debian packages');
      return up;
    }));

  // Tags that share a recipe (wordpress:6.8 and wordpress:6.8-apache) are built once.
  const builds = new Map<string, Promise<string>>();
  const buildOnce = (standIn: StandIn, ref: string): Promise<string> => {
    let first = builds.get(standIn.recipe);
    if (!first) {
      first = (async () => {
        const t0 = Date.now();
        opts.log(`building stand-in ${ref}: ${standIn.how}`);
        await standIn.build(engine, ref);
        opts.log(`built stand-in ${ref} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return ref;
      })();
      builds.set(standIn.recipe, first);
      return first;
    }
    return first.then(async (built) => {
      await runOk('docker', ['tag', built, ref], { env: engine.env });
      return ref;
    });
  };

  const table = { ...STAND_INS, ...opts.standIns };
  /** The stand-in already on the engine under `ref`, when it is of the current recipe. */
  const current = (ref: string, standIn: StandIn, local: LocalImage | null): PreparedImage | null => {
    const labels = local?.Config?.Labels ?? {};
    if (!local || labels[LABEL_IMAGE] !== 'stand-in' || labels[LABEL_RECIPE] !== standIn.recipe) return null;
    return {
      ref,
      source: 'stand-in',
      how: labels[LABEL_IMAGE_HOW] ?? standIn.how,
      id: local.Id,
      packages: labels[LABEL_PACKAGES] ?? '',
      needs: standIn.needs,
    };
  };

  /** A tag other than `ref` whose current stand-in on the engine is of `standIn`'s recipe. */
  const twinOnEngine = async (ref: string, standIn: StandIn): Promise<string | null> => {
    for (const other of Object.keys(table)) {
      if (other === ref || (await table[other]!()).recipe !== standIn.recipe) continue;
      if (current(other, standIn, await inspectLocal(engine, other))) return other;
    }
    return null;
  };

  const one = async (ref: string): Promise<PreparedImage> => {
    const make = table[ref];
    if (!make) throw new Error(`${ref}: the harness has no stand-in for this image (stand-ins: ${Object.keys(table).join(', ')})`);
    const standIn = await make();
    const local = await inspectLocal(engine, ref);
    const ready = current(ref, standIn, local);
    if (ready) return ready;
    if (local && local.Config?.Labels?.[LABEL_IMAGE] !== 'stand-in') {
      const digest = local.RepoDigests?.[0];
      return { ref, source: 'registry', how: digest ? `docker pull (cached: ${digest})` : 'present on the engine', id: local.Id };
    }

    if (!offline && (await registryUp(BASE_IMAGES[0]))) {
      opts.log(`docker pull ${ref}`);
      const r = await run('docker', ['pull', ref], { env: engine.env, timeoutMs: 10 * 60_000 });
      if (r.exitCode === 0) {
        const img = await inspectLocal(engine, ref);
        if (img) {
          await dropReplaced(engine, local, img);
          return { ref, source: 'registry', how: `docker pull ${img.RepoDigests?.[0] ?? ref}`, id: img.Id };
        }
      }
      opts.log(`docker pull ${ref} failed; building a stand-in instead:\n${r.all.trim().split('\n').slice(-3).join('\n')}`);
    }

    const missing = await standIn.missing();
    if (missing) {
      throw new Error(
        `${ref} is not on the engine, no registry answers${offline ? ' (offline mode)' : ''}, and a stand-in cannot be built here: ${missing}. ` +
          `Pull ${ref} where a registry is reachable, or run the harness as root on Debian.`,
      );
    }
    // One build per recipe on this machine: a run that finds another one building it waits,
    // then takes what it built.
    return withBuildLock(
      `stand-in-${standIn.recipe}`,
      async () => {
        const before = await inspectLocal(engine, ref);
        const builtMeanwhile = current(ref, standIn, before);
        if (builtMeanwhile) return builtMeanwhile;
        // Another tag of the same recipe on the engine (wordpress:6.8-apache for wordpress:6.8)
        // is the very image: tag it rather than build it again.
        const twin = await twinOnEngine(ref, standIn);
        if (twin) await runOk('docker', ['tag', twin, ref], { env: engine.env });
        else await buildOnce(standIn, ref);
        const img = await inspectLocal(engine, ref);
        if (!img) throw new Error(`built ${ref} but the engine does not know it`);
        await dropReplaced(engine, before, img);
        return {
          ref,
          source: 'stand-in',
          how: standIn.how,
          id: img.Id,
          packages: img.Config?.Labels?.[LABEL_PACKAGES] ?? '',
          needs: standIn.needs,
        } satisfies PreparedImage;
      },
      { onWait: () => opts.log(`waiting for another run that is building the stand-in ${ref}`) },
    );
  };

  // In parallel: the mmdebstrap builds mostly wait on downloads and dpkg.
  const wanted = [...new Set([...BASE_IMAGES, ...refs])];
  const prepared = await Promise.all(wanted.map(one));
  const swept = await dropUntaggedStandIns(engine);
  if (swept.length > 0) opts.log(`removed ${swept.length} superseded stand-in image(s) no tag named any more`);
  return prepared;
}
