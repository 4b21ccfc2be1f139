import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTargets } from '../../src/collect/collect.ts';
import { main } from '../../src/cli.ts';
import { coursePathOrder, parseShard, shardOf, ShardSpecError } from '../../src/shard/shard.ts';

// --shard i/n: every page in exactly one shard, the same split whatever order the pages were
// named in, and a bad spec is a clear error (exit 2) before anything runs.

const root = path.resolve(import.meta.dirname, '../../..');
const course = collectTargets([path.join(root, 'content')], root);

describe('shards', () => {
  it('reads i/n and refuses anything else, saying what it expected', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
    for (const bad of ['0/2', '3/2', 'x', '1/0', '1/', '/2', '-1/2', '1.5/2', '1/2/3', '']) {
      expect(() => parseShard(bad), bad).toThrow(ShardSpecError);
    }
    expect(() => parseShard('3/2')).toThrow('between 1 and 2');
    expect(() => parseShard('x')).toThrow('expected i/n');
  });

  it('puts every page of the course in exactly one shard, for any number of shards', () => {
    expect(course.length).toBeGreaterThan(10);
    for (const n of [1, 2, 3, 5, course.length, course.length + 3]) {
      const shards = Array.from({ length: n }, (_, i) => shardOf(course, { index: i + 1, count: n }));
      const all = shards.flat().map((t) => t.display);
      expect(all.length, `n=${n}`).toBe(course.length);
      expect(new Set(all)).toEqual(new Set(course.map((t) => t.display)));
      // Round-robin: no shard is more than one page longer than another.
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes), `n=${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('splits the same way whatever order the pages come in', () => {
    const reversed = [...course].reverse();
    const shuffled = [...course].sort((a, b) => (a.display.length % 3) - (b.display.length % 3) || b.display.localeCompare(a.display));
    for (const i of [1, 2]) {
      const want = shardOf(course, { index: i, count: 2 }).map((t) => t.display);
      expect(shardOf(reversed, { index: i, count: 2 }).map((t) => t.display)).toEqual(want);
      expect(shardOf(shuffled, { index: i, count: 2 }).map((t) => t.display)).toEqual(want);
    }
  });

  it('orders paths as the folder walk does', () => {
    const walked = course.map((t) => t.display);
    expect([...walked].sort(coursePathOrder)).toEqual(walked);
    expect(coursePathOrder('content/en/red.md', 'content/exportar-e-importar.md')).toBeLessThan(0);
    expect(coursePathOrder('content/red.md', 'content/red.md')).toBe(0);
  });

  it('a bad --shard exits 2 with a message, before any engine is needed', async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => {
      err.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      for (const spec of ['0/2', '3/2', 'x']) expect(await main(['--plan', '--shard', spec, path.join(root, 'content')])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toContain('--shard 0/2: i must be between 1 and 2');
    expect(err.join('')).toContain('--shard x: expected i/n');
  });
});
