// What tells a page's failure apart from the lab's limits (dind.ts LAB_LIMITS): a process killed
// for lack of memory, or forks refused at the pids limit. Read from the lab's cgroup counters,
// summed over its whole subtree: on cgroup v1 an event is counted only in the cgroup of the
// process it struck, which may be a nested container's.
import { LAB_LIMITS } from './dind.ts';

/** Cumulative limit events in a lab's cgroup subtree. */
export interface LimitCounters {
  oomKills: number;
  forkRefusals: number;
}

/**
 * Prints `oom_kill N` and `max N` lines of every memory and pids cgroup file in the subtree the
 * lab sees (its own cgroup namespace). cgroup v1: memory.oom_control, pids.events; v2:
 * memory.events, pids.events. Runs as root in the lab.
 */
export const LIMIT_COUNTERS_SCRIPT =
  "find /sys/fs/cgroup \\( -name memory.oom_control -o -name memory.events -o -name pids.events \\) -exec cat {} + 2>/dev/null | grep -E '^(oom_kill|max) ' || true";

/** The script's output → counters (pure). */
export function parseLimitCounters(output: string): LimitCounters {
  const sum = (key: string) =>
    output
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([k, v]) => k === key && /^\d+$/.test(v ?? ''))
      .reduce((n, [, v]) => n + Number(v), 0);
  return { oomKills: sum('oom_kill'), forkRefusals: sum('max') };
}

const gib = (bytes: number) => `${bytes / 1024 ** 3} GiB`;

/** What changed between two readings, in words for a step's reason, or null (pure). */
export function describeLimits(before: LimitCounters, after: LimitCounters): string | null {
  const said: string[] = [];
  const kills = after.oomKills - before.oomKills;
  const refusals = after.forkRefusals - before.forkRefusals;
  if (kills > 0) said.push(`the lab ran out of memory: ${kills === 1 ? 'a process was' : `${kills} processes were`} killed at the lab's limit of ${gib(LAB_LIMITS.memoryBytes)}`);
  if (refusals > 0) said.push(`the lab reached its limit of ${LAB_LIMITS.pids} processes: ${refusals === 1 ? 'a fork was' : `${refusals} forks were`} refused`);
  return said.length ? said.join('; ') : null;
}

/** The lab container itself is gone: why, from its state (pure). */
export function describeDeadLab(state: { OOMKilled?: boolean; ExitCode?: number; Running?: boolean }): string | null {
  if (state.Running) return null;
  if (state.OOMKilled) return `the lab's Docker engine was killed: out of memory at the lab's ${gib(LAB_LIMITS.memoryBytes)} limit`;
  return `the lab stopped (exit code ${state.ExitCode ?? '?'}): its Docker engine or its shell was killed`;
}
