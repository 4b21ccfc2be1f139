import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// verify/docs/modules.md is the map of the harness: it names every module of verify/src by its
// path, and names no module that is not there. Add, move or remove a module: change the map.

const src = path.join(import.meta.dirname, '../../src');
const doc = readFileSync(path.join(import.meta.dirname, '../../docs/modules.md'), 'utf8');

const modules = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'))
  .sort();
/** Paths the map names in code spans, other than those outside verify/src (`verify/…`, `src/…`). */
const named = [...new Set([...doc.matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]!))].filter((p) => !/^(?:verify|src)\//.test(p)).sort();

describe('verify/docs/modules.md', () => {
  it('names every module of verify/src', () => {
    expect(
      modules.filter((m) => !named.includes(m)),
      'modules missing from verify/docs/modules.md',
    ).toEqual([]);
  });

  it('names no module that does not exist', () => {
    expect(
      named.filter((n) => !modules.includes(n)),
      'modules in verify/docs/modules.md that are not in verify/src',
    ).toEqual([]);
  });
});
