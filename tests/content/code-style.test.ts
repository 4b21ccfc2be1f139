import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

// The repo's lint and format rules (biome.json) hold for every TypeScript and JavaScript file:
// the same check a maintainer runs with `npx biome check .`, and `npx biome check --write .` fixes.
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('code style', () => {
  it('passes Biome: lint rules and formatting, whole repo', async () => {
    const r = await execa(path.join(ROOT, 'node_modules/.bin/biome'), ['ci', '--max-diagnostics=20', '.'], {
      cwd: ROOT,
      reject: false,
      all: true,
    });
    // On failure, the assertion shows Biome's own report: the file, line and rule.
    expect({ exitCode: r.exitCode, report: r.exitCode === 0 ? '' : r.all }).toEqual({ exitCode: 0, report: '' });
  }, 60_000);
});
