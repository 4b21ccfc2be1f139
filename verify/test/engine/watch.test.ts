import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { connectEngine } from '../../src/engine/engine.ts';
import { LABEL_PID } from '../../src/engine/labels.ts';

// `npm run verify -- --watch` against a real engine: a page saved with drift, then saved
// half-written, each reported as one change; Ctrl-C stops the watch and leaves nothing behind.
const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'verify/src/cli.ts');
const fence = '```';

describe('verify --watch (real engine)', () => {
  it('reruns a saved page, prints only what changed, survives a half-written save, and Ctrl-C leaves nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curso-verify-watch-'));
    const page = path.join(dir, 'w.md');
    writeFileSync(page, `# W\n\n${fence}console\n$ echo hola\nhola\n${fence}\n`);
    const child = execa(process.execPath, [cli, '--no-color', '--watch', dir], {
      cwd: root,
      reject: false,
      all: true,
      env: { FORCE_COLOR: '0' },
    });
    let out = '';
    child.all?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = (re: RegExp) => vi.waitFor(() => expect(out).toMatch(re), { timeout: 300_000, interval: 200 });

    await waitFor(/watching .* for saved pages/);
    writeFileSync(page, `# W\n\n${fence}console\n$ echo hola\nadiós\n${fence}\n`);
    await waitFor(/w\.md: 1 change\(s\) \(0 of 1 blocks hold\)\n {2}✗ .*w\.md:3 passed → failed — output differs/);
    writeFileSync(page, `# W\n\n${fence}console\n$ echo hola\nhola\n`);
    await waitFor(/ {2}! .*w\.md:3 failed → error — .*unclosed code fence/);
    writeFileSync(page, `# W\n\n${fence}console\n$ echo hola\nhola\n${fence}\n`);
    await waitFor(/ {2}✓ .*w\.md:3 error → passed/);

    child.kill('SIGINT');
    const res = await child;
    expect(res.exitCode).toBe(130);
    expect(out).toContain('stopped watching');
    expect(out).not.toMatch(/internal error|\n\s+at \S+:\d+/);
    const engine = await connectEngine({ cacheDir: defaultCacheDir(), log: () => {} });
    const left = await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_PID}=${child.pid}`] } });
    expect(left.map((c) => c.Names)).toEqual([]);
  });
});
