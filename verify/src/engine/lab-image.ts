// The lab image: "the reader's machine". A Debian (forky by default: docker.io 28.5, the newest
// engine Debian ships; the suite is a parameter, see config.labSuite) with the Docker engine and the tools a
// reader has (bash, curl, sudo, nano, python3…), whose entrypoint starts a nested dockerd that
// pulls through the harness's registry mirror. The same image also runs the mirror itself
// (it carries Debian's docker-registry), so the harness builds one image, not two.
//
// Built once; the tag carries a hash of the recipe, so changing anything below (packages, the
// entrypoint, the registry config) builds a new image and old ones are dropped.
import { createHash } from 'node:crypto';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { LABEL_IMAGE, LABEL_IMAGE_HOW, LABEL_RECIPE } from './labels.ts';
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
  'docker.io', 'docker-cli', 'docker-buildx', 'docker-compose', 'iptables',
  // what a reader's shell has
  'bash', 'curl', 'ca-certificates', 'procps', 'passwd', 'sudo', 'less', 'nano', 'python3', 'iproute2',
  // the mirror's registry (same image runs it)
  'docker-registry',
  // PID 1 that reaps the zombies `docker exec` sessions leave behind
  'tini',
  // DNS forwarder for nested containers (see the entrypoint)
  'dnsmasq-base',
];

const ENTRYPOINT = `#!/bin/bash
# Entrypoint of a curso-verify lab: prepares and starts the nested dockerd (runs under tini).
set -eu

# cgroup v2 with a private cgroup namespace (the --privileged mode): dockerd cannot create
# child cgroups while processes sit in the root one, so move them to /init first (the same
# trick as moby's hack/dind). Skipped when the cgroup namespace is the host's.
if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qx '0::/' /proc/self/cgroup; then
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || :
fi

# DNS. On a user network the lab resolves through the engine's embedded DNS (127.0.0.11),
# which nested containers cannot reach, so dockerd would hand them public resolvers instead
# (8.8.8.8) — wrong on machines with a local resolver, and traffic we do not want. Forward
# from the lab's own address to the embedded DNS and give nested containers that address.
dns=''
ip=$(ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1)
if [ -n "$ip" ] && grep -q '^nameserver 127\\.' /etc/resolv.conf; then
  upstream=$(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)
  dnsmasq --listen-address="$ip" --bind-interfaces --no-resolv --no-hosts --server="$upstream" \\
    --user=root --pid-file=/run/dnsmasq.pid --log-facility=/var/log/dnsmasq.log
  dns=", \\"dns\\": [\\"$ip\\"]"
fi

# Seed (see seed.ts): a read-only copy of a /var/lib/docker where the base images are already
# pulled. Copying it is several times faster than pulling and extracting them again. Only into
# an empty /var/lib/docker, only from a complete seed; then the mount is taken away, so the
# reader's machine shows no trace of it.
if [ "\${1:-}" = --seed ] && [ -n "\${2:-}" ]; then
  if [ -f "$2/${SEED_MARKER}" ] && [ -z "$(ls -A /var/lib/docker)" ]; then
    # --reflink=never: coreutils' default (auto) tries a clone/copy_file_range per file, which
    # was measured 7x slower than plain read/write here (8 s against 1.1 s for the seed).
    cp -a --reflink=never "$2/." /var/lib/docker/ && rm -f "/var/lib/docker/${SEED_MARKER}"
  fi
  umount "$2" 2>/dev/null && rmdir "$2" 2>/dev/null || :
fi

mkdir -p /etc/docker
cat > /etc/docker/daemon.json <<JSON
{
  "registry-mirrors": ["http://${MIRROR_HOST}:${MIRROR_PORT}"],
  "insecure-registries": ["${MIRROR_HOST}:${MIRROR_PORT}"]$dns
}
JSON

exec dockerd --host=unix:///var/run/docker.sock >>/var/log/dockerd.log 2>&1
`;

// Debian's default registry config enables htpasswd auth; the mirror needs none.
const REGISTRY_CONFIG = `version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :${MIRROR_PORT}
  headers:
    X-Content-Type-Options: [nosniff]
`;
export const REGISTRY_CONFIG_PATH = '/etc/curso-verify/registry.yml';

/** tini first (it reaps the zombies `docker exec` sessions leave), then the entrypoint. */
export const LAB_ENTRYPOINT = ['/usr/bin/tini', '--', '/usr/local/bin/lab-entrypoint'] as const;

const CHANGES = [
  `ENTRYPOINT [${LAB_ENTRYPOINT.map((a) => JSON.stringify(a)).join(", ")}]`,
  'CMD []',
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'WORKDIR /root',
];

function spec(suite: LabSuite, entrypointFile: string, registryFile: string): RootfsSpec {
  return {
    suite,
    include: PACKAGES,
    customize: [
      `install -m 0755 ${entrypointFile} "$1/usr/local/bin/lab-entrypoint"`,
      `install -D -m 0644 ${registryFile} "$1${REGISTRY_CONFIG_PATH}"`,
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
      : [`RUN rm -f /etc/apt/sources.list.d/debian.sources && printf '%s\\n' ${debianSources(suite).map((l) => JSON.stringify(l)).join(' ')} > /etc/apt/sources.list`];
  return [
    'FROM debian:trixie',
    ...sources,
    `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES.join(' ')} \\`,
    '    && rm -rf /var/lib/apt/lists/*',
    'COPY lab-entrypoint /usr/local/bin/lab-entrypoint',
    `COPY registry.yml ${REGISTRY_CONFIG_PATH}`,
    ...CHANGES,
  ].join('\n');
}

/** Hash of everything that determines the image's content. */
export function labRecipeHash(method: LabBuildMethod, suite: LabSuite = config.labSuite()): string {
  const recipe = method === 'mmdebstrap' ? mmdebstrapArgs(spec(suite, 'ENTRYPOINT', 'REGISTRY'), 'rootfs').join('\n') : dockerfile(suite);
  return createHash('sha256')
    // (The mmdebstrap recipe hashes as it did before the Dockerfile method existed, so existing
    // lab images stay valid.)
    .update(['lab-v3', ...(method === 'mmdebstrap' ? [] : [method]), recipe, ENTRYPOINT, REGISTRY_CONFIG, ...CHANGES].join('\n\0'))
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
  log: (msg: string) => void;
  /** Resolves once debian:trixie is on the engine (needed by the Dockerfile method only). */
  baseImages?: Promise<unknown>;
}

export async function ensureLabImage(engine: Engine, opts: EnsureLabImageOptions): Promise<LabImage> {
  const method = await labBuildMethod();
  const suite = config.labSuite();
  const recipe = labRecipeHash(method, suite);
  const ref = `${LAB_REPO}:${recipe}`;
  const how =
    method === 'mmdebstrap'
      ? `mmdebstrap --variant=minbase ${suite} + docker.io and reader tools + docker import`
      : `docker build: FROM debian:trixie + apt-get install docker.io and reader tools from ${suite}`;
  try {
    const img = await engine.docker.getImage(ref).inspect();
    // Earlier images that were still in use when they were replaced go now.
    await dropOldLabImages(engine, ref, how);
    return { ref, id: img.Id, built: false, how, suite, recipe };
  } catch {
    // not built yet
  }
  opts.log(`building the lab image ${ref} (${how}); this happens once per recipe change`);
  const dir = await makeWorkDir('lab');
  try {
    const entry = join(dir, 'lab-entrypoint');
    const reg = join(dir, 'registry.yml');
    writeFileSync(entry, ENTRYPOINT);
    chmodSync(entry, 0o755);
    writeFileSync(reg, REGISTRY_CONFIG);
    const labels = [
      `LABEL ${LABEL_IMAGE}=lab`,
      `LABEL ${LABEL_IMAGE_HOW}=${JSON.stringify(how)}`,
      `LABEL ${LABEL_RECIPE}=${recipe}`,
    ];
    let id: string;
    if (method === 'mmdebstrap') {
      id = await buildDebianImage(engine, spec(suite, entry, reg), ref, { changes: [...CHANGES, ...labels] });
    } else {
      await opts.baseImages;
      writeFileSync(join(dir, 'Dockerfile'), [dockerfile(suite), ...labels, ''].join('\n'));
      id = await dockerBuild(engine, dir, ['Dockerfile', 'lab-entrypoint', 'registry.yml'], ref);
    }
    await dropOldLabImages(engine, ref, how);
    return { ref, id, built: true, how, suite, recipe };
  } finally {
    await removeWorkDir(dir);
  }
}

/** `docker build` through the API (the engine's own builder: no buildx needed on the host). */
async function dockerBuild(engine: Engine, context: string, src: string[], ref: string): Promise<string> {
  const stream = await engine.docker.buildImage({ context, src }, { t: ref, rm: true, forcerm: true });
  const events = await new Promise<Array<{ stream?: string; error?: string }>>((res, rej) =>
    engine.docker.modem.followProgress(stream, (err: Error | null, out: Array<{ stream?: string; error?: string }>) => (err ? rej(err) : res(out))),
  );
  const failed = events.find((e) => e.error);
  if (failed) {
    const tail = events.map((e) => e.stream ?? e.error ?? '').join('').trim().split('\n').slice(-20).join('\n');
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
