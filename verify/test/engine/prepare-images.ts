// Global setup of the engine project: the images the engine tests use (the lab image, the
// stand-ins their files and fixture pages name, the package index), started at once in the
// background when the run starts.
// On a warm engine this is a few inspections. On a cold one (a fresh clone, a first run) the
// builds otherwise come one test file after another, each waiting for the last, on the one
// worker the engine files share; started together they use the machine while the browser and
// unit tests run on the other worker. A test that needs an image meanwhile waits for its build
// (one build per recipe on this machine: engine/build-lock.ts) instead of building it again.
// What goes wrong here is only logged: each test prepares what it needs and says why it cannot.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { resolveLabSuite } from '../../src/engine/config.ts';
import { connectEngine } from '../../src/engine/engine.ts';
import { ensureImages } from '../../src/engine/images.ts';
import { ensureLabImage } from '../../src/engine/lab-image.ts';
import { ensurePackageIndexImage } from '../../src/engine/package-index.ts';
import { imagesMentioned } from '../../src/engine/stand-ins/table.ts';

/** The engine tests' files and fixture pages: what they say is what they use. */
function testTexts(): string[] {
  return readdirSync(import.meta.dirname, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|md|yml|yaml)$|Dockerfile$/.test(d.name))
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'));
}

export default function setup(): () => Promise<void> {
  const log = (m: string) => console.log(`[images] ${m}`);
  const t0 = Date.now();
  const preparing = (async () => {
    const engine = await connectEngine({ cacheDir: defaultCacheDir(), log });
    await Promise.all([
      ensureImages(engine, imagesMentioned(testTexts()), { log }),
      ensureLabImage(engine, { suite: resolveLabSuite(undefined), log }),
      ensurePackageIndexImage(engine, { log }),
    ]);
  })().then(
    () => log(`the engine tests' images are ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`),
    (e: unknown) => log(`could not prepare the engine tests' images ahead: ${e instanceof Error ? e.message : String(e)}`),
  );
  // The run's end waits for the builds, so none is cut off half-way.
  return () => preparing;
}
