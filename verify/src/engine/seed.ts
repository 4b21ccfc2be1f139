// The lab seed: a cached /var/lib/docker in which the base images are already pulled. Pulling
// and extracting ~300 MB of layers costs each lab ~10 s; copying a ready tree costs ~2 s. The
// seed is made once (per lab image and base image ids) from a lab that really pulled through
// the mirror, so a seeded lab holds exactly what a pulled one would.
//
// The seed volume is a cache like the registry volume: no run id, kept across runs. Filling it
// is guarded by a container name (the engine refuses a second container of the same name), and
// it only counts as complete once a marker file is written last.
import { createHash } from 'node:crypto';
import type { Engine } from './engine.ts';
import type { PreparedImage } from './images.ts';
import type { Lab } from './lab.ts';
import { LABEL, LABEL_ROLE, runLabels } from './labels.ts';
import { SEED_MARKER } from './lab-image.ts';
import { run } from './proc.ts';
import { withBuildLock } from './build-lock.ts';

const LABEL_SEED = 'curso-verify.seed';
/** The lab image a seed was made with: seeds of lab images that are gone are dropped. */
const LABEL_SEED_LAB = 'curso-verify.seed-lab';

export function seedVolumeName(labImageId: string, images: readonly PreparedImage[]): string {
  const key = createHash('sha256')
    .update([labImageId, ...images.map((i) => `${i.ref}=${i.id}`)].join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `curso-verify-seed-${key}`;
}

/** Runs `sh -c script` in a throwaway container of the lab image with the given binds. */
async function helper(engine: Engine, labImage: string, binds: string[], script: string, opts: { name?: string; runId: string }) {
  const args = ['run', '--rm', '--network', 'none', '--entrypoint', 'sh'];
  if (opts.name) args.push('--name', opts.name);
  for (const [k, v] of Object.entries(runLabels(opts.runId, 'seed-helper'))) args.push('--label', `${k}=${v}`);
  for (const b of binds) args.push('-v', b);
  args.push(labImage, '-c', script);
  return run('docker', args, { env: engine.env, timeoutMs: 5 * 60_000 });
}

export interface EnsureSeedOptions {
  runId: string;
  labImage: { ref: string; id: string };
  images: readonly PreparedImage[];
  /** Creates an unseeded lab (pulls through the mirror) whose /var/lib/docker is on disk. */
  createLab: (page: string) => Promise<Lab>;
  log: (msg: string) => void;
}

/** The name of a complete seed volume, building it if needed; null if it cannot be had now. */
export async function ensureLabSeed(engine: Engine, opts: EnsureSeedOptions): Promise<string | null> {
  const volume = seedVolumeName(opts.labImage.id, opts.images);
  await engine.docker.createVolume({
    Name: volume,
    Labels: { [LABEL]: '1', [LABEL_ROLE]: 'seed-cache', [LABEL_SEED]: volume, [LABEL_SEED_LAB]: opts.labImage.ref },
  });
  const complete = async () =>
    (await helper(engine, opts.labImage.ref, [`${volume}:/seed:ro`], `test -f /seed/${SEED_MARKER}`, { runId: opts.runId })).exitCode === 0;
  if (await complete()) {
    await dropOldSeeds(engine, volume, opts.labImage.ref); // those in use when they were replaced
    return volume;
  }
  // One run fills a seed at a time on this machine (build-lock.ts); one that waited finds it
  // complete instead of failing to fill it beside the other.
  return withBuildLock(`seed-${volume}`, async () => ((await complete()) ? volume : fill(engine, volume, opts)), {
    onWait: () => opts.log(`waiting for another run that is making the lab seed ${volume}`),
  });
}

async function fill(engine: Engine, volume: string, opts: EnsureSeedOptions): Promise<string | null> {
  opts.log(`making the lab seed ${volume} (once per lab image and base images)`);
  const lab = await opts.createLab('(seed)');
  try {
    // Stop the nested dockerd cleanly so its state on disk is consistent.
    await run('docker', ['stop', '-t', '30', lab.name], { env: engine.env, timeoutMs: 60_000 });
    const copy = await helper(
      engine,
      opts.labImage.ref,
      [`${lab.dockerVolume}:/from:ro`, `${volume}:/to`],
      // Another run may have completed it meanwhile (and its labs may be copying from it):
      // then leave it alone. Otherwise start from empty (an earlier attempt may have been
      // interrupted) and write the marker last.
      // The image store must have come along, or the seed is worthless.
      `test -f /to/${SEED_MARKER} || { find /to -mindepth 1 -delete && cp -a --reflink=never /from/. /to/ && ` +
        opts.images.map((i) => `grep -q '"${i.ref}"' /to/image/overlay2/repositories.json && `).join('') +
        `touch /to/${SEED_MARKER}; }`,
      { name: `${volume}-filling`, runId: opts.runId },
    );
    if (copy.exitCode !== 0) {
      // Most likely a run on another machine (the lock is this machine's) is filling the same
      // seed of a shared engine right now: do without it this time.
      opts.log(`could not make the lab seed (labs will pull their images): ${copy.all.trim().split('\n').slice(-2).join(' ')}`);
      return null;
    }
  } finally {
    await lab.dispose();
  }
  await dropOldSeeds(engine, volume, opts.labImage.ref);
  return volume;
}

/**
 * Seeds of the same lab image with other base images, or of lab images that no longer exist,
 * are dead weight (~300 MB each). Seeds in use (a lab is copying one) stay until next time.
 */
async function dropOldSeeds(engine: Engine, keep: string, labImageRef: string): Promise<void> {
  const { Volumes = [] } = await engine.docker.listVolumes({ filters: { label: [`${LABEL_ROLE}=seed-cache`] } });
  for (const v of Volumes) {
    if (v.Name === keep) continue;
    const lab = v.Labels?.[LABEL_SEED_LAB];
    const labGone =
      !lab ||
      (await engine.docker
        .getImage(lab)
        .inspect()
        .then(
          () => false,
          () => true,
        ));
    if (lab === labImageRef || labGone)
      await engine.docker
        .getVolume(v.Name)
        .remove()
        .catch(() => {});
  }
}
