// Turns a stand-in recipe into an image: mmdebstrap the suite with the recipe's packages, copy
// its files, run its hooks, record the installed versions of the packages the report names,
// then `docker import` with the recipe's config and labels that say what the image is.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../engine.ts';
import { LABEL_IMAGE, LABEL_IMAGE_HOW, LABEL_RECIPE } from '../labels.ts';
import { runOk } from '../proc.ts';
import { buildDebianImage, mmdebstrapArgs, type RootfsSpec } from '../rootfs.ts';
import { makeWorkDir, removeWorkDir } from '../workdir.ts';
import { mmdebstrapMissing } from './base.ts';
import type { StandInRecipe } from './recipe.ts';
import type { StandIn } from './stand-in.ts';

/** Where recipe files live; `StandInFile.from` is relative to it. */
export const FILES_DIR = fileURLToPath(new URL('./files/', import.meta.url));
/** On stand-in images: "pkg=version pkg=version…" of the recipe's reportPackages. */
export const LABEL_PACKAGES = 'curso-verify.packages';
/** Same PATH the official images declare, so `docker inspect` and `env` look as readers expect. */
export const PATH_ENV = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const VERSIONS_FILE = 'versions.txt';

/**
 * The rootfs spec of a recipe; `dir` is the scratch dir the versions file is written to, and
 * `filesDir` where the recipe's files are (the checkout's; a placeholder when hashing).
 */
export function recipeSpec(recipe: StandInRecipe, dir: string, filesDir = FILES_DIR): RootfsSpec {
  const copy = Object.entries(recipe.files ?? {}).map(
    ([dest, f]) => `install -D -m ${f.mode.toString(8)} ${JSON.stringify(join(filesDir, f.from))} "$1${dest}"`,
  );
  const versions = `dpkg-query --admindir="$1/var/lib/dpkg" -W -f='\${Package}=\${Version} ' ${recipe.reportPackages.join(' ')} > ${JSON.stringify(join(dir, VERSIONS_FILE))}`;
  return { suite: recipe.suite, include: recipe.packages, skip: recipe.skip, customize: [...copy, ...(recipe.customize ?? []), versions] };
}

/** Hash of everything that determines the image: the build argv, the files' bytes, the config. */
export function recipeHash(recipe: StandInRecipe): string {
  const h = createHash('sha256').update('stand-in-v1\0');
  // Placeholders for the scratch dir and the files' folder: the same recipe has the same hash in
  // any checkout (a CI clone elsewhere finds the stand-ins and stored results it built before).
  h.update(mmdebstrapArgs(recipeSpec(recipe, 'DIR', 'FILES'), 'rootfs').join('\n'));
  for (const [dest, f] of Object.entries(recipe.files ?? {}).sort()) {
    h.update(`\0${dest}\0${f.mode}\0`).update(readFileSync(join(FILES_DIR, f.from)));
  }
  h.update(`\0${recipe.config.join('\n')}`);
  return h.digest('hex').slice(0, 12);
}

/** The labels that mark an image as a stand-in and say what it is made of. */
export function standInLabels(s: { how: string; recipe: string; packages: string }): string[] {
  return [
    `LABEL ${LABEL_IMAGE}=stand-in`,
    `LABEL ${LABEL_IMAGE_HOW}=${JSON.stringify(s.how)}`,
    `LABEL ${LABEL_RECIPE}=${s.recipe}`,
    `LABEL ${LABEL_PACKAGES}=${JSON.stringify(s.packages)}`,
  ];
}

/** A recipe as a StandIn (see stand-in.ts). */
export function fromRecipe(recipe: StandInRecipe): StandIn {
  return {
    how: describeRecipe(recipe),
    recipe: recipeHash(recipe),
    program: recipe.program,
    differences: recipe.differences,
    needs: recipe.needs ?? [],
    missing: mmdebstrapMissing,
    build: (engine, ref) => buildStandIn(engine, recipe, ref),
  };
}

export function describeRecipe(recipe: StandInRecipe): string {
  return `${recipe.program}: Debian ${recipe.suite} packages (${recipe.packages.join(', ')}) + docker import`;
}

/**
 * Config instructions `docker import --change` refuses (it takes only CMD, ENTRYPOINT, ENV,
 * EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR): e.g. wordpress's STOPSIGNAL SIGWINCH.
 */
const NOT_IMPORTABLE = /^\s*(STOPSIGNAL|HEALTHCHECK|SHELL)\s/i;

/**
 * Applies instructions on top of image `id` and tags the result `ref`: a build of
 * `FROM <id>` + the instructions, which changes only the config (no layer). The classic builder,
 * because it takes an image id in FROM and never asks a registry about it.
 */
async function applyInstructions(engine: Engine, id: string, ref: string, instructions: readonly string[]): Promise<string> {
  const r = await runOk('docker', ['build', '--quiet', '--tag', ref, '-'], {
    env: { ...engine.env, DOCKER_BUILDKIT: '0' },
    input: `FROM ${id}\n${instructions.join('\n')}\n`,
    timeoutMs: 5 * 60_000,
  });
  return r.stdout.trim().split('\n').pop() ?? '';
}

/**
 * Builds `ref` from the recipe and returns its image id. A failing build throws an error that
 * names the image and ends with the failing step's output (mmdebstrap names the package).
 */
export async function buildStandIn(engine: Engine, recipe: StandInRecipe, ref: string): Promise<string> {
  const dir = await makeWorkDir('stand-in');
  try {
    const spec = recipeSpec(recipe, dir);
    const labels = (packages: string) => standInLabels({ how: describeRecipe(recipe), recipe: recipeHash(recipe), packages });
    const afterImport = recipe.config.filter((c) => NOT_IMPORTABLE.test(c));
    try {
      const id = await buildDebianImage(engine, spec, ref, {
        changes: [PATH_ENV, ...recipe.config.filter((c) => !NOT_IMPORTABLE.test(c))],
        // Read after mmdebstrap ran, before import.
        lateChanges: () => labels(readFileSync(join(dir, VERSIONS_FILE), 'utf8').trim()),
      });
      return afterImport.length ? await applyInstructions(engine, id, ref, afterImport) : id;
    } catch (err) {
      throw new Error(`building the stand-in ${ref} (${recipe.program}) failed: ${(err as Error).message}`);
    }
  } finally {
    await removeWorkDir(dir);
  }
}
