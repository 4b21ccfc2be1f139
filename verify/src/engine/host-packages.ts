// Installing what the harness needs on a Debian host, only when missing. Only used when no
// engine answers and we are root on Debian: on any other machine the user provides an engine.
import { existsSync } from 'node:fs';
import { run, runOk } from './proc.ts';

/**
 * Host packages the harness uses when it has to bring its own engine:
 *  - docker.io: dockerd, containerd, runc, docker-init (the docker CLI may already be newer);
 *  - mmdebstrap: builds Debian root filesystems offline-from-Docker-Hub (stand-in and lab images);
 *  - busybox-static: the busybox stand-in image is this static binary plus its applet links;
 *  - docker-registry: the distribution registry (the mirror runs it from the lab image; having it
 *    on the host too lets a maintainer run a mirror by hand);
 *  - iptables: dockerd needs it for bridge networking and published ports (docker.io depends on
 *    it, listed in case a host has docker.io without it).
 */
export const HOST_PACKAGES = ['docker.io', 'mmdebstrap', 'busybox-static', 'docker-registry', 'iptables'];

export function isDebian(): boolean {
  return existsSync('/etc/debian_version');
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export async function missingPackages(pkgs: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of pkgs) {
    const r = await run('dpkg-query', ['-W', '-f=${Status}', p]);
    if (r.exitCode !== 0 || !r.stdout.includes('install ok installed')) missing.push(p);
  }
  return missing;
}

/** apt-get install the missing ones; runs `apt-get update` first if the lists do not know them. */
export async function ensureHostPackages(pkgs: readonly string[], log: (msg: string) => void): Promise<string[]> {
  const missing = await missingPackages(pkgs);
  if (missing.length === 0) return [];
  log(`installing Debian packages: ${missing.join(' ')} (apt-get install -y --no-install-recommends)`);
  // noninteractive: no debconf prompt may block an unattended run.
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '--no-install-recommends', ...missing];
  let r = await run('apt-get', args, { env, timeoutMs: 15 * 60_000 });
  if (r.exitCode !== 0) {
    // Typical on a fresh machine: empty or stale package lists.
    log('apt-get install failed; running apt-get update and retrying');
    await run('apt-get', ['update'], { env, timeoutMs: 5 * 60_000 });
    r = await runOk('apt-get', args, { env, timeoutMs: 15 * 60_000 });
  }
  return missing;
}
