// The lab image: "the reader's machine". A Debian (forky by default: docker.io 28.5, the newest
// engine Debian ships; the suite is the run's, handed down from its CLI: config.ts
// resolveLabSuite) with the Docker engine and the tools a reader has (bash, curl, sudo, nano,
// python3…), whose entrypoint starts a nested dockerd that pulls through the harness's registry
// mirror. The same image also runs the mirror itself (it carries Debian's docker-registry), so
// the harness builds one image, not two.
//
// Built once; the tag carries a hash of the recipe, so changing anything below (packages, the
// entrypoint, the registry config) builds a new image and old ones are dropped.
import { READER_HOME, READER_USER } from '../model/reader.ts';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { LABEL_IMAGE, LABEL_IMAGE_HOW, LABEL_RECIPE } from './labels.ts';
import { withBuildLock } from './build-lock.ts';
import { isRoot } from './host-packages.ts';
import { commandExists, run } from './proc.ts';
import { buildDebianImage, debianSources, mmdebstrapArgs, type RootfsSpec } from './rootfs.ts';
import { config, type LabSuite } from './config.ts';
import { makeWorkDir, removeWorkDir } from './workdir.ts';

export const LAB_REPO = 'curso-verify/lab';
export const LAB_HOSTNAME = 'lector';
/** Name the registry mirror has on the lab network; the nested dockerd is configured with it. */
export const MIRROR_HOST = 'mirror';
export const MIRROR_PORT = 5000;
/** Where a lab sees the seed volume until its entrypoint has copied it, and the completeness marker. */
export const SEED_MOUNT = '/var/lib/curso-verify-seed';
export const SEED_MARKER = '.curso-verify-seed-complete';

const PACKAGES = [
  // the engine, as Debian ships it (docker.io 28.5 in forky, 26.1 in trixie), with buildx and compose
  'docker.io',
  'docker-cli',
  'docker-buildx',
  'docker-compose',
  'iptables',
  // what a reader's shell has
  'bash',
  'curl',
  'ca-certificates',
  'procps',
  'passwd',
  'sudo',
  'less',
  'nano',
  'python3',
  'iproute2',
  // the mirror's registry (same image runs it)
  'docker-registry',
  // PID 1 that reaps the zombies `docker exec` sessions leave behind
  'tini',
  // DNS forwarder for nested containers (see the entrypoint)
  'dnsmasq-base',
];

/**
 * The lab's own files, real files beside this module (hashed into the recipe): the entrypoint
 * that starts the nested dockerd, the mirror's registry config, and the reader's sudo rule.
 */
const FILES_DIR = join(import.meta.dirname, 'lab-files');
const LAB_FILES = {
  entrypoint: { from: 'lab-entrypoint.sh', to: '/usr/local/bin/lab-entrypoint', mode: '0755' },
  registry: { from: 'registry.yml', to: '/etc/curso-verify/registry.yml', mode: '0644' },
  sudoers: { from: 'sudoers-lector', to: '/etc/sudoers.d/lector', mode: '0440' },
} as const;
const fileText = (f: keyof typeof LAB_FILES): string => readFileSync(join(FILES_DIR, LAB_FILES[f].from), 'utf8');

/**
 * The reader: a normal user in the docker group who may use sudo, as after the installation
 * lesson. The page's shell runs as this user; the harness's own setup runs as root.
 */
export const LAB_USER = READER_USER;
export const LAB_HOME = READER_HOME;
// The docker group comes from docker.io's postinst; created here too, should that ever change.
const ADD_USER = `getent group docker >/dev/null || groupadd --system docker; useradd --create-home --uid 1000 --groups docker --shell /bin/bash ${LAB_USER}`;

export const REGISTRY_CONFIG_PATH = LAB_FILES.registry.to;

/** tini first (it reaps the zombies `docker exec` sessions leave), then the entrypoint. */
export const LAB_ENTRYPOINT = ['/usr/bin/tini', '--', '/usr/local/bin/lab-entrypoint'] as const;

const CHANGES = [
  `ENTRYPOINT [${LAB_ENTRYPOINT.map((a) => JSON.stringify(a)).join(', ')}]`,
  'CMD []',
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'WORKDIR /root',
];

function spec(suite: LabSuite, filesDir: string): RootfsSpec {
  return {
    suite,
    include: PACKAGES,
    customize: [
      ...Object.values(LAB_FILES).map((f) => `install -D -m ${f.mode} ${join(filesDir, f.from)} "$1${f.to}"`),
      `chroot "$1" sh -c '${ADD_USER}'`,
    ],
  };
}

export type LabBuildMethod = 'mmdebstrap' | 'dockerfile';

/**
 * mmdebstrap needs a Debian host and root. Elsewhere (Docker Desktop, a rootless engine) the
 * same packages are installed by a Dockerfile on top of debian:trixie — the real one when a
 * registry answers, else our stand-in. CURSO_VERIFY_LAB_BUILD forces one.
 */
export async function labBuildMethod(): Promise<LabBuildMethod> {
  const forced = config.labBuild();
  if (forced === 'mmdebstrap' || forced === 'dockerfile') return forced;
  return isRoot() && (await commandExists('mmdebstrap')) ? 'mmdebstrap' : 'dockerfile';
}

function dockerfile(suite: LabSuite): string {
  // Built on the trixie base image (the one the harness always has); another suite's packages
  // come from that suite's sources.
  const sources =
    suite === 'trixie'
      ? []
      : [
          `RUN rm -f /etc/apt/sources.list.d/debian.sources && printf '%s\\n' ${debianSources(suite)
            .map((l) => JSON.stringify(l))
            .join(' ')} > /etc/apt/sources.list`,
        ];
  return [
    'FROM debian:trixie',
    ...sources,
    `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES.join(' ')} \\`,
    '    && rm -rf /var/lib/apt/lists/*',
    // (COPY --chmod needs BuildKit; this image is built by the engine's classic builder.)
    ...Object.values(LAB_FILES).map((f) => `COPY ${f.from} ${f.to}`),
    `RUN ${Object.values(LAB_FILES)
      .map((f) => `chmod ${f.mode} ${f.to}`)
      .join(' && ')} && ${ADD_USER}`,
    ...CHANGES,
  ].join('\n');
}

/** Hash of everything that determines the image's content. */
export function labRecipeHash(method: LabBuildMethod, suite: LabSuite): string {
  const recipe = method === 'mmdebstrap' ? mmdebstrapArgs(spec(suite, 'FILES'), 'rootfs').join('\n') : dockerfile(suite);
  return createHash('sha256')
    .update(
      ['lab-v4', method, recipe, ...Object.keys(LAB_FILES).map((f) => fileText(f as keyof typeof LAB_FILES)), ...CHANGES].join('\n\0'),
    )
    .digest('hex')
    .slice(0, 12);
}

export interface LabImage {
  ref: string;
  id: string;
  /** The Debian suite and recipe hash it was built from (part of every page's cache key). */
  suite: LabSuite;
  recipe: string;
  built: boolean;
  how: string;
}

export interface EnsureLabImageOptions {
  /** The Debian suite to build from (the run's, as its CLI resolved it). */
  suite: LabSuite;
  log: (msg: string) => void;
  /** Resolves once debian:trixie is on the engine (needed by the Dockerfile method only). */
  baseImages?: Promise<unknown>;
}

export async function ensureLabImage(engine: Engine, opts: EnsureLabImageOptions): Promise<LabImage> {
  const method = await labBuildMethod();
  const suite = opts.suite;
  const recipe = labRecipeHash(method, suite);
  const ref = `${LAB_REPO}:${recipe}`;
  const how =
    method === 'mmdebstrap'
      ? `mmdebstrap --variant=minbase ${suite} + docker.io and reader tools + docker import`
      : `docker build: FROM debian:trixie + apt-get install docker.io and reader tools from ${suite}`;
  const present = async (): Promise<LabImage | null> => {
    const img = await engine.docker
      .getImage(ref)
      .inspect()
      .catch(() => null);
    if (!img) return null;
    // Earlier images that were still in use when they were replaced go now.
    await dropOldLabImages(engine, ref, how);
    return { ref, id: img.Id, built: false, how, suite, recipe };
  };
  const ready = await present();
  if (ready) return ready;
  // One build per recipe on this machine (build-lock.ts): a run that finds another one
  // building it waits, then takes what it built.
  return withBuildLock(`lab-${recipe}`, async () => (await present()) ?? build(), {
    onWait: () => opts.log(`waiting for another run that is building the lab image ${ref}`),
  });

  async function build(): Promise<LabImage> {
    opts.log(`building the lab image ${ref} (${how}); this happens once per recipe change`);
    const dir = await makeWorkDir('lab');
    try {
      for (const f of Object.values(LAB_FILES)) copyFileSync(join(FILES_DIR, f.from), join(dir, f.from));
      const labels = [`LABEL ${LABEL_IMAGE}=lab`, `LABEL ${LABEL_IMAGE_HOW}=${JSON.stringify(how)}`, `LABEL ${LABEL_RECIPE}=${recipe}`];
      let id: string;
      if (method === 'mmdebstrap') {
        id = await buildDebianImage(engine, spec(suite, dir), ref, { changes: [...CHANGES, ...labels] });
      } else {
        await opts.baseImages;
        writeFileSync(join(dir, 'Dockerfile'), [dockerfile(suite), ...labels, ''].join('\n'));
        id = await dockerBuild(engine, dir, ['Dockerfile', ...Object.values(LAB_FILES).map((f) => f.from)], ref);
      }
      await dropOldLabImages(engine, ref, how);
      return { ref, id, built: true, how, suite, recipe };
    } finally {
      await removeWorkDir(dir);
    }
  }
}

/** `docker build` through the API (the engine's own builder: no buildx needed on the host). */
async function dockerBuild(engine: Engine, context: string, src: string[], ref: string): Promise<string> {
  const stream = await engine.docker.buildImage({ context, src }, { t: ref, rm: true, forcerm: true });
  const events = await new Promise<Array<{ stream?: string; error?: string }>>((res, rej) =>
    engine.docker.modem.followProgress(stream, (err: Error | null, out: Array<{ stream?: string; error?: string }>) =>
      err ? rej(err) : res(out),
    ),
  );
  const failed = events.find((e) => e.error);
  if (failed) {
    const tail = events
      .map((e) => e.stream ?? e.error ?? '')
      .join('')
      .trim()
      .split('\n')
      .slice(-20)
      .join('\n');
    throw new Error(`building ${ref} failed:\n${tail}`);
  }
  return (await engine.docker.getImage(ref).inspect()).Id;
}

/**
 * Lab images of earlier recipes are dead weight (~0.6 GB each): remove those made the same way
 * (the other method's image may be another machine's or run's current one) and not in use.
 */
async function dropOldLabImages(engine: Engine, keep: string, how: string): Promise<void> {
  const images = await engine.docker.listImages({ filters: { reference: [LAB_REPO] } });
  for (const img of images) {
    if (img.Labels?.[LABEL_IMAGE_HOW] !== how) continue;
    for (const tag of img.RepoTags ?? []) {
      if (tag !== keep) await run('docker', ['rmi', tag], { env: engine.env, timeoutMs: 60_000 });
    }
  }
}
