import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { labSetup } from '../../src/run/lab-setup.ts';

// `npm run lab -- page.md:LINE`: what runs before the maintainer's shell opens.
const page = extractPage(
  'p.md',
  [
    '# Página', //                                     1
    '', //                                             2
    '```console', //                                   3
    '$ echo uno', //                                   4
    'uno', //                                          5
    '$ echo dos', //                                   6
    'dos', //                                          7
    '```', //                                          8
    '', //                                             9
    '```dockerfile', //                                10
    'FROM busybox', //                                 11
    '```', //                                          12
    '', //                                             13
    '```console', //                                   14
    '$ docker build -t x .', //                        15
    '```', //                                          16
  ].join('\n'),
);
const lines = (line: number | undefined) => {
  const s = labSetup(page, line);
  if (!s.ok) throw new Error(s.problem);
  return s.page.blocks.map((b) => (b.kind === 'session' ? `${b.line}: ${b.steps.map((st) => st.line).join(',')}` : `${b.line}`));
};

describe('labSetup: the blocks that run before the lab opens', () => {
  it('without LINE, the whole page', () => {
    expect(lines(undefined)).toEqual(['3: 4,6', '10', '14: 15']);
  });

  it("at a block's fence line, every block before it", () => {
    expect(lines(14)).toEqual(['3: 4,6', '10']);
    expect(lines(3)).toEqual([]);
  });

  it("at a command's line, the blocks before and the earlier steps of its block", () => {
    expect(lines(6)).toEqual(['3: 4']);
    expect(lines(4)).toEqual([]);
    expect(lines(15)).toEqual(['3: 4,6', '10']);
    expect(labSetup(page, 6)).toMatchObject({ ok: true, before: 'the command at line 6' });
  });

  it('names the problem with a LINE that is neither', () => {
    expect(labSetup(page, 2)).toEqual({ ok: false, problem: 'p.md:2: no code block at that line' });
    expect(labSetup(page, 99)).toEqual({ ok: false, problem: 'p.md:99: no code block at that line' });
    expect(labSetup(page, 5)).toEqual({
      ok: false,
      problem: "p.md:5: not a command's line; give the fence line (3) or a command's line (4, 6)",
    });
    expect(labSetup(page, 11)).toEqual({ ok: false, problem: 'p.md:11: inside the file block at line 10; give its fence line (10)' });
  });
});
