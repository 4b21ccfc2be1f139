import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPages } from './run-cli.ts';

// What the reader's terminal shows is what a step captured, even when a program rewinds to the
// start of a row that already held text: BuildKit's `[+] Building` header did, after the
// shell's first prompt, and lost its first characters (issue #23). A real PTY in a real lab.

describe('terminal capture (real engine)', () => {
  it('keeps a line rewritten from its start, after output with no final newline', async () => {
    const { report, exitCode, output } = await verifyPages(path.join(import.meta.dirname, 'capture'));
    expect(report.blocks[0]!.steps.map((s) => s.actual)).toEqual(['sin salto', '[+] Building 0.1s (9/9) FINISHED', 'sin salto']);
    expect(exitCode, output).toBe(0);
  });
});
