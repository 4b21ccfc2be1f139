// What tells a page's failure apart from the lab's limits (dind.ts LAB_LIMITS): a process killed
// for lack of memory, or forks refused at the pids limit. Read from the lab's cgroup counters,
// summed over its whole subtree: on cgroup v1 an event is counted only in the cgroup of the
// process it struck, which may be a nested container's.
import { LAB_LIMITS } from './dind.ts';
import type { LabLimitReading } from '../model/cause.ts';

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

const memoryGiB = () => LAB_LIMITS.memoryBytes / 1024 ** 3;

/** What changed between two readings, or null when nothing did (pure). */
export function limitsBetween(before: LimitCounters, after: LimitCounters): LabLimitReading | null {
  const oomKills = after.oomKills - before.oomKills;
  const forkRefusals = after.forkRefusals - before.forkRefusals;
  if (oomKills <= 0 && forkRefusals <= 0) return null;
  return {
    kind: 'lab-limits',
    oomKills: Math.max(0, oomKills),
    forkRefusals: Math.max(0, forkRefusals),
    memoryGiB: memoryGiB(),
    pids: LAB_LIMITS.pids,
  };
}

/** The lab container itself is gone: why, from its state (pure). */
export function deadLab(state: { OOMKilled?: boolean; ExitCode?: number; Running?: boolean }): LabLimitReading | null {
  if (state.Running) return null;
  return { kind: 'lab-died', oomKilled: state.OOMKilled === true, exitCode: state.ExitCode ?? null, memoryGiB: memoryGiB() };
}
