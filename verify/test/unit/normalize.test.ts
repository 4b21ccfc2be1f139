import { describe, expect, it } from 'vitest';
import { toLines } from '../../src/normalize/text.ts';

describe('toLines', () => {
  it('drops colours, OSC titles and links, CRs and blank edges, and keeps the text', () => {
    const text =
      '\r\n\u001b]0;lector\u0007\u001b[1;32mok\u001b[0m  \r\nsee \u001b]8;;https://docs.docker.com\u001b\\the docs\u001b]8;;\u001b\\\n\n';
    expect(toLines(text)).toEqual(['ok', 'see the docs']);
  });
});
