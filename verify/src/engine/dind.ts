// How to run a container that runs its own dockerd without handing it the host. The standard
// way, --privileged, gives a lab every capability and a writable view of the host's kernel
// settings and cgroups: a page that sets the clock, loads a module or writes a sysctl would
// change the machine of whoever runs the harness, and maintainers run it on pages from pull
// requests. So labs get only what a nested dockerd needs (see CONTAINED); the threat model is
// in verify/docs/engine.md.
import type Docker from 'dockerode';
import { config } from './config.ts';

export type DindMode = 'privileged' | 'contained';

// The engine API has CgroupnsMode (API 1.41+); @types/dockerode does not list it yet.
type HostConfig = Docker.HostConfig & { CgroupnsMode?: 'host' | 'private' };

export interface DindConfig {
  mode: DindMode;
  hostConfig: HostConfig;
  /** Runs before the lab image's entrypoint (its argv ends with the entrypoint's). */
  entrypointPrefix?: string[];
}

const PRIVILEGED: DindConfig = { mode: 'privileged', hostConfig: { Privileged: true } };

/**
 * Capabilities a lab never gets. What remains is what a nested dockerd uses: SYS_ADMIN (mounts,
 * namespaces, overlayfs), NET_ADMIN and NET_RAW (bridges, veths, iptables), SYS_CHROOT and
 * SETPCAP/SETFCAP (runc setting up containers), SYS_PTRACE (runc and `docker exec` joining a
 * container's namespaces), MKNOD (device nodes in nested containers), KILL, CHOWN, FOWNER,
 * DAC_OVERRIDE, SETUID/SETGID (ordinary root work in a Linux system), AUDIT_WRITE (login/sudo),
 * IPC_LOCK, SYS_NICE (nested workloads: databases lock memory and renice), BPF (cgroup v2
 * device filters). Everything that reaches the host kernel as a whole goes: modules, the clock,
 * reboot, raw I/O, the kernel log, MAC policy, process accounting, wake alarms, suspend, audit
 * rules, file handles of the host's filesystems (DAC_READ_SEARCH: open_by_handle_at), and
 * SYS_RESOURCE, which this kernel refuses anyway.
 */
export const DROPPED_CAPABILITIES = [
  'SYS_MODULE',
  'SYS_TIME',
  'SYS_BOOT',
  'SYS_RAWIO',
  'SYSLOG',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SYS_PACCT',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_CONTROL',
  'AUDIT_READ',
  'DAC_READ_SEARCH',
  'SYS_RESOURCE',
  'SYS_TTY_CONFIG',
  'LINUX_IMMUTABLE',
  'LEASE',
] as const;

/**
 * Limits sized for the course: a page's heaviest moment is MariaDB + WordPress + a build, well
 * under 2 GiB; the lab's /var/lib/docker is a tmpfs charged to the same memory (~0.3 GiB of base
 * images plus what a page pulls or builds). A page that forks or fills memory hits these, not
 * the machine.
 */
export const LAB_LIMITS = { memoryBytes: 6 * 1024 ** 3, pids: 4096, cpus: 2 } as const;

/**
 * The contained way (the default): no --privileged. The host-wide parts of /proc/sys are
 * read-only (the lab's own network sysctls stay writable: the nested dockerd sets them), the
 * lab has its own cgroup namespace and sees only its own cgroup subtree, which its entrypoint
 * wrapper makes writable for the nested dockerd.
 */
const CONTAINED: DindConfig = {
  mode: 'contained',
  hostConfig: {
    CapAdd: ['ALL'],
    CapDrop: [...DROPPED_CAPABILITIES],
    // The nested runtimes use syscalls the default profile denies (keyctl, pivot_root in new
    // mount namespaces…); the capability set above is what bounds them.
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    MaskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug', '/sys/firmware', '/proc/scsi', '/proc/acpi'],
    ReadonlyPaths: ['/proc/sys/kernel', '/proc/sys/vm', '/proc/sys/fs', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus'],
    CgroupnsMode: 'private',
    Memory: LAB_LIMITS.memoryBytes,
    MemorySwap: LAB_LIMITS.memoryBytes,
    PidsLimit: LAB_LIMITS.pids,
    NanoCpus: LAB_LIMITS.cpus * 1e9,
  },
  // Docker mounts the (namespaced) cgroup hierarchies read-only in an unprivileged container;
  // the nested dockerd creates its containers' cgroups below the lab's own. Remounting them
  // writable inside the lab's cgroup namespace exposes only that subtree, never the host's.
  entrypointPrefix: [
    'sh',
    '-c',
    'for d in /sys/fs/cgroup/*/; do [ -L "${d%/}" ] || mount -o remount,rw,bind "$d"; done; exec "$@"',
    'lab-cgroup',
  ],
};
/**
 * The contained configuration, unless CURSO_VERIFY_DIND_MODE=privileged asks for --privileged
 * (a lab then can change its host's kernel: only for engines that run nothing else).
 */
export function dindConfig(): DindConfig {
  return config.dindMode() === 'privileged' ? PRIVILEGED : CONTAINED;
}
