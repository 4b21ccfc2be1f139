import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatherRunInputs } from '../../src/cache/inputs.ts';
import { openResultCache } from '../../src/cache/results-cache.ts';
import { main } from '../../src/cli.ts';
import { LabSuiteError, labSuiteOf } from '../../src/engine/config.ts';
import { extractPage } from '../../src/extract/markdown.ts';
import { ReportSchema } from '../../src/model/report.ts';
import { reportBlock } from './results.ts';

// The reader's engine (--engine, else CURSO_VERIFY_LAB_SUITE, else forky) is resolved once by
// the CLI and handed down as a value: to the cache key here, to the lab image and the report's
// reader engine through prepareEngine. The flag is never written into the environment.

describe('which suite: labSuiteOf (resolveLabSuite without the environment)', () => {
  it.each([
    ['28', undefined, 'forky'],
    ['26', undefined, 'trixie'],
    // The flag wins over the environment.
    ['28', 'trixie', 'forky'],
    [undefined, 'trixie', 'trixie'],
    [undefined, undefined, 'forky'],
  ])('--engine %s with CURSO_VERIFY_LAB_SUITE=%s: %s', (flag, env, suite) => {
    expect(labSuiteOf(flag, env)).toBe(suite);
  });

  it('names the flag or the variable and what it accepts', () => {
    expect(() => labSuiteOf('27', 'trixie')).toThrow(new LabSuiteError('--engine 27: expected one of 28, 26'));
    expect(() => labSuiteOf(undefined, 'sid')).toThrow(new LabSuiteError('CURSO_VERIFY_LAB_SUITE=sid: expected one of forky, trixie'));
    // Not a suite, though `in` would say so.
    expect(() => labSuiteOf(undefined, 'toString')).toThrow(LabSuiteError);
  });
});

describe('the suite handed to the cache', () => {
  it('is the lab part of every key: another suite, another lab recipe', async () => {
    const forky = (await gatherRunInputs({ timeoutScale: 1, suite: 'forky' })).lab;
    const trixie = (await gatherRunInputs({ timeoutScale: 1, suite: 'trixie' })).lab;
    expect(forky.suite).toBe('forky');
    expect(trixie.suite).toBe('trixie');
    expect(trixie.recipe).not.toBe(forky.recipe);
  });
});

describe('verify --engine, through the CLI (no engine: a stored result stands in for the run)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'curso-lab-suite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'page.md');
  const source = '---\ntitle: P\n---\n\n```console\n$ echo hola\nhola\n```\n';
  writeFileSync(file, source);
  const results = path.join(dir, 'results');

  // A result stored under trixie's key: a run that reaches the cache with trixie reuses it and
  // needs no engine; one with forky must run the page, and finds no engine at DOCKER_HOST.
  async function storeUnderTrixie(): Promise<void> {
    const block = extractPage(file, source).blocks[0]!;
    const cache = await openResultCache({ timeoutScale: 1, suite: 'trixie', force: false, dir: results });
    const predicted = (await gatherRunInputs({ timeoutScale: 1, suite: 'trixie' })).lab;
    const page = { display: file, line: undefined, source, selected: [{ line: block.line, digest: block.digest }] };
    const stored = reportBlock({ file, line: block.line, digest: block.digest, occurrence: block.occurrence });
    cache.save(page, [stored], { images: [], readerEngine: null, lab: predicted }, 'verify');
  }

  let n = 0;
  // The CLI's main in this process, so that it can be seen to leave the environment as it was.
  async function verify(args: string[], env: Record<string, string> = {}) {
    const report = path.join(dir, `report-${++n}.json`);
    const set: Record<string, string> = {
      CURSO_VERIFY_REUSE: '1',
      CURSO_VERIFY_RESULTS: results,
      CURSO_VERIFY_LAB_SUITE: '',
      DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}`,
      ...env,
    };
    const before = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    Object.assign(process.env, set);
    let output = '';
    const capture = (chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    let exitCode: number;
    let after: Record<string, string | undefined>;
    try {
      exitCode = await main(['--no-color', '--no-snapshot', '--report', report, ...args, file]);
      after = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    } finally {
      out.mockRestore();
      err.mockRestore();
      for (const [k, v] of Object.entries(before))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    expect(after, 'the run leaves the environment as it found it').toEqual(set);
    const parsed = exitCode === 0 ? ReportSchema.parse(JSON.parse(readFileSync(report, 'utf8'))) : null;
    return { exitCode, output, reused: parsed?.blocks.map((b) => b.reused) };
  }

  beforeAll(storeUnderTrixie);

  it('--engine 26 reaches the cache: the page stored under trixie is reused', async () => {
    expect(await verify(['--engine', '26'])).toMatchObject({ exitCode: 0, reused: [true] });
  });

  it('so does CURSO_VERIFY_LAB_SUITE=trixie', async () => {
    expect(await verify([], { CURSO_VERIFY_LAB_SUITE: 'trixie' })).toMatchObject({ exitCode: 0, reused: [true] });
  });

  it('the flag wins over the variable: forky has no entry, so the page must run, and there is no engine', async () => {
    const forky = await verify(['--engine', '28'], { CURSO_VERIFY_LAB_SUITE: 'trixie' });
    expect(forky.exitCode).toBe(2);
    expect(forky.output).toContain('no Docker engine answers there');
  });

  it('a bad --engine: one line, exit 2, before anything runs', async () => {
    const flag = await verify(['--engine', '27']);
    expect([flag.exitCode, flag.output.trim()]).toEqual([2, '--engine 27: expected one of 28, 26']);
  });

  it('a bad CURSO_VERIFY_LAB_SUITE: the same', async () => {
    const env = await verify([], { CURSO_VERIFY_LAB_SUITE: 'sid' });
    expect([env.exitCode, env.output.trim()]).toEqual([2, 'CURSO_VERIFY_LAB_SUITE=sid: expected one of forky, trixie']);
  });
});
