import type { Engine } from '../../src/engine/engine.ts';
import { ensureImages } from '../../src/engine/images.ts';

/**
 * The stand-ins `refs` on the engine, made as the harness makes them (ensureImages: reused when
 * the engine has their recipe's build, else built once on this machine, under the build lock,
 * so a build already under way elsewhere is waited for, not repeated). Never an image someone
 * pulled: the stand-in tests are about the stand-ins.
 */
export async function ensureStandIns(engine: Engine, refs: readonly string[], log: (m: string) => void): Promise<void> {
  const images = await ensureImages(engine, refs, { log, offline: true });
  for (const ref of refs)
    if (images.find((i) => i.ref === ref)?.source !== 'stand-in')
      throw new Error(`${ref} on this engine is not a stand-in (pulled from a registry?); remove it to run this test`);
}
