// The images the course pages use (busybox, debian:bookworm, debian:trixie), made available on
// the host engine. Real images when a registry answers; otherwise stand-ins built offline from
// Debian packages, which behave the same for what the pages do (a shell, coreutils/applets,
// apt-get, /etc/debian_version). Every result says which it is, so reports can tell the reader
// the truth about what was verified.
import { createHash } from 'node:crypto';
import { cpSync, linkSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Engine } from './engine.ts';
import { LABEL_IMAGE, LABEL_IMAGE_HOW, LABEL_RECIPE } from './labels.ts';
import { isRoot } from './host-packages.ts';
import { commandExists, run, runOk } from './proc.ts';
import { buildDebianImage, importTar, mmdebstrapArgs } from './rootfs.ts';
import { makeWorkDir, removeWorkDir } from './workdir.ts';

export const BASE_IMAGES = ['busybox:latest', 'debian:bookworm', 'debian:trixie'] as const;
export type BaseImageRef = (typeof BASE_IMAGES)[number];

export interface ImageProvenance {
  ref: string;
  source: 'registry' | 'stand-in';
  /** Human-readable: how the image was obtained or built. */
  how: string;
  /** Image id (sha256:…) on the host engine. */
  id: string;
}

export interface EnsureImagesOptions {
  log: (msg: string) => void;
  /** Do not ask any registry; build stand-ins for what is missing. Default: env CURSO_VERIFY_OFFLINE=1. */
  offline?: boolean;
  /** How long the registry probe may take before we decide there is no registry (default 15 s). */
  probeTimeoutMs?: number;
}

// Same PATH the official images declare, so `docker inspect` and `env` look as readers expect.
const PATH_ENV = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface StandIn {
  how: string;
  /** Identifies the recipe; a stand-in built from another recipe is rebuilt. */
  recipe: string;
  build: (engine: Engine, ref: string, changes: string[]) => Promise<string>;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

// --- busybox ---------------------------------------------------------------------------------

// The official busybox image's accounts; httpd, su, adduser and `ls -l` need them.
const BUSYBOX_PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;
const BUSYBOX_GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
mail:x:12:
www-data:x:33:
operator:x:37:
users:x:100:
nogroup:x:65534:
`;

async function busyboxVersion(): Promise<string> {
  const r = await run('dpkg-query', ['-W', '-f=${Version}', 'busybox-static']);
  return r.exitCode === 0 ? r.stdout.trim() : 'unknown';
}

async function buildBusybox(engine: Engine, ref: string, changes: string[]): Promise<string> {
  const dir = await makeWorkDir('busybox');
  try {
    const root = join(dir, 'rootfs');
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'home', 'var/www', 'var/spool/mail', 'dev', 'proc', 'sys']) {
      mkdirSync(join(root, d), { recursive: true });
    }
    mkdirSync(join(root, 'tmp'));
    chmodSync(join(root, 'tmp'), 0o1777);
    chmodSync(join(root, 'root'), 0o700);
    cpSync('/bin/busybox', join(root, 'bin/busybox'));
    // Hard links, like the official image: every applet is the same binary under its own name.
    const list = await runOk('/bin/busybox', ['--list-full']);
    for (const applet of list.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const target = join(root, applet);
      if (applet === 'bin/busybox') continue;
      mkdirSync(dirname(target), { recursive: true });
      linkSync(join(root, 'bin/busybox'), target);
    }
    writeFileSync(join(root, 'etc/passwd'), BUSYBOX_PASSWD);
    writeFileSync(join(root, 'etc/group'), BUSYBOX_GROUP);
    writeFileSync(join(root, 'etc/shadow'), BUSYBOX_PASSWD.split('\n').filter(Boolean).map((l) => `${l.split(':')[0]}:*:::::::`).join('\n') + '\n', { mode: 0o640 });
    const tar = join(dir, 'rootfs.tar');
    await runOk('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tar, '.']);
    return await importTar(engine, tar, ref, { changes });
  } finally {
    await removeWorkDir(dir);
  }
}

// --- debian ----------------------------------------------------------------------------------

function debianStandIn(suite: string): StandIn {
  return {
    how: `mmdebstrap --variant=minbase ${suite} + docker import`,
    recipe: hash(`debian-v2 ${mmdebstrapArgs({ suite }, 'rootfs').join(' ')} ${PATH_ENV}`),
    build: (engine, ref, changes) => buildDebianImage(engine, { suite }, ref, { changes }),
  };
}

async function standInFor(ref: BaseImageRef): Promise<StandIn> {
  if (ref === 'busybox:latest') {
    const v = await busyboxVersion();
    return {
      how: `busybox-static ${v} (Debian package) + applet links + minimal /etc/passwd,/etc/group + docker import`,
      recipe: hash(`busybox-v1 ${v} ${BUSYBOX_PASSWD} ${BUSYBOX_GROUP} ${PATH_ENV}`),
      build: buildBusybox,
    };
  }
  return debianStandIn(ref.split(':')[1]!);
}

/** Why a stand-in for ref cannot be built on this machine, or null if it can. */
async function standInPrerequisites(ref: BaseImageRef): Promise<string | null> {
  if (ref === 'busybox:latest') {
    return (await busyboxVersion()) === 'unknown' ? 'the Debian package busybox-static is not installed' : null;
  }
  if (!isRoot()) return 'mmdebstrap runs as root here';
  return (await commandExists('mmdebstrap')) ? null : 'mmdebstrap is not installed';
}

function cmdFor(ref: BaseImageRef): string {
  return ref.startsWith('busybox') ? 'CMD ["sh"]' : 'CMD ["bash"]';
}

// --- registry --------------------------------------------------------------------------------

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

interface LocalImage {
  Id: string;
  RepoDigests?: string[];
  Config?: { Labels?: Record<string, string> | null };
}

async function inspectLocal(engine: Engine, ref: string): Promise<LocalImage | null> {
  try {
    return (await engine.docker.getImage(ref).inspect()) as LocalImage;
  } catch {
    return null;
  }
}

/** A stand-in of an earlier recipe, now untagged, is dropped unless something still uses it. */
async function dropReplaced(engine: Engine, old: LocalImage | null, now: LocalImage): Promise<void> {
  if (old && old.Id !== now.Id) await run('docker', ['rmi', old.Id], { env: engine.env, timeoutMs: 60_000 });
}

export async function ensureBaseImages(engine: Engine, opts: EnsureImagesOptions): Promise<ImageProvenance[]> {
  const offline = opts.offline ?? process.env.CURSO_VERIFY_OFFLINE === '1';
  // Probed at most once per call, and only if some image is missing.
  let probe: Promise<boolean> | undefined;
  const registryUp = (ref: string) =>
    (probe ??= registryAnswers(engine, ref, opts.probeTimeoutMs ?? 15_000).then((up) => {
      opts.log(up ? 'a registry answers: pulling the real base images' : 'no registry answers: building stand-in base images from Debian packages');
      return up;
    }));

  const one = async (ref: BaseImageRef): Promise<ImageProvenance> => {
    const standIn = await standInFor(ref);
    const local = await inspectLocal(engine, ref);
    const labels = local?.Config?.Labels ?? {};
    if (local && labels[LABEL_IMAGE] === 'stand-in' && labels[LABEL_RECIPE] === standIn.recipe) {
      return { ref, source: 'stand-in', how: labels[LABEL_IMAGE_HOW] ?? standIn.how, id: local.Id };
    }
    if (local && labels[LABEL_IMAGE] !== 'stand-in') {
      const digest = local.RepoDigests?.[0];
      return { ref, source: 'registry', how: digest ? `docker pull (cached: ${digest})` : 'present on the engine', id: local.Id };
    }

    if (!offline && (await registryUp(ref))) {
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

    const missing = await standInPrerequisites(ref);
    if (missing) {
      throw new Error(
        `${ref} is not on the engine, no registry answers${offline ? ' (offline mode)' : ''}, and a stand-in cannot be built here: ${missing}. ` +
          `Pull ${ref} where a registry is reachable, or run the harness as root on Debian.`,
      );
    }
    opts.log(`building stand-in ${ref}: ${standIn.how}`);
    const changes = [
      cmdFor(ref),
      PATH_ENV,
      `LABEL ${LABEL_IMAGE}=stand-in`,
      `LABEL ${LABEL_IMAGE_HOW}=${JSON.stringify(standIn.how)}`,
      `LABEL ${LABEL_RECIPE}=${standIn.recipe}`,
    ];
    await standIn.build(engine, ref, changes);
    const img = await inspectLocal(engine, ref);
    if (!img) throw new Error(`built ${ref} but the engine does not know it`);
    await dropReplaced(engine, local, img);
    return { ref, source: 'stand-in', how: standIn.how, id: img.Id };
  };

  // In parallel: the two mmdebstrap builds mostly wait on downloads and dpkg.
  return Promise.all(BASE_IMAGES.map(one));
}
