// `--shard i/n`: one of n disjoint parts of the pages, so a CI matrix can run the course on n
// machines at once and merge the reports afterwards (merge/merge-reports.ts). Pure.
//
// The split is by page, never by block: a page's blocks share one lab and run in order. Pages
// are taken in course order (coursePathOrder: what a folder walk gives, whatever order the
// paths were named in) and dealt round-robin: page k goes to shard (k mod n) + 1. Round-robin
// rather than contiguous slices because neighbouring pages are alike in size (a lesson and the
// next build on each other), so dealing them out keeps shards close in length without reading
// the pages first; the same pages always give the same shards.

export interface Shard {
  /** 1-based: 1…count. */
  index: number;
  count: number;
}

export class ShardSpecError extends Error {}

/** `"2/3"` → { index: 2, count: 3 }; anything else is a clear error. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new ShardSpecError(`--shard ${spec}: expected i/n with whole numbers, e.g. 1/2 (the first of two shards)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new ShardSpecError(`--shard ${spec}: the number of shards (n) must be at least 1`);
  if (index < 1 || index > count) throw new ShardSpecError(`--shard ${spec}: i must be between 1 and ${count}`);
  return { index, count };
}

/**
 * Course order of two paths: segment by segment, each compared as the folder walk sorts names
 * (collect/collect.ts), so `content/en/x.md` sits where the walk finds the `en` folder.
 */
export function coursePathOrder(a: string, b: string): number {
  const as = a.split(/[\\/]/);
  const bs = b.split(/[\\/]/);
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = as[i]!.localeCompare(bs[i]!);
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

/** The pages of one shard, in course order. */
export function shardOf<T extends { display: string }>(pages: readonly T[], shard: Shard): T[] {
  return [...pages].sort((a, b) => coursePathOrder(a.display, b.display)).filter((_, k) => k % shard.count === shard.index - 1);
}
