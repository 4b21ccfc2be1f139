import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The site (src/) and its tests (tests/) use the harness only through its public entry,
// verify/src/index.ts: everything else under verify/src is internal and may move. The harness's
// own tests (verify/test) may import its internals.

const root = path.resolve(import.meta.dirname, '../../..');
const harness = path.join(root, 'verify/src');
const entry = path.join(harness, 'index.ts');

/** Every module specifier a file imports or re-exports (statically or with `import()`). */
function specifiers(file: string): string[] {
  let text = readFileSync(file, 'utf8');
  // An .astro component's script is its frontmatter, between the first two `---` lines.
  if (file.endsWith('.astro')) text = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(?:[cm]?[jt]s|astro)$/.test(f))
    .map((f) => path.join(root, dir, f));
}

const intoHarness = ['src', 'tests'].flatMap(sources).flatMap((file) =>
  specifiers(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => ({ file: path.relative(root, file), target: path.resolve(path.dirname(file), s) }))
    .filter(({ target }) => target === harness || target.startsWith(harness + path.sep)),
);

describe("the harness's public entry", () => {
  it('is how src/ and tests/ reach the harness', () => {
    // Found at all: the scan reads the imports it is meant to check.
    expect(intoHarness.filter((i) => i.target === entry).length).toBeGreaterThan(0);
  });

  it('is the only module of verify/src that src/ and tests/ import', () => {
    const deep = intoHarness.filter((i) => i.target !== entry).map((i) => `${i.file} → ${path.relative(root, i.target)}`);
    expect(deep).toEqual([]);
  });
});
