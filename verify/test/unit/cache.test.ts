import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asReused, cacheApplies, reusable, storable } from '../../src/cache/results-cache.ts';
import { pageKey, type PageInputs, type RunInputs } from '../../src/cache/key.ts';
import { ResultStore, type StoredPage } from '../../src/cache/store.ts';
import type { ReportBlock } from '../../src/model/report.ts';

// The cache key changes with every input a page's results depend on, and with nothing else;
// the store gives back what it was given, and treats anything else as a miss.

const run: RunInputs = {
  lab: { suite: 'forky', recipe: 'lab-recipe-1' },
  imageRecipes: { 'nginx:alpine': 'nginx-recipe-1', 'redis:7': 'redis-recipe-1' },
  baseImages: ['busybox:latest'],
  harness: 'harness-1',
  options: { timeoutScale: 1, labStorage: 'vfs' },
};
const page: PageInputs = { source: '# P\n\n```console\n$ docker run nginx:alpine\n```\n', line: undefined, images: ['nginx:alpine'] };
const base = pageKey(page, run);

describe('cache key', () => {
  it('is stable: the same inputs, in any key order, give the same key', () => {
    expect(pageKey({ ...page }, { ...run, options: { labStorage: 'vfs', timeoutScale: 1 } })).toBe(base);
  });

  it.each<[string, PageInputs, RunInputs]>([
    ['page text', { ...page, source: `${page.source}\n` }, run],
    ['target line', { ...page, line: 3 }, run],
    ['lab suite (--engine)', page, { ...run, lab: { ...run.lab, suite: 'trixie' } }],
    ['lab recipe', page, { ...run, lab: { ...run.lab, recipe: 'lab-recipe-2' } }],
    ['recipe of an image the page uses', page, { ...run, imageRecipes: { ...run.imageRecipes, 'nginx:alpine': 'nginx-recipe-2' } }],
    ['recipe of a base image', page, { ...run, baseImages: ['busybox:latest', 'debian:trixie'] }],
    ['harness version', page, { ...run, harness: 'harness-2' }],
    ['--timeout-scale', page, { ...run, options: { ...run.options, timeoutScale: 2 } }],
    ['a lab setting', page, { ...run, options: { ...run.options, labStorage: 'overlay2' } }],
  ])('changes with the %s', (_, p, r) => {
    expect(pageKey(p, r)).not.toBe(base);
  });

  it('does not change with the recipe of an image the page does not use', () => {
    expect(pageKey(page, { ...run, imageRecipes: { ...run.imageRecipes, 'redis:7': 'redis-recipe-2' } })).toBe(base);
  });
});

const result = (over: Partial<ReportBlock> = {}): ReportBlock => ({
  file: 'content/a.md', line: 3, digest: 'd3', lang: 'console', kind: 'session', title: null, status: 'passed', reason: null,
  durationMs: 10, steps: [], proof: 'output', usedBy: null, reused: false, verifiedAt: '2026-11-23T06:10:00.000Z', ...over,
});

describe('what is stored and reused', () => {
  it('stores passed, failed and skipped pages, never one with an error', () => {
    expect(storable([result(), result({ status: 'failed' }), result({ status: 'skipped' })])).toBe(true);
    expect(storable([result(), result({ status: 'error' })])).toBe(false);
    expect(storable([])).toBe(false);
  });

  it('bypasses the cache for --update and for page.md:LINE targets', () => {
    expect(cacheApplies({ line: undefined }, 'verify')).toBe(true);
    expect(cacheApplies({ line: undefined }, 'update')).toBe(false);
    expect(cacheApplies({ line: 3 }, 'verify')).toBe(false);
  });

  it('reuses an entry only when its blocks are the page\'s blocks now', () => {
    const entry = { blocks: [result()] };
    expect(reusable(entry, { selected: [{ line: 3, digest: 'd3' }] })).toBe(true);
    expect(reusable(entry, { selected: [{ line: 3, digest: 'other' }] })).toBe(false);
    expect(reusable(entry, { selected: [] })).toBe(false);
  });

  it('reports reused blocks under the path given now, keeping when they were verified', () => {
    const [b] = asReused({ blocks: [result({ status: 'failed' })] }, 'elsewhere/a.md');
    expect(b).toMatchObject({ file: 'elsewhere/a.md', reused: true, status: 'failed', verifiedAt: '2026-11-23T06:10:00.000Z' });
  });
});

describe('result store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'curso-verify-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const entry = (key: string): StoredPage => ({
    schemaVersion: 1, key, storedAt: '2026-11-23T06:11:00.000Z', images: [], readerEngine: null, blocks: [result()],
  });

  it('gives back what was put, and leaves no temporary file', () => {
    const store = new ResultStore(path.join(dir, 'results'));
    expect(store.get('abc123')).toBeNull();
    store.put(entry('abc123'));
    expect(store.get('abc123')).toEqual(entry('abc123'));
    expect(readdirSync(store.dir)).toEqual(['abc123.json']);
  });

  it('treats a damaged or foreign entry as a miss, and works again once the folder is deleted', () => {
    const store = new ResultStore(path.join(dir, 'results'));
    writeFileSync(path.join(store.dir, 'def456.json'), '{"schemaVersion": 1, "key": "def4');
    expect(store.get('def456')).toBeNull();
    writeFileSync(path.join(store.dir, 'aaa111.json'), JSON.stringify(entry('bbb222')));
    expect(store.get('aaa111')).toBeNull();
    rmSync(store.dir, { recursive: true });
    expect(store.get('abc123')).toBeNull();
    store.put(entry('abc123'));
    expect(store.get('abc123')).not.toBeNull();
  });

  it('refuses a key that is not a hash (no path outside its folder)', () => {
    expect(() => new ResultStore(dir).put(entry('../x'))).toThrow(/not a cache key/);
  });
});
