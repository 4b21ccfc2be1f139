// Stand-ins of the base images every lab has: busybox (Debian's busybox-static with an applet
// link per applet, like the official image) and debian:<suite> (mmdebstrap minbase, like the
// official images' rootfs). Their recipe hashes are unchanged from before the table existed,
// so images built then stay valid.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Engine } from '../engine.ts';
import { isRoot } from '../host-packages.ts';
import { commandExists, run, runOk } from '../proc.ts';
import { buildDebianImage, importTar, mmdebstrapArgs } from '../rootfs.ts';
import { makeWorkDir, removeWorkDir } from '../workdir.ts';
import { PATH_ENV, standInLabels } from './build.ts';
import type { StandIn } from './stand-in.ts';

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

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

async function buildBusyboxRootfs(engine: Engine, ref: string, changes: string[]): Promise<string> {
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
    for (const applet of list.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const target = join(root, applet);
      if (applet === 'bin/busybox') continue;
      mkdirSync(dirname(target), { recursive: true });
      linkSync(join(root, 'bin/busybox'), target);
    }
    writeFileSync(join(root, 'etc/passwd'), BUSYBOX_PASSWD);
    writeFileSync(join(root, 'etc/group'), BUSYBOX_GROUP);
    writeFileSync(
      join(root, 'etc/shadow'),
      `${BUSYBOX_PASSWD.split('\n')
        .filter(Boolean)
        .map((l) => `${l.split(':')[0]}:*:::::::`)
        .join('\n')}\n`,
      { mode: 0o640 },
    );
    const tar = join(dir, 'rootfs.tar');
    await runOk('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tar, '.']);
    return await importTar(engine, tar, ref, { changes });
  } finally {
    await removeWorkDir(dir);
  }
}

export async function busyboxStandIn(): Promise<StandIn> {
  const v = await busyboxVersion();
  const how = `busybox-static ${v} (Debian package) + applet links + minimal /etc/passwd,/etc/group + docker import`;
  const recipe = hash(`busybox-v1 ${v} ${BUSYBOX_PASSWD} ${BUSYBOX_GROUP} ${PATH_ENV}`);
  return {
    how,
    recipe,
    program: `BusyBox ${v.replace(/^\d+:/, '').split('-')[0]}`,
    differences: ["BusyBox version is Debian's busybox-static, not the newest upstream release the official image tracks."],
    needs: [],
    missing: async () => (v === 'unknown' ? 'the Debian package busybox-static is not installed' : null),
    build: (engine, ref) =>
      buildBusyboxRootfs(engine, ref, ['CMD ["sh"]', PATH_ENV, ...standInLabels({ how, recipe, packages: `busybox-static=${v}` })]),
  };
}

/**
 * The apt and dpkg settings the official debian images get from debuerreotype's minimizing
 * config: downloaded .debs and apt's binary caches are deleted after every install (so a
 * Dockerfile's `RUN --mount=type=cache,target=/var/cache/apt` only helps once `docker-clean` is
 * removed, as on a real image), no translations, gzipped indexes, unsafe-io dpkg.
 */
const OFFICIAL_APT_CONFIG: Record<string, string> = {
  '/etc/apt/apt.conf.d/docker-clean': [
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
    'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
    'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";',
  ].join('\n'),
  '/etc/apt/apt.conf.d/docker-autoremove-suggests': 'Apt::AutoRemove::SuggestsImportant "false";',
  '/etc/apt/apt.conf.d/docker-gzip-indexes': 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";',
  '/etc/apt/apt.conf.d/docker-no-languages': 'Acquire::Languages "none";',
  '/etc/dpkg/dpkg.cfg.d/docker-apt-speedup': 'force-unsafe-io',
};
/** mmdebstrap customize hooks writing OFFICIAL_APT_CONFIG into the root ("$1"). */
export const officialAptHooks = (): string[] =>
  Object.entries(OFFICIAL_APT_CONFIG).map(
    ([path, text]) => `printf '%s\\n' '${text.replace(/'/g, `'\\''`).replace(/\n/g, `' '`)}' > "$1${path}"`,
  );

export function debianStandIn(suite: string): StandIn {
  const how = `mmdebstrap --variant=minbase ${suite} + the official images' apt config + docker import`;
  const spec = { suite, customize: officialAptHooks() };
  const recipe = hash(`debian-v3 ${mmdebstrapArgs(spec, 'rootfs').join(' ')} ${PATH_ENV}`);
  return {
    how,
    recipe,
    program: `Debian ${suite} (minbase)`,
    differences: [
      "Built with mmdebstrap --variant=minbase, as the official rootfs is, but at today's package versions rather than the image's snapshot date.",
      "Has the official images' apt settings (docker-clean and the others of debuerreotype's minimizing config), written by hand rather than by debuerreotype.",
    ],
    needs: [],
    missing: mmdebstrapMissing,
    build: (engine, ref) =>
      buildDebianImage(engine, spec, ref, { changes: ['CMD ["bash"]', PATH_ENV, ...standInLabels({ how, recipe, packages: '' })] }),
  };
}

/** Why mmdebstrap stand-ins cannot be built on this machine, or null if they can. */
export async function mmdebstrapMissing(): Promise<string | null> {
  if (!isRoot()) return 'mmdebstrap runs as root here';
  return (await commandExists('mmdebstrap')) ? null : 'mmdebstrap is not installed';
}
