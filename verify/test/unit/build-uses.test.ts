import { describe, expect, it } from 'vitest';
import { dockerfileSources } from '../../src/run/build-uses.ts';

// What a Dockerfile copies from its context, read the way BuildKit splits it into instructions.

describe('dockerfileSources', () => {
  it('the JSON form: its strings as they are, spaces included, after flags and across continuations', () => {
    expect(dockerfileSources('FROM x\nADD ["a b.txt", "c", "/d/"]\n')).toEqual(['a b.txt', 'c']);
    expect(dockerfileSources('FROM x\nCOPY --chown=1:1 ["my app/", "/srv/"]\n')).toEqual(['my app/']);
    expect(dockerfileSources('FROM x\nCOPY ["a", \\\n  "b c", "/d/"]\n')).toEqual(['a', 'b c']);
    // Not a JSON array: BuildKit reads it as words, and so does this.
    expect(dockerfileSources('FROM x\nCOPY [a b] /d/\n')).toEqual(['[a', 'b]']);
  });

  it('continuation lines, with comment lines between them', () => {
    expect(dockerfileSources('FROM x\nCOPY a \\\n  b /dst/\n')).toEqual(['a', 'b']);
    expect(dockerfileSources('FROM x\nCOPY a \\\n# what b is for\n  b /dst/\n')).toEqual(['a', 'b']);
  });

  it('the escape directive', () => {
    expect(dockerfileSources('# escape=`\nFROM x\nCOPY a `\n  b C:\\app\\\n')).toEqual(['a', 'b']);
  });

  it('heredocs: neither their names nor their bodies are context files', () => {
    expect(dockerfileSources('FROM x\nCOPY <<EOF local.txt /dst/\nCOPY not-a-file /x\nEOF\n')).toEqual(['local.txt']);
    expect(dockerfileSources('FROM x\nADD <<EOT /y\nbody words\nEOT\n')).toEqual([]);
    expect(dockerfileSources('FROM x\nCOPY <<A <<B /dst/\naaa\nA\nbbb\nB\nCOPY z /z\n')).toEqual(['z']);
    // A RUN heredoc's body is a script, not instructions.
    expect(dockerfileSources('FROM x\nRUN <<EOF\nCOPY fake /x\nEOF\nCOPY real /r\n')).toEqual(['real']);
  });

  it('any case, flags of all kinds, and not what comes from a stage, an image or a URL', () => {
    expect(
      dockerfileSources(
        'from x\ncopy a /b\nCOPY --parents --exclude=*.pyc ./src/**/*.py /app/\nCOPY --from=build /out /out\nADD https://x.org/f /f\n',
      ),
    ).toEqual(['a', './src/**/*.py']);
  });
});
