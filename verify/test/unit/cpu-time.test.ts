import { describe, expect, it } from 'vitest';
import { busySeconds, childrenCpuSeconds, parallelFloor, parseProcStat } from '../../bench/cpu-time.ts';

// The bench's CPU accounting: what /proc/stat says the machine was busy with, and the least a
// parallel run could take for the same work.
describe('parseProcStat', () => {
  const stat = (user: number, idle: number) => `cpu  ${user} 10 200 ${idle} 50 5 15 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 123\n`;

  it('sums the busy fields of the all-cores line, in seconds, and leaves idle and iowait apart', () => {
    expect(parseProcStat(stat(1000, 9000))).toEqual({ busy: (1000 + 10 + 200 + 5 + 15) / 100, idle: (9000 + 50) / 100 });
  });

  it('gives the busy seconds between two samples', () => {
    expect(busySeconds(parseProcStat(stat(1000, 9000)), parseProcStat(stat(1700, 9100)))).toBeCloseTo(7);
    expect(busySeconds(null, parseProcStat(stat(1, 1)))).toBeNull();
  });

  it('refuses a text with no all-cores line', () => {
    expect(() => parseProcStat('cpu0 1 2 3\n')).toThrow(/no "cpu" line/);
  });
});

describe('parallelFloor', () => {
  it('is the sequential CPU time spread over the cores, when that is longer than the longest page', () => {
    // 100 s of wall with 160 CPU seconds busy: two cores need at least 80 s.
    expect(parallelFloor({ busy: 160, wall: 100, longest: 30, jobs: 2, cores: 2 })).toBeCloseTo(0.8);
  });

  it('is the longest page when one page is most of the run', () => {
    expect(parallelFloor({ busy: 60, wall: 100, longest: 70, jobs: 2, cores: 2 })).toBeCloseTo(0.7);
  });

  it('counts no more cores than the machine has, nor than the jobs', () => {
    expect(parallelFloor({ busy: 90, wall: 100, longest: 10, jobs: 4, cores: 2 })).toBeCloseTo(0.45);
    expect(parallelFloor({ busy: 90, wall: 100, longest: 10, jobs: 1, cores: 8 })).toBeCloseTo(0.9);
  });
});

describe('childrenCpuSeconds', () => {
  it('reads cutime and cstime, after a command name with spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 5 0 0 250 40 1234 566 20 0 11 0 100 1000 50\n';
    expect(childrenCpuSeconds(stat)).toBeCloseTo((1234 + 566) / 100);
  });
});
