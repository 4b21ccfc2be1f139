import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRows } from '../../src/diff/render.ts';
import { diffRows } from '../../src/diff/rows.ts';
import { align } from '../../src/match/align.ts';
import { Bindings } from '../../src/match/bindings.ts';
import { compile, compileLine } from '../../src/match/pattern.ts';
import { toLines } from '../../src/normalize/text.ts';
import { acceptedLines, applyEdits } from '../../src/update/rewrite.ts';
import { cases, expectFixture } from './fixtures.ts';

const root = path.join(import.meta.dirname, 'fixtures/match');

describe('matching (fixtures: expected.txt + actual.txt → result.json)', () => {
  for (const c of cases(root)) {
    it(c.name, () => {
      const expected = toLines(readFileSync(path.join(c.dir, 'expected.txt'), 'utf8'));
      const actual = toLines(readFileSync(path.join(c.dir, 'actual.txt'), 'utf8'));
      const patterns = compile(expected);
      const alignment = align(patterns, actual, new Bindings());
      expectFixture(path.join(c.dir, 'result.json'), {
        ok: alignment.ok,
        ops: alignment.ops,
        bindings: alignment.bindings.entries,
        diff: alignment.ok ? null : renderRows(diffRows(patterns, actual, alignment, { firstLine: 1 }), { color: false }).split('\n'),
        accepted: acceptedLines(patterns, actual, alignment, alignment.bindings),
      });
    });
  }
});

describe('ID binding', () => {
  it('binds a documented ID to the real one and substitutes it in later commands, full or short', () => {
    const none = new Bindings();
    const doc = 'a842945e2414132011ae704b0c4a4184acc4016d199dfd4e7181c9b89092de13';
    const real = 'f'.repeat(12) + '0'.repeat(52);
    const first = align(compile([doc]), [real], none);
    expect(first.ok).toBe(true);
    // Pure: the bindings given are left as they were; the alignment returns the new ones.
    expect(none.entries).toEqual([]);
    const b = first.bindings;
    expect(b.substitute('docker start a842945e2414')).toBe(`docker start ${real.slice(0, 12)}`);
    expect(b.substitute(`docker rm ${doc}`)).toBe(`docker rm ${real}`);
    // Later output must show the bound value, not just any ID.
    expect(align(compile(['a842945e2414']), [real.slice(0, 12)], b).ok).toBe(true);
    expect(align(compile(['a842945e2414']), ['0123456789ab'], b).ok).toBe(false);
  });

  it('leaves short hex words and unbound IDs in commands alone', () => {
    const b = new Bindings([{ documented: 'a842945e2414', actual: '0123456789ab' }]);
    expect(b.substitute('docker run -p 1234:1234 busybox')).toBe('docker run -p 1234:1234 busybox');
    expect(b.substitute('docker start 99fac58824c2')).toBe('docker start 99fac58824c2');
  });

  it('restores documented IDs when new output is accepted', () => {
    const b = new Bindings([{ documented: 'a842945e2414', actual: '0123456789ab' }]);
    expect(b.restore('0123456789ab   busybox')).toBe('a842945e2414   busybox');
  });
});

describe('line patterns', () => {
  it.each([
    ['8 seconds ago', 'About a minute ago'],
    ['5 days ago', 'Less than a second ago'],
    ['188MB', '4.26MB'],
    ['10MB', '1.02GB'],
    ['2.76kB', '0B'],
    ['187.9 MB', '4.26 MB'],
    ['512MiB', '1.5GiB'],
    ['2016-03-17T00:14:00Z', '2026-11-23T06:20:01.123456789Z'],
  ])('volatile %s matches %s', (doc, real) => {
    expect(compileLine(doc).kind === 'line' && (compileLine(doc) as { regex: RegExp }).regex.test(real)).toBe(true);
  });

  it.each([
    ['189.2 MB', '189MB'],
    ['189MB', '189.2 MB'],
    ['512MiB', '512MB'],
    ['512MB', '512MiB'],
  ])('a size matches only sizes of its form: %s does not match %s', (doc, real) => {
    expect((compileLine(doc) as { regex: RegExp }).regex.test(real)).toBe(false);
  });

  it('keeps ordinary text exact', () => {
    const p = compileLine('hello world') as { regex: RegExp };
    expect(p.regex.test('hello world')).toBe(true);
    expect(p.regex.test('hello worlds')).toBe(false);
    expect(p.regex.test('Hello world')).toBe(false);
  });

  it('treats a bare ... and the course elision remarks as elisions, inline ... as text', () => {
    expect(compileLine('...').kind).toBe('elision');
    expect(compileLine('--> Lineas omitidas para mayor claridad <--').kind).toBe('elision');
    expect(compileLine('CREATED ... NAMES').kind).toBe('line');
  });
});

describe('applyEdits', () => {
  it('replaces only the documented output lines, keeping indentation and CRLF', () => {
    const src = '- item\r\n\r\n  ```console\r\n  $ echo hi\r\n  ho\r\n  ```\r\nprose stays\r\n';
    const out = applyEdits(src, [{ startLine: 5, endLine: 5, lines: ['hi'], indent: '  ' }]);
    expect(out).toBe('- item\r\n\r\n  ```console\r\n  $ echo hi\r\n  hi\r\n  ```\r\nprose stays\r\n');
  });

  it('refuses overlapping edits', () => {
    expect(() =>
      applyEdits('a\nb\nc', [
        { startLine: 1, endLine: 2, lines: [], indent: '' },
        { startLine: 2, endLine: 3, lines: [], indent: '' },
      ]),
    ).toThrow(/overlapping/);
  });
});
