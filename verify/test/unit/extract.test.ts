import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { BlockSchema } from '../../src/model/plan.ts';
import { errorOf, stepsOf, writeToOf } from './blocks.ts';
import { cases, expectFixture } from './fixtures.ts';

const root = path.join(import.meta.dirname, 'fixtures/extract');

describe('extractPage (fixtures: input.md → expected.json)', () => {
  for (const c of cases(root)) {
    it(c.name, () => {
      const page = extractPage('input.md', readFileSync(path.join(c.dir, 'input.md'), 'utf8'));
      for (const b of page.blocks) BlockSchema.parse(b);
      expectFixture(path.join(c.dir, 'expected.json'), page.blocks);
    });
  }
});

describe('extractPage rules', () => {
  const blocks = (md: string) => extractPage('p.md', md).blocks;

  it('reports an unknown annotation at the fence line', () => {
    const [b] = blocks('text\n\n```console verify-bogus\n$ ls\n```\n');
    expect(b!.line).toBe(3);
    expect(errorOf(b)).toMatch(/unknown annotation `verify-bogus`/);
  });

  it('binds output to the command before it, up to the next prompt', () => {
    const [b] = blocks('```console\n$ echo a\na\n$ echo b\nb\n```\n');
    expect(stepsOf(b!).map((s) => [s.command, s.expected?.lines])).toEqual([
      ['echo a', ['a']],
      ['echo b', ['b']],
    ]);
    expect(stepsOf(b!)[1]!.expected).toMatchObject({ startLine: 5, endLine: 5 });
  });

  it('keeps backslash continuation lines with their command', () => {
    const [b] = blocks('```console\n$ docker run \\\n   -d busybox\nabc\n```\n');
    expect(stepsOf(b!)[0]!.command).toBe('docker run \\\n   -d busybox');
    expect(stepsOf(b!)[0]!.expected?.lines).toEqual(['abc']);
  });

  it('treats a final bare container prompt as what the reader waits for', () => {
    const [b] = blocks('```console\n$ docker run -it busybox sh\nroot@abc:/#\n```\n');
    expect(stepsOf(b!)).toHaveLength(1);
    expect(stepsOf(b!)[0]!.until).toBe('container');
  });

  it('writes an untitled Dockerfile block as Dockerfile, a titled block under its title', () => {
    const [a, c] = blocks('```dockerfile\nFROM busybox\n```\n\n```python title="app/hello.py"\nprint(1)\n```\n');
    expect(writeToOf(a)).toBe('Dockerfile');
    expect(writeToOf(c)).toBe('app/hello.py');
  });
});

describe('how each step is expected to end (its outcome)', () => {
  const outcomes = (md: string) => stepsOf(extractPage('p.md', md).blocks[0]!).map((s) => s.outcome);

  it('succeeds by default; a documented error holds whatever the exit status; elisions show no error', () => {
    expect(
      outcomes("```console\n$ true\n$ ls nope\nls: cannot access 'nope': No such file or directory\n$ docker build .\n...\n```\n"),
    ).toEqual([{ expect: 'succeeds' }, { expect: 'as-documented' }, { expect: 'succeeds' }]);
  });

  it('verify-fails: fails; verify-fails=N: exits with N', () => {
    expect(outcomes('```console verify-fails\n$ false\n```\n')).toEqual([{ expect: 'fails' }]);
    expect(outcomes('```console verify-fails=2\n$ ls nope\n```\n')).toEqual([{ expect: 'exit', code: 2 }]);
    expect(errorOf(extractPage('p.md', '```console verify-fails=0\n$ true\n```\n').blocks[0])).toMatch(
      /verify-fails takes no value, or the exit status/,
    );
  });

  it("^C: interrupted, with what the page shows after it; a background step's output shows no error", () => {
    expect(outcomes('```console\n$ ping localhost\nPING localhost\n^C\n--- statistics ---\n```\n')).toEqual([
      { expect: 'interrupted', after: { lines: ['--- statistics ---'], startLine: 5, endLine: 5 } },
    ]);
    expect(outcomes('```console verify-background\n$ python -m http.server\nServing HTTP\n```\n')).toEqual([{ expect: 'succeeds' }]);
  });
});

describe('a block keeps its indentation in the file', () => {
  it("a list item's, a quote's and what the common indentation removed", () => {
    const [listed, quoted, indented] = extractPage(
      'p.md',
      '1. Run:\n\n   ```console\n   $ echo hi\n   hi\n   ```\n\n> ```console\n> $ echo hi\n> ```\n\n```console\n  $ echo hi\n  hi\n```\n',
    ).blocks;
    expect([listed!.indent, quoted!.indent, indented!.indent]).toEqual(['   ', '> ', '  ']);
  });
});
