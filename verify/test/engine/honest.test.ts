import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type BlockResult, type Report } from '../../src/model/report.ts';
import { fencedBlocks } from './fenced-blocks.ts';

// Honest verdicts (issue #8), against a real engine: pages written the way other course authors
// write them: a Compose file and a Dockerfile in ```bash fences, an output table after a prose
// mention, `ping` interrupted with its statistics, a Dockerfile that does not build. One run of
// the real CLI over honest/, then assertions on its JSON report and its terminal output.

const root = path.resolve(import.meta.dirname, '../../..');
const pages = path.join(import.meta.dirname, 'honest');
const cli = path.join(root, 'verify/src/cli.ts');
const work = mkdtempSync(path.join(tmpdir(), 'curso-verify-honest-'));

let report: Report;
let exitCode: number | undefined;
let output: string;

const blocksOf = (file: string): BlockResult[] => report.blocks.filter((b) => b.file.endsWith(`/${file}`));

beforeAll(async () => {
  const run = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', pages, '--report', path.join(work, 'report.json')], {
    cwd: root, reject: false, all: true, env: { FORCE_COLOR: '0' },
  });
  exitCode = run.exitCode;
  output = run.all ?? '';
  report = ReportSchema.parse(JSON.parse(readFileSync(path.join(work, 'report.json'), 'utf8')));
}, 1_200_000);

describe('honest verdicts (real engine)', () => {
  it('writes a Compose file from a bash fence under the name the prose gives, and docker compose up uses it', () => {
    const [compose, up] = blocksOf('compose-in-bash.md');
    expect(up!.status).toBe('passed');
    expect(compose).toMatchObject({ kind: 'file', status: 'passed', proof: 'used', usedBy: { line: 16, command: 'docker compose up' } });
    expect(compose!.reason).toBe('checked by line 16: `docker compose up`');
  });

  it('writes a Dockerfile from a bash fence, used by docker build; a file no step uses is written only', () => {
    const [saludo, dockerfile, notas, session] = blocksOf('dockerfile-in-bash.md');
    expect(session!.status).toBe('passed');
    expect(dockerfile).toMatchObject({ status: 'passed', proof: 'used', usedBy: { line: 26 } });
    expect(saludo).toMatchObject({ status: 'passed', proof: 'used', usedBy: { line: 26 } });
    expect(notas).toMatchObject({ status: 'passed', proof: 'written', usedBy: null });
    expect(notas!.reason).toMatch(/written only, not checked: no step of the page uses it/);
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
    expect(table!.reason).toMatch(/^output shown without its command: a table with the header row `CONTAINER ID IMAGE …`/);
    expect(output).not.toMatch(/command not found/);
  });

  it('compares what ping prints after ^C (its statistics)', () => {
    const [ping] = blocksOf('ping.md');
    expect(ping!.status).toBe('passed');
    const step = ping!.steps[0]!;
    expect(step.actual).toMatch(/^\^C\n--- 127\.0\.0\.1 ping statistics ---\n\d+ packets transmitted, \d+ packets received, 0% packet loss\nround-trip/m);
  });

  it('fails a Dockerfile that does not build, at the line of its failing instruction', () => {
    const [dockerfile, build] = blocksOf('failing-dockerfile.md');
    expect(build!.status).toBe('failed');
    expect(dockerfile).toMatchObject({ status: 'failed', proof: 'used', usedBy: { line: 14, command: 'docker build -t roto .' } });
    expect(dockerfile!.reason).toMatch(/failing-dockerfile\.md:7: `docker build -t roto \.` \(line 14\) failed here \(Dockerfile:2\): ERROR: /);
    expect(output).toMatch(/✗ FAILED .*failing-dockerfile\.md:5.*failing-dockerfile\.md:7/);
  });

  it('exits 1 for the drift, and reports every block', () => {
    expect(report.blocks.length).toBe(fencedBlocks(pages));
    expect(exitCode).toBe(1);
  });
});
