import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asReused, cacheApplies, openResultCache, reusable, storable, type CachePage } from '../../src/cache/results-cache.ts';
import { gatherRunInputs } from '../../src/cache/inputs.ts';
import { describeChange, keyParts, pageKey, type PageInputs, type RunInputs } from '../../src/cache/key.ts';
import { KEEP_PER_PAGE, ResultStore, STORE_SCHEMA_VERSION, type StoredPage } from '../../src/cache/store.ts';
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

  it('names, in words, the inputs that changed', () => {
    const now = keyParts(page, run);
    expect(describeChange(now, now)).toBe('');
    expect(describeChange(keyParts(page, { ...run, harness: 'harness-0' }), now)).toBe('the harness');
    expect(describeChange(keyParts({ ...page, source: 'old' }, { ...run, lab: { suite: 'forky', recipe: 'old' } }), now)).toBe(
      'the page text and the lab (its Debian suite or recipe)',
    );
  });
});

const result = (over: Partial<ReportBlock> = {}): ReportBlock => ({
  file: 'content/a.md',
  line: 3,
  digest: 'd3',
  occurrence: 0,
  lang: 'console',
  kind: 'session',
  title: null,
  status: 'passed',
  cause: null,
  notes: [],
  durationMs: 10,
  steps: [],
  proof: 'output',
  usedBy: null,
  reused: false,
  verifiedAt: '2026-11-23T06:10:00.000Z',
  ...over,
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

  it("reuses an entry only when its blocks are the page's blocks now", () => {
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
  const entry = (key: string, display = 'content/a.md', suite = 'forky', storedAt = '2026-11-23T06:11:00.000Z'): StoredPage => ({
    schemaVersion: STORE_SCHEMA_VERSION,
    key,
    storedAt,
    page: { display, line: null },
    suite,
    parts: keyParts(page, run),
    images: [],
    readerEngine: null,
    blocks: [result()],
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
    // An entry of the schema before causes (verdicts as sentences) is a miss, not a crash.
    const { cause: _cause, notes: _notes, ...sentence } = result({ status: 'failed' });
    const older = { ...entry('ccc333'), schemaVersion: 2, blocks: [{ ...sentence, reason: 'output differs from the documented output' }] };
    writeFileSync(path.join(store.dir, 'ccc333.json'), JSON.stringify(older));
    expect(store.get('ccc333')).toBeNull();
    writeFileSync(path.join(store.dir, 'ccc333.json'), JSON.stringify({ ...older, schemaVersion: STORE_SCHEMA_VERSION }));
    expect(store.get('ccc333')).toBeNull();
    rmSync(store.dir, { recursive: true });
    expect(store.get('abc123')).toBeNull();
    store.put(entry('abc123'));
    expect(store.get('abc123')).not.toBeNull();
  });

  it(`keeps the newest ${KEEP_PER_PAGE} entries per page path and engine: other pages and suites stay`, () => {
    const store = new ResultStore(mkdtempSync(path.join(dir, 'few-per-page-')));
    const at = (minute: number) => `2026-11-23T06:${String(minute).padStart(2, '0')}:00.000Z`;
    store.put(entry('b1', 'content/b.md', 'forky', at(0)));
    store.put(entry('c3', 'content/a.md', 'trixie', at(0)));
    for (let n = 1; n <= KEEP_PER_PAGE + 2; n++) store.put(entry(`a${n}`, 'content/a.md', 'forky', at(n)));
    const kept = Array.from({ length: KEEP_PER_PAGE }, (_, k) => `a${k + 3}.json`);
    expect(readdirSync(store.dir).sort()).toEqual([...kept, 'b1.json', 'c3.json'].sort());
    expect(store.latestFor('content/a.md', null, 'forky')?.key).toBe(`a${KEEP_PER_PAGE + 2}`);
    expect(store.latestFor('content/a.md', null, 'sid')).toBeNull();
    // An older clone storing its version of a page does not evict the newer ones.
    store.put(entry('d0', 'content/a.md', 'forky', at(59)));
    expect(store.get(`a${KEEP_PER_PAGE + 2}`)).not.toBeNull();
  });

  it('prunes entries nobody wrote for a month', () => {
    const store = new ResultStore(mkdtempSync(path.join(dir, 'prune-')));
    store.put(entry('0101'));
    store.put(entry('0202', 'content/b.md'));
    const old = (Date.now() - 40 * 86_400_000) / 1000;
    utimesSync(path.join(store.dir, '0101.json'), old, old);
    expect(store.prune()).toBe(1);
    expect(readdirSync(store.dir)).toEqual(['0202.json']);
  });

  it('refuses a key that is not a hash (no path outside its folder)', () => {
    expect(() => new ResultStore(dir).put(entry('../x'))).toThrow(/not a cache key/);
  });
});

describe('the cache as the runner uses it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'curso-verify-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = '# P\n\n```console\n$ echo hi\nhi\n```\n';
  const p: CachePage = { display: 'content/p.md', line: undefined, source, selected: [{ line: 3, digest: 'd3' }] };
  const ran = { images: [], readerEngine: null };

  it('stores under the lab that really ran, so the next run finds it; and says why a page runs again', async () => {
    const predicted = (await gatherRunInputs({ timeoutScale: 1, suite: 'forky' })).lab;
    const first = await openResultCache({ timeoutScale: 1, suite: 'forky', force: false, dir });
    expect(first.lookup(p, 'verify')).toBeNull();
    expect(first.whyNotReused(p, 'verify')).toBeNull();
    // The run predicted one lab and really ran another (e.g. mmdebstrap installed meanwhile).
    first.save(p, [result()], { ...ran, lab: { ...predicted, recipe: 'really-ran' } }, 'verify');
    expect(first.lookup(p, 'verify')).toBeNull();
    expect(first.whyNotReused(p, 'verify')).toMatch(/^the lab \(its Debian suite or recipe\) changed since it last ran/);
    // Stored under what the run predicted: the next run, predicting the same, reuses it.
    first.save(p, [result()], { ...ran, lab: predicted }, 'verify');
    const second = await openResultCache({ timeoutScale: 1, suite: 'forky', force: false, dir });
    expect(second.lookup(p, 'verify')?.blocks[0]).toMatchObject({ reused: true, status: 'passed' });
    expect(second.whyNotReused({ ...p, source: `${source}\n` }, 'verify')).toMatch(/^the page text changed/);
    const forced = await openResultCache({ timeoutScale: 1, suite: 'forky', force: true, dir });
    expect(forced.lookup(p, 'verify')).toBeNull();
    expect(forced.whyNotReused(p, 'verify')).toBeNull();
  });
});
