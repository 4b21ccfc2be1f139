import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// The machine's CPU time, from /proc/stat: what a run kept the cores busy with, whoever did it
// (the harness, the engine, the labs' processes). Beside a run's wall time it says how much of
// the machine the run used, and so how much a second core could still have won.

/** Busy and idle CPU seconds since boot, summed over all cores (USER_HZ is 100 on Linux). */
export interface CpuSample {
  busy: number;
  idle: number;
}

/** Parses the first (`cpu`, all cores) line of /proc/stat. Pure, for the tests. */
export function parseProcStat(text: string): CpuSample {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat: no "cpu" line');
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const hz = 100;
  return { busy: (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / hz, idle: (idle! + iowait!) / hz };
}

export function sampleCpu(): CpuSample | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * CPU seconds of this process's children that have ended and been waited for (cutime + cstime
 * of /proc/self/stat), with their own waited-for children: after a child run of the harness's
 * CLI, what the harness itself used (node, its terminal emulator, the docker clients it ran),
 * apart from the engine and the labs' processes, which are not its children.
 */
export function childrenCpuSeconds(stat = readSelfStat()): number | null {
  if (stat === null) return null;
  // The command name (2nd field) is in parentheses and may hold spaces: count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5); fields[0] here is field 3.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function readSelfStat(): string | null {
  try {
    return readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return null;
  }
}

/** CPU seconds the machine spent busy between two samples (null where /proc/stat is missing). */
export function busySeconds(before: CpuSample | null, after: CpuSample | null): number | null {
  return before && after ? after.busy - before.busy : null;
}

/**
 * The least `--jobs N` over `--jobs 1` could be if the work stayed the same: the sequential run
 * kept the cores busy for `busy` seconds in `wall` seconds; N workers on `cores` cores cannot
 * do those seconds faster than min(N, cores) cores at once, nor faster than the run's own
 * longest page (`longest` seconds), which no second worker can split.
 */
export function parallelFloor(o: { busy: number; wall: number; longest: number; jobs: number; cores?: number }): number {
  const cores = Math.min(o.jobs, o.cores ?? availableParallelism());
  return Math.max(o.busy / cores, o.longest) / o.wall;
}
