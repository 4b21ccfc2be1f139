import { execa } from 'execa';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlockResult, Report } from '../../src/model/report.ts';
import { CLI, ROOT, verifyPages } from './run-cli.ts';

// Pages read the way their authors mean them (issue #22), against a real engine: pages written
// the way two other public Docker courses write theirs. A Compose file named in emphasis
// (*docker-compose.yml*), a Dockerfile that only Compose's `build: .` uses, a file named in
// plain words ("en el archivo saludo.txt"), a Compose file the prose never names, and a
// container's shell opened at the end of one block and used in the next (`/ # touch …`).
// One run of the real CLI over authors/, then assertions on its JSON report and its --plan.

const pages = path.join(import.meta.dirname, 'authors');

let report: Report;
let exitCode: number | undefined;
let plan: string;

const blocksOf = (file: string): BlockResult[] => report.blocks.filter((b) => b.file.endsWith(`/${file}`));

beforeAll(async () => {
  ({ report, exitCode } = await verifyPages(pages));
  plan = (await execa(process.execPath, [CLI, '--no-color', '--plan', pages], { cwd: ROOT, all: true })).all ?? '';
}, 1_200_000);

describe('pages read as their authors mean them (real engine)', () => {
  it('every block of the three pages holds', () => {
    expect(report.blocks.map((b) => `${path.basename(b.file)}:${b.line} ${b.status}`)).toEqual([
      'compose-emphasis.md:5 passed',
      'compose-emphasis.md:13 passed',
      'compose-emphasis.md:21 passed',
      'compose-emphasis.md:27 passed',
      'compose-unnamed.md:5 passed',
      'compose-unnamed.md:14 passed',
      'session-open.md:5 passed',
      'session-open.md:11 passed',
      'session-open.md:20 passed',
    ]);
    expect(exitCode).toBe(0);
  });

  it('writes a Compose file named in emphasis, and judges the Dockerfile and the file it copies by the `docker compose up` that builds them', () => {
    const [compose, dockerfile, saludo, up] = blocksOf('compose-emphasis.md');
    const byUp = { status: 'passed', proof: 'used', usedBy: { line: 28, command: 'docker compose up' } };
    expect(compose).toMatchObject({ kind: 'file', ...byUp });
    expect(dockerfile).toMatchObject({ kind: 'file', ...byUp });
    // Named in plain words: "en el archivo saludo.txt:".
    expect(saludo).toMatchObject({ kind: 'file', ...byUp });
    expect(up!.steps[0]!.actual).toContain('saludo-1  | hola desde compose');
    // The build's header, whole: the page's first command rewinds the row of the shell's first prompt.
    expect(up!.steps[0]!.actual).toMatch(/^\[\+\] Building /);
    expect(plan).toMatch(/compose-emphasis\.md:5 ```yaml +file → docker-compose\.yml — judged by line 28/);
    expect(plan).toMatch(/compose-emphasis\.md:21 ```text +file → saludo\.txt — judged by line 28/);
  });

  it('writes a Compose file the prose never names under Compose’s default name, and --plan says so', () => {
    const [compose, config] = blocksOf('compose-unnamed.md');
    expect(compose).toMatchObject({ kind: 'file', status: 'passed', proof: 'used', cause: { kind: 'checked-by', line: 15 } });
    expect(config!.steps[0]!.actual).toBe('web');
    expect(plan).toMatch(
      /compose-unnamed\.md:5 ```yaml +file → compose\.yaml — .*\n.*no name given: written as `compose\.yaml`, Compose's default/,
    );
  });

  it('continues a container shell left open at the end of a block in the next block that starts at its prompt', () => {
    const [open, inside, after] = blocksOf('session-open.md');
    expect(open!.steps[0]).toMatchObject({ status: 'passed', exitCode: null });
    expect(inside!.steps.map((s) => [s.promptKind, s.command, s.status])).toEqual([
      ['container', 'touch mi_archivo.txt', 'passed'],
      ['container', 'ls mi_archivo.txt', 'passed'],
      ['container', 'exit', 'passed'],
    ]);
    expect(inside!.steps[1]!.actual).toBe('mi_archivo.txt');
    expect(after!.steps[0]!.actual).toBe('caja');
  });
});
