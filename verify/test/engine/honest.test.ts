import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlockResult, Report } from '../../src/model/report.ts';
import { fencedBlocks } from './fenced-blocks.ts';
import { verifyPages } from './run-cli.ts';
import { verdictWords } from '../../src/report/cause-words.ts';

// Honest verdicts (issue #8), against a real engine: pages written the way other course authors
// write them: a Compose file and a Dockerfile in ```bash fences, an output table after a prose
// mention, `ping` interrupted with its statistics, a Dockerfile that does not build. One run of
// the real CLI over honest/, then assertions on its JSON report and its terminal output.

const pages = path.join(import.meta.dirname, 'honest');

let report: Report;
let exitCode: number | undefined;
let output: string;

const blocksOf = (file: string): BlockResult[] => report.blocks.filter((b) => b.file.endsWith(`/${file}`));

beforeAll(async () => {
  ({ report, exitCode, output } = await verifyPages(pages));
}, 1_200_000);

describe('honest verdicts (real engine)', () => {
  it('writes a Compose file from a bash fence under the name the prose gives, and docker compose up uses it', () => {
    const [compose, up] = blocksOf('compose-in-bash.md');
    expect(up!.status).toBe('passed');
    expect(compose).toMatchObject({ kind: 'file', status: 'passed', proof: 'used', usedBy: { line: 16, command: 'docker compose up' } });
    expect(compose!.cause).toEqual({ kind: 'checked-by', line: 16, command: 'docker compose up' });
    expect(verdictWords(compose!)).toBe('checked by line 16: `docker compose up`');
  });

  it('writes a Dockerfile from a bash fence, used by docker build; a file no step uses is written only', () => {
    const [saludo, dockerfile, notas, session] = blocksOf('dockerfile-in-bash.md');
    expect(session!.status).toBe('passed');
    expect(dockerfile).toMatchObject({ status: 'passed', proof: 'used', usedBy: { line: 26 } });
    expect(saludo).toMatchObject({ status: 'passed', proof: 'used', usedBy: { line: 26 } });
    expect(notas).toMatchObject({ status: 'passed', proof: 'written', usedBy: null });
    expect(notas!.cause).toMatchObject({ kind: 'written-only', why: 'unused', line: null });
    expect(verdictWords(notas!)).toMatch(/written only, not checked: no step of the page uses it/);
    // `docker build -q` documents no output: it ran, that is all a pass says.
    expect(session!.steps.map((s) => s.proof)).toEqual(['exit-status', 'output']);
    expect(output).toMatch(/dockerfile-in-bash\.md:19 .*written only, not checked/);
    expect(output).toMatch(/dockerfile-in-bash\.md:25 .*1 of 2 steps ran, output not documented/);
    expect(output).toMatch(/Passed: 4 output verified, 3 file checked by the step that uses it, 1 file written only, not checked/);
  });

  it('shows an output table after a prose mention, never typing it', () => {
    const [run, table] = blocksOf('output-table.md');
    expect(run!.status).toBe('passed');
    expect(table).toMatchObject({ status: 'skipped', kind: 'display', steps: [] });
    expect(table!.cause).toEqual({ kind: 'shown-output', annotated: false });
    expect(verdictWords(table!)).toBe('output shown without its command');
    expect(output).not.toMatch(/command not found/);
  });

  it('compares what ping prints after ^C (its statistics)', () => {
    const [ping] = blocksOf('ping.md');
    expect(ping!.status).toBe('passed');
    const step = ping!.steps[0]!;
    expect(step.actual).toMatch(
      /^\^C\n--- 127\.0\.0\.1 ping statistics ---\n\d+ packets transmitted, \d+ packets received, 0% packet loss\nround-trip/m,
    );
  });

  it('fails a Dockerfile that does not build, at the line of its failing instruction', () => {
    const [dockerfile, build] = blocksOf('failing-dockerfile.md');
    expect(build!.status).toBe('failed');
    expect(dockerfile).toMatchObject({ status: 'failed', proof: 'used', usedBy: { line: 14, command: 'docker build -t roto .' } });
    expect(dockerfile!.cause).toMatchObject({
      kind: 'use-failed',
      line: 14,
      command: 'docker build -t roto .',
      at: { line: 7, where: 'Dockerfile:2' },
    });
    expect(verdictWords(dockerfile!)).toMatch(/^line 7: `docker build -t roto \.` \(line 14\) failed here \(Dockerfile:2\): ERROR: /);
    expect(output).toMatch(/✗ FAILED .*failing-dockerfile\.md:5 — line 7: `docker build -t roto \.` \(line 14\) failed here/);
  });

  it('exits 1 for the drift, and reports every block', () => {
    expect(report.blocks.length).toBe(fencedBlocks(pages));
    expect(exitCode).toBe(1);
  });
});
