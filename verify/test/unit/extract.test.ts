import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { BlockSchema } from '../../src/model/plan.ts';
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
    expect(b!.error).toMatch(/unknown annotation `verify-bogus`/);
  });

  it('binds output to the command before it, up to the next prompt', () => {
    const [b] = blocks('```console\n$ echo a\na\n$ echo b\nb\n```\n');
    expect(b!.steps.map((s) => [s.command, s.expected?.lines])).toEqual([
      ['echo a', ['a']],
      ['echo b', ['b']],
    ]);
    expect(b!.steps[1]!.expected).toMatchObject({ startLine: 5, endLine: 5 });
  });

  it('keeps backslash continuation lines with their command', () => {
    const [b] = blocks('```console\n$ docker run \\\n   -d busybox\nabc\n```\n');
    expect(b!.steps[0]!.command).toBe('docker run \\\n   -d busybox');
    expect(b!.steps[0]!.expected!.lines).toEqual(['abc']);
  });

  it('treats a final bare container prompt as what the reader waits for', () => {
    const [b] = blocks('```console\n$ docker run -it busybox sh\nroot@abc:/#\n```\n');
    expect(b!.steps).toHaveLength(1);
    expect(b!.steps[0]!.until).toBe('container');
  });

  it('writes an untitled Dockerfile block as Dockerfile, a titled block under its title', () => {
    const [a, c] = blocks('```dockerfile\nFROM busybox\n```\n\n```python title="app/hello.py"\nprint(1)\n```\n');
    expect(a!.writeTo).toBe('Dockerfile');
    expect(c!.writeTo).toBe('app/hello.py');
  });
});
