import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { config, type LabSuite } from '../engine/config.ts';
import { labBuildMethod, labRecipeHash } from '../engine/lab-image.ts';
import { BASE_IMAGES, STAND_INS } from '../engine/stand-ins/table.ts';
import type { RunInputs } from './key.ts';

// Gathers the inputs every page of a run shares (cache/key.ts), without an engine: the lab
// recipe and every stand-in recipe are hashes of data in the code, the harness is its files.

const SRC = path.resolve(import.meta.dirname, '..');
const ROOT = path.resolve(SRC, '../..');

export interface RunOptionsForKey {
  timeoutScale: number;
  /** The run's lab suite (--engine), the same the engine is prepared with. */
  suite: LabSuite;
}

export async function gatherRunInputs(opts: RunOptionsForKey): Promise<RunInputs> {
  const { suite } = opts;
  const imageRecipes: Record<string, string> = {};
  for (const [ref, make] of Object.entries(STAND_INS)) imageRecipes[ref] = (await make()).recipe;
  return {
    lab: { suite, recipe: labRecipeHash(await labBuildMethod(), suite) },
    imageRecipes,
    baseImages: BASE_IMAGES,
    harness: harnessHash(),
    options: {
      timeoutScale: opts.timeoutScale,
      // How labs are made changes what a page's commands see (privileges, storage, offline).
      dindMode: config.dindMode() ?? null,
      labStorage: config.labStorage(),
      labTmpfsSize: config.labTmpfsSize(),
      labSeed: config.labSeed(),
      offline: config.offline(),
    },
  };
}

let harness: string | undefined;

/**
 * Hash of the harness's version: every file under verify/src (the code that runs and judges
 * pages, the stand-ins' files) and the lockfile (the terminal emulator's version changes what a
 * step's output looks like). Any change invalidates every entry: safe, and rare.
 */
export function harnessHash(): string {
  if (harness) return harness;
  const h = createHash('sha256');
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(SRC, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
  for (const f of files)
    h.update(`${f}\0`)
      .update(readFileSync(path.join(SRC, f)))
      .update('\0');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(lock)) h.update(readFileSync(lock));
  h.update(process.version);
  harness = h.digest('hex').slice(0, 16);
  return harness;
}
