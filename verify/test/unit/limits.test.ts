import { describe, expect, it } from 'vitest';
import { LAB_LIMITS } from '../../src/engine/dind.ts';
import { describeDeadLab, describeLimits, parseLimitCounters } from '../../src/engine/limits.ts';

// The lab's limit counters, read from every cgroup of its subtree, and what a failing step says.

describe('limit counters', () => {
  it('sums oom kills and refused forks over the subtree (cgroup v1 and v2 lines)', () => {
    const out = ['oom_kill 0', 'oom_kill 2', 'max 0', 'max 5', 'oom_kill 1', 'max x', ''].join('\n');
    expect(parseLimitCounters(out)).toEqual({ oomKills: 3, forkRefusals: 5 });
    expect(parseLimitCounters('')).toEqual({ oomKills: 0, forkRefusals: 0 });
  });

  it('says what changed since the last reading, and nothing when nothing did', () => {
    const zero = { oomKills: 0, forkRefusals: 0 };
    expect(describeLimits(zero, zero)).toBeNull();
    expect(describeLimits(zero, { oomKills: 1, forkRefusals: 0 })).toBe(
      `the lab ran out of memory: a process was killed at the lab's limit of ${LAB_LIMITS.memoryBytes / 1024 ** 3} GiB`,
    );
    expect(describeLimits({ oomKills: 1, forkRefusals: 2 }, { oomKills: 1, forkRefusals: 9 })).toBe(
      `the lab reached its limit of ${LAB_LIMITS.pids} processes: 7 forks were refused`,
    );
  });

  it('a lab that stopped: killed for memory, or another exit', () => {
    expect(describeDeadLab({ Running: true })).toBeNull();
    expect(describeDeadLab({ Running: false, OOMKilled: true, ExitCode: 137 })).toMatch(/^the lab's Docker engine was killed: out of memory at the lab's \d+ GiB limit$/);
    expect(describeDeadLab({ Running: false, OOMKilled: false, ExitCode: 1 })).toBe('the lab stopped (exit code 1): its Docker engine or its shell was killed');
  });
});
