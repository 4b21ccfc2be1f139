// Which `[..]` and `...` of a code block the site renders as an elision marker: those the harness
// reads in documented output, never a command's, a file's or another language's.
import { describe, expect, it } from 'vitest';
import { elidedTexts, elisionsOf } from '../../src/expressive-code/elided-output.ts';
import { extractPage } from '../../verify/src/index.ts';
import { codeBlocks, loadCoursePages } from '../lib/course.ts';

const at = (code: string, lang = 'console', meta = '') =>
  elisionsOf(code, lang, meta).map((e) => `${e.kind} ${e.line}:${e.columnStart}-${e.columnEnd}`);

describe('elisionsOf', () => {
  it('finds `[..]` and `...` lines in the output of a session, not in its commands', () => {
    const code = [
      '$ docker run --rm busybox ping -c 1 web',
      'PING web ([..]): 56 data bytes',
      '64 bytes from [..]: seq=0 time=[..] ms',
      '...',
      '$ echo "[..]"',
      '[..]',
    ].join('\n');
    expect(at(code)).toEqual(['inline 1:10-14', 'inline 2:14-18', 'inline 2:31-35', 'lines 3:0-3', 'inline 5:0-4']);
  });

  it('keeps the indentation of an indented `...` line', () => {
    expect(at(['$ docker inspect x', '[', '  ...', '  "Labels": {}', ']'].join('\n'))).toEqual(['lines 2:2-5']);
  });

  it('finds them after a container prompt and after ^C', () => {
    const code = [
      '$ docker run -it debian:trixie',
      'root@08322e95d53c:/# python3 --version',
      'Python 3.13[..]',
      'root@08322e95d53c:/# exit',
      'exit',
      '$ ping -c 100 localhost',
      'PING localhost [..]',
      '^C',
      '...',
      'rtt [..]',
    ].join('\n');
    expect(at(code)).toEqual(['inline 2:11-15', 'inline 6:15-19', 'lines 8:0-3', 'inline 9:4-8']);
  });

  it('leaves heredoc bodies (what the reader types) alone', () => {
    const code = ['$ cat > notes.txt <<EOF', '...', 'a [..] b', 'EOF', '$ cat notes.txt', '...', 'a [..] b'].join('\n');
    expect(at(code)).toEqual(['lines 5:0-3', 'inline 6:2-6']);
  });

  it("leaves Python's `... ` continuation prompts alone", () => {
    const code = ['$ python3', '>>> for i in range(2):', '...     print(i)', '... ', '0', '1', '>>> exit()'].join('\n');
    expect(at(code)).toEqual([]);
  });

  it('marks every line of output shown without its command', () => {
    expect(at(['CONTAINER ID   IMAGE     COMMAND', '[..]   busybox   "sh"', '...'].join('\n'))).toEqual(['inline 1:0-4', 'lines 2:0-3']);
  });

  it('leaves files and other languages alone', () => {
    expect(at(['FROM debian:trixie', 'RUN echo "[..]"', '...'].join('\n'), 'dockerfile')).toEqual([]);
    expect(at(['services:', '  web: {}', '...'].join('\n'), 'yaml')).toEqual([]);
    expect(at(['echo "[..]"', '...'].join('\n'), 'console', 'title="run.sh"')).toEqual([]);
    expect(at(['$ ls', '[..]'].join('\n'), 'text')).toEqual([]);
  });

  it('survives code that holds fences and an info string with backticks', () => {
    const code = ['$ cat README.md', '~~~', '```', '[..]', '~~~~~'].join('\n');
    expect(at(code, 'console', 'verify-skip="shows `cat`"')).toEqual(['inline 3:0-4']);
  });
});

describe('the course', () => {
  // The harness's reading of each whole page (with the sentence before each block) against
  // elisionsOf's reading of the block alone: the same output lines carry the same elisions.
  it.each(loadCoursePages().map((p) => [p.file, p] as const))(
    '%s: every elision of documented output is marked, and only those',
    (_file, page) => {
      const harness: string[] = [];
      const lines = page.source.split('\n');
      for (const block of extractPage(page.file, page.source).blocks) {
        if (block.kind !== 'session') continue;
        for (const step of block.steps) {
          const after = step.outcome.expect === 'interrupted' ? step.outcome.after : null;
          for (const range of [step.expected, after]) {
            if (!range) continue;
            for (let l = range.startLine; l <= range.endLine; l++) {
              const text = lines[l - 1]!;
              if (text.trim() === '...') harness.push(`${l} ...`);
              harness.push(...[...text.matchAll(/\[\.\.\]/g)].map(() => `${l} [..]`));
            }
          }
        }
      }
      const marked: string[] = [];
      for (const code of codeBlocks(page.tree)) {
        const first = code.position!.start.line + 1;
        for (const e of elisionsOf(code.value, code.lang ?? '', code.meta ?? ''))
          marked.push(`${first + e.line} ${e.kind === 'lines' ? '...' : '[..]'}`);
      }
      expect(marked).toEqual(harness);
    },
  );
});

describe('texts', () => {
  it('explain an elision in both languages', () => {
    expect(elidedTexts.get('es')).toEqual({
      varies: 'varía en cada máquina',
      moreLines: '… (más líneas que varían)',
      moreLinesLabel: 'más líneas que varían en cada máquina',
    });
    expect(elidedTexts.get('en')).toEqual({
      varies: 'differs on every machine',
      moreLines: '… (more lines that vary)',
      moreLinesLabel: 'more lines that differ on every machine',
    });
  });
});
