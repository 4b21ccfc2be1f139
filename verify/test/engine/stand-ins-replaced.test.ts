// What happens to a stand-in image when its recipe changes, against the real engine: the new
// image takes the tag and the superseded one is removed; tags that share a recipe are built
// once; runs that want the same missing stand-in at once build it once (the build lock, also
// across processes); and superseded stand-ins an earlier run could not remove are swept, but
// never one a container uses, nor an untagged image that is not a stand-in.
// The stand-ins here are throwaway recipes under this run's own tags (a one-file image), so the
// test is quick and never touches the images other runs on this engine use.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLockPath, withBuildLock } from '../../src/engine/build-lock.ts';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { removeRun } from '../../src/engine/cleanup.ts';
import { connectEngine, type Engine } from '../../src/engine/engine.ts';
import { ensureImages, inspectLocal } from '../../src/engine/images.ts';
import { runLabels, slug } from '../../src/engine/labels.ts';
import { run, runOk } from '../../src/engine/proc.ts';
import { importTar } from '../../src/engine/rootfs.ts';
import { standInLabels } from '../../src/engine/stand-ins/build.ts';
import type { StandIn } from '../../src/engine/stand-ins/stand-in.ts';

const log = (msg: string) => console.log(`[replaced] ${msg}`);
const tag = randomBytes(3).toString('hex');
const runId = `replaced-test-${process.pid}-${tag}`;
const REPO = `curso-verify-test/replaced-${process.pid}-${tag}`;
/** On the untagged images this test makes, so the end of the test finds them whatever happened. */
const TEST_LABEL = 'curso-verify.test';
const scratch = mkdtempSync(join(tmpdir(), 'curso-verify-replaced-'));
let engine: Engine;
let tarball: string;

/** Every build of the throwaway stand-ins, by recipe. */
const builds: string[] = [];

/** A stand-in of recipe `recipe`: a one-file image imported with the stand-in labels. */
function fake(recipe: string): StandIn {
  const how = `test stand-in, recipe ${recipe}`;
  return {
    how,
    recipe,
    program: 'nothing',
    differences: [],
    needs: [],
    missing: async () => null,
    build: async (eng, ref) => {
      builds.push(recipe);
      return importTar(eng, tarball, ref, { changes: standInLabels({ how, recipe, packages: `recipe=${recipe}` }) });
    },
  };
}

const prepare = (table: Record<string, StandIn>) =>
  ensureImages(engine, Object.keys(table), {
    log,
    offline: true,
    standIns: Object.fromEntries(Object.entries(table).map(([ref, s]) => [ref, () => s])),
  });
const idOf = async (ref: string) => (await inspectLocal(engine, ref))?.Id ?? null;
const exists = async (id: string) => (await run('docker', ['image', 'inspect', id], { env: engine.env })).exitCode === 0;

beforeAll(async () => {
  engine = await connectEngine({ cacheDir: defaultCacheDir(), log });
  mkdirSync(join(scratch, 'root'));
  writeFileSync(join(scratch, 'root', 'hello'), `replaced test ${tag}\n`);
  // Something a container can run (the static BusyBox the busybox stand-in is made of).
  copyFileSync('/bin/busybox', join(scratch, 'root', 'busybox'));
  tarball = join(scratch, 'root.tar');
  await runOk('tar', ['-C', join(scratch, 'root'), '-cf', tarball, '.']);
});

afterAll(async () => {
  if (engine) {
    await removeRun(engine, runId);
    const ours = [
      ...(await engine.docker.listImages({ all: true, filters: { reference: [REPO] } })),
      ...(await engine.docker.listImages({ all: true, filters: { label: [`${TEST_LABEL}=${runId}`] } })),
    ];
    for (const img of ours) await run('docker', ['rmi', '-f', img.Id], { env: engine.env });
  }
  rmSync(scratch, { recursive: true, force: true });
});

describe('a stand-in whose recipe changed', () => {
  it('is rebuilt under its tag, and the superseded image is removed', async () => {
    const ref = `${REPO}:one`;
    const [first] = (await prepare({ [ref]: fake('r1') })).filter((i) => i.ref === ref);
    expect(first?.source).toBe('stand-in');
    expect(first?.packages).toBe('recipe=r1');
    // Same recipe: reused, not rebuilt.
    const again = (await prepare({ [ref]: fake('r1') })).find((i) => i.ref === ref);
    expect(again?.id).toBe(first!.id);
    expect(builds.filter((r) => r === 'r1')).toHaveLength(1);

    const next = (await prepare({ [ref]: fake('r2') })).find((i) => i.ref === ref);
    expect(next?.id).not.toBe(first!.id);
    expect(await idOf(ref), `${ref} names the new image`).toBe(next!.id);
    expect(await exists(first!.id), 'the superseded image is gone').toBe(false);
  });

  it('shared by two tags, is built once for both, and both lose the old image', async () => {
    const [a, b] = [`${REPO}:shared-a`, `${REPO}:shared-b`];
    const old = fake('r3');
    const before = await prepare({ [a]: old, [b]: old });
    const oldId = before.find((i) => i.ref === a)!.id;
    expect(before.find((i) => i.ref === b)?.id).toBe(oldId);
    expect(builds.filter((r) => r === 'r3')).toHaveLength(1);

    const now = fake('r4');
    const after = await prepare({ [a]: now, [b]: now });
    const newId = after.find((i) => i.ref === a)!.id;
    expect(after.find((i) => i.ref === b)?.id).toBe(newId);
    expect(builds.filter((r) => r === 'r4')).toHaveLength(1);
    expect([await idOf(a), await idOf(b)]).toEqual([newId, newId]);
    expect(await exists(oldId), 'the image both tags named before is gone').toBe(false);
  });
});

describe('a second tag of a recipe already on the engine', () => {
  it('is tagged from the image there, not built again', async () => {
    const [a, b] = [`${REPO}:twin-a`, `${REPO}:twin-b`];
    const recipe = fake('r7');
    const first = await prepare({ [a]: recipe });
    // A later run wants the other tag too (as a page using wordpress:6.8 after one using
    // wordpress:6.8-apache): the engine has its image already.
    const later = await prepare({ [a]: recipe, [b]: recipe });
    expect(builds.filter((r) => r === 'r7')).toHaveLength(1);
    const id = first.find((i) => i.ref === a)!.id;
    expect(later.find((i) => i.ref === b)?.id).toBe(id);
    expect(await idOf(b)).toBe(id);
  });
});

describe('runs that want the same missing stand-in at once', () => {
  it('build it once and leave no untagged copy', async () => {
    const ref = `${REPO}:together`;
    const [x, y] = await Promise.all([prepare({ [ref]: fake('r5') }), prepare({ [ref]: fake('r5') })]);
    expect(builds.filter((r) => r === 'r5')).toHaveLength(1);
    expect(x.find((i) => i.ref === ref)?.id).toBe(y.find((i) => i.ref === ref)?.id);
    const copies = await engine.docker.listImages({ all: true, filters: { label: ['curso-verify.recipe=r5'] } });
    expect(copies.map((c) => c.Id)).toEqual([await idOf(ref)]);
  });

  it('in separate processes hold the build lock one at a time, and take over a dead holder’s lock', async () => {
    const dir = join(scratch, 'locks');
    const trace = join(scratch, 'trace');
    writeFileSync(trace, '');
    // A lock left by a process that is gone: taken over, not waited on.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => dead.on('exit', done));
    mkdirSync(dir, { recursive: true });
    writeFileSync(buildLockPath('together', dir), `${dead.pid} 1\n`);
    const child = () =>
      new Promise<number | null>((done, fail) => {
        const p = spawn(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `import { withBuildLock } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/engine/build-lock.ts')).href)};
             import { appendFileSync } from 'node:fs';
             await withBuildLock('together', async () => {
               appendFileSync(${JSON.stringify(trace)}, 'in ' + process.pid + '\\n');
               await new Promise((r) => setTimeout(r, 1500));
               appendFileSync(${JSON.stringify(trace)}, 'out ' + process.pid + '\\n');
             }, { dir: ${JSON.stringify(dir)} });`,
          ],
          { stdio: ['ignore', 'inherit', 'inherit'] },
        );
        p.on('error', fail);
        p.on('exit', done);
      });
    const codes = await Promise.all([child(), child(), withBuildLock('together', async () => 'here', { dir })]);
    expect(codes).toEqual([0, 0, 'here']);
    // Each holder leaves before the next one enters.
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['in', 'out', 'in', 'out']);
    expect(lines[0]!.split(' ')[1]).toBe(lines[1]!.split(' ')[1]);
  });
});

describe('superseded stand-ins left untagged by earlier runs', () => {
  it('are removed by the next run, except one a container uses and images that are not stand-ins', async () => {
    const imported = async (labels: string[], ref?: string) => {
      const r = await runOk('docker', ['import', ...labels.flatMap((l) => ['--change', l]), tarball, ...(ref ? [ref] : [])], {
        env: engine.env,
      });
      return r.stdout.trim().split('\n').pop()!;
    };
    const label = (recipe: string) => [...standInLabels({ how: 'test leftover', recipe, packages: '' }), `LABEL ${TEST_LABEL}=${runId}`];
    // (Other runs on this engine sweep too: `free` may be gone before our own sweep, as it should.)
    const free = await imported(label(`leftover-free-${tag}`));
    const other = await imported([`LABEL ${TEST_LABEL}=${runId}`]);
    // Tagged until its container runs, so no sweep can take it before; then untagged (a forced
    // rmi of the tag of an image a running container uses only removes the tag).
    const used = await imported(label(`leftover-used-${tag}`), `${REPO}:used`);
    const container = `curso-verify-${slug(runId)}-user`;
    const labelArgs = Object.entries(runLabels(runId, 'replaced-test')).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await runOk('docker', ['run', '-d', '--name', container, ...labelArgs, used, '/busybox', 'sleep', '600'], { env: engine.env });
    await runOk('docker', ['rmi', '-f', `${REPO}:used`], { env: engine.env });
    try {
      expect(await inspectLocal(engine, `${REPO}:used`), 'the used stand-in is untagged').toBeNull();
      await prepare({});
      expect(await exists(free), 'an untagged stand-in nothing uses').toBe(false);
      expect(await exists(used), 'an untagged stand-in a container uses').toBe(true);
      expect(await exists(other), 'an untagged image that is not a stand-in').toBe(true);
      await runOk('docker', ['rm', '-f', container], { env: engine.env });
      await prepare({});
      expect(await exists(used), 'once its container is gone').toBe(false);
    } finally {
      await run('docker', ['rm', '-f', container], { env: engine.env });
    }
  });
});
