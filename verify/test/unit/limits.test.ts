import { describe, expect, it } from 'vitest';
import { LAB_LIMITS } from '../../src/engine/dind.ts';
import { deadLab, limitsBetween, parseLimitCounters } from '../../src/engine/limits.ts';
import { limitNote, type LabLimitReading } from '../../src/model/cause.ts';
import { causeWords, noteWords } from '../../src/report/cause-words.ts';

// The lab's limit counters, read from every cgroup of its subtree; what changed, as data; and
// what a failing step says about it, in the maintainer's words.

const GIB = LAB_LIMITS.memoryBytes / 1024 ** 3;

/** A reading as the note a failing step gets, in words. */
const said = (r: LabLimitReading | null, since: number | null = null) => (r ? noteWords(limitNote(r, since)) : null);

describe('limit counters', () => {
  it('sums oom kills and refused forks over the subtree (cgroup v1 and v2 lines)', () => {
    const out = ['oom_kill 0', 'oom_kill 2', 'max 0', 'max 5', 'oom_kill 1', 'max x', ''].join('\n');
    expect(parseLimitCounters(out)).toEqual({ oomKills: 3, forkRefusals: 5 });
    expect(parseLimitCounters('')).toEqual({ oomKills: 0, forkRefusals: 0 });
  });

  it('says what changed since the last reading, and nothing when nothing did', () => {
    const zero = { oomKills: 0, forkRefusals: 0 };
    expect(limitsBetween(zero, zero)).toBeNull();
    expect(limitsBetween({ oomKills: 2, forkRefusals: 3 }, { oomKills: 2, forkRefusals: 3 })).toBeNull();
    expect(limitsBetween(zero, { oomKills: 1, forkRefusals: 0 })).toEqual({
      kind: 'lab-limits',
      oomKills: 1,
      forkRefusals: 0,
      memoryGiB: GIB,
      pids: LAB_LIMITS.pids,
    });
    expect(limitsBetween({ oomKills: 1, forkRefusals: 2 }, { oomKills: 1, forkRefusals: 9 })).toEqual({
      kind: 'lab-limits',
      oomKills: 0,
      forkRefusals: 7,
      memoryGiB: GIB,
      pids: LAB_LIMITS.pids,
    });
    expect(limitsBetween(zero, { oomKills: 3, forkRefusals: 1 })).toMatchObject({ oomKills: 3, forkRefusals: 1 });
  });

  it('words what changed for a failing step, with since when', () => {
    const zero = { oomKills: 0, forkRefusals: 0 };
    expect(said(limitsBetween(zero, { oomKills: 1, forkRefusals: 0 }))).toBe(
      `the lab ran out of memory: a process was killed at the lab's limit of ${GIB} GiB (since the page began)`,
    );
    expect(said(limitsBetween({ oomKills: 1, forkRefusals: 2 }, { oomKills: 1, forkRefusals: 9 }), 12)).toBe(
      `the lab reached its limit of ${LAB_LIMITS.pids} processes: 7 forks were refused (since line 12)`,
    );
    expect(said(limitsBetween(zero, { oomKills: 2, forkRefusals: 1 }))).toBe(
      `the lab ran out of memory: 2 processes were killed at the lab's limit of ${GIB} GiB; ` +
        `the lab reached its limit of ${LAB_LIMITS.pids} processes: a fork was refused (since the page began)`,
    );
  });

  it('a lab that stopped: killed for memory, or another exit', () => {
    expect(deadLab({ Running: true })).toBeNull();
    const oom = deadLab({ Running: false, OOMKilled: true, ExitCode: 137 });
    expect(oom).toEqual({ kind: 'lab-died', oomKilled: true, exitCode: 137, memoryGiB: GIB });
    const other = deadLab({ Running: false, OOMKilled: false, ExitCode: 1 });
    expect(other).toEqual({ kind: 'lab-died', oomKilled: false, exitCode: 1, memoryGiB: GIB });
    expect(deadLab({ Running: false })).toEqual({ kind: 'lab-died', oomKilled: false, exitCode: null, memoryGiB: GIB });
    // As the cause of the blocks the dead lab never ran.
    const died = (r: LabLimitReading | null) => (r?.kind === 'lab-died' ? causeWords(r) : null);
    expect(died(oom)).toMatch(/^the lab's Docker engine was killed: out of memory at the lab's \d+ GiB limit$/);
    expect(died(other)).toBe('the lab stopped (exit code 1): its Docker engine or its shell was killed');
    expect(died(deadLab({ Running: false }))).toBe('the lab stopped (exit code ?): its Docker engine or its shell was killed');
  });
});
