import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

// Fixture folders: each case is a folder with its input and an expected file. Run with
// UPDATE_FIXTURES=1 to (re)write the expected files from the current behaviour, then review
// the diff in git like any other change.

export const UPDATE = process.env.UPDATE_FIXTURES === '1';

export function cases(dir: string): { name: string; dir: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, dir: path.join(dir, d.name) }));
}

export function expectFixture(file: string, actual: unknown): void {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) throw new Error(`missing fixture ${file}: run with UPDATE_FIXTURES=1 and review it`);
    writeFileSync(file, text);
    return;
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
