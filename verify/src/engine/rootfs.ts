// Building Debian root filesystems with mmdebstrap and turning them into images with
// `docker import`. This is how the harness gets debian:* stand-ins and its lab image without
// any registry: only Debian's package mirror is needed, which is reachable where Docker Hub
// may not be.
import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { config } from './config.ts';
import { runOk } from './proc.ts';
import { makeWorkDir, removeWorkDir } from './workdir.ts';

/** The sources a real debian:<suite> image has: the release, its updates and security. */
export function debianSources(suite: string): string[] {
  const DEBIAN_MIRROR = config.debianMirror();
  const DEBIAN_SECURITY = DEBIAN_MIRROR.replace(/\/debian\/?$/, '/debian-security');
  // Testing (forky) and unstable have no -updates suite, and unstable no security suite.
  if (suite === 'sid' || suite === 'unstable') return [`deb ${DEBIAN_MIRROR} ${suite} main`];
  return [
    `deb ${DEBIAN_MIRROR} ${suite} main`,
    `deb ${DEBIAN_MIRROR} ${suite}-updates main`,
    `deb ${DEBIAN_SECURITY} ${suite}-security main`,
  ];
}

export interface RootfsSpec {
  suite: string;
  /** Extra packages (mmdebstrap --include); Recommends are not installed (mmdebstrap default). */
  include?: readonly string[];
  /** Shell commands run after installation with "$1" = the root directory. */
  customize?: readonly string[];
  /** mmdebstrap --skip actions, e.g. 'cleanup/run' (keep what the hooks made in /run). */
  skip?: readonly string[];
}

const ROLLING_SUITES = new Set(['forky', 'testing', 'sid', 'unstable']);

/** The mmdebstrap argv for a spec (also what the recipe hash of the lab image is made of). */
export function mmdebstrapArgs(spec: RootfsSpec, target: string): string[] {
  const args = ['--variant=minbase', '--mode=root', '--format=directory', '--quiet'];
  // Testing and unstable Release files expire within days; a package mirror that lags behind
  // (or a snapshot) still serves consistent packages, so do not reject them for their age.
  if (ROLLING_SUITES.has(spec.suite)) args.push('--aptopt=Acquire::Check-Valid-Until "false"');
  if (spec.include?.length) args.push(`--include=${spec.include.join(',')}`);
  for (const s of spec.skip ?? []) args.push(`--skip=${s}`);
  for (const c of spec.customize ?? []) args.push(`--customize-hook=${c}`);
  args.push(spec.suite, target, ...debianSources(spec.suite));
  return args;
}

export interface ImportOptions {
  /** Dockerfile instructions applied on import (CMD, LABEL, ENV, ENTRYPOINT…). */
  changes: readonly string[];
  /** More instructions, computed once the root filesystem is built (e.g. from its package versions). */
  lateChanges?: () => readonly string[];
}

/** Imports a root filesystem tar as `ref` and returns the image id. */
export async function importTar(engine: Engine, tarPath: string, ref: string, opts: ImportOptions): Promise<string> {
  const args = ['import'];
  for (const c of opts.changes) args.push('--change', c);
  args.push(tarPath, ref);
  const r = await runOk('docker', args, { env: engine.env, timeoutMs: 10 * 60_000 });
  return r.stdout.trim().split('\n').pop() ?? '';
}

/** Packs a root directory as an image layer would hold it: root-owned, xattrs kept, /dev empty. */
export async function packRootfs(root: string, tar: string): Promise<void> {
  // /dev stays empty, as in real images: the engine provides one when a container starts, and
  // nested engines may refuse to create device nodes when they pull a layer.
  // (Filtering at creation time: `tar --delete` on the finished archive has been seen to drop
  // the archive's last members.)
  await runOk('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--exclude=./dev/*', '-C', root, '-cf', tar, '.']);
}

/** mmdebstrap into a temporary directory, pack and import it, delete both. */
export async function buildDebianImage(engine: Engine, spec: RootfsSpec, ref: string, opts: ImportOptions): Promise<string> {
  const dir = await makeWorkDir('rootfs');
  try {
    const root = join(dir, 'rootfs');
    const tar = join(dir, 'rootfs.tar');
    await runOk('mmdebstrap', mmdebstrapArgs(spec, root), { timeoutMs: 20 * 60_000 });
    await packRootfs(root, tar);
    return await importTar(engine, tar, ref, { changes: [...opts.changes, ...(opts.lateChanges?.() ?? [])] });
  } finally {
    await removeWorkDir(dir);
  }
}
