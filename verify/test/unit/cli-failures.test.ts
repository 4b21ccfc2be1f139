import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The CLI on a machine that fails it, with a page that needs no engine: one line saying what
// happened, exit 2, never a stack trace.

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'curso-cli-failures-'));
const page = path.join(dir, 'page.md');
writeFileSync(page, '---\ntitle: P\n---\n\n```text\nhola\n```\n');

describe('the CLI when the disk is full', () => {
  it.each([['--report'], ['--junit']])('%s to a full device: one line, exit 2', async (flag) => {
    const r = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', page, flag, '/dev/full'], {
      reject: false,
      all: true,
      env: { FORCE_COLOR: '0' },
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^curso-verify: the disk is full \(\/dev\/full\): free some space \(df -h; docker system df\) and run again — ENOSPC: no space left on device, write$/,
    );
    expect(r.all).not.toMatch(/internal error|\n\s+at /);
  });
});
