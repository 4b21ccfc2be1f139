import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTargets } from '../../src/collect/collect.ts';
import { printPlan } from '../../src/plan.ts';

// `npm run verify -- --plan`: how every block will be read, without an engine. (The CLI cases
// start Node processes: a minute each is room for a loaded machine.)

const root = path.resolve(import.meta.dirname, '../../..');
const honest = path.join(root, 'verify/test/engine/honest');
const cli = path.join(root, 'verify/src/cli.ts');

function plan(paths: string[]): { code: number; text: string } {
  let text = '';
  const code = printPlan(collectTargets(paths, root), { color: false, timeoutScale: 1 }, (s) => {
    text += s;
  });
  return { code, text };
}

const broken = [
  '---',
  'title: [unclosed',
  '',
  '```console verify-timout=30',
  '$ echo hi',
  '```',
  '',
  '```bash',
  'Hello from Docker!',
  'docker ps',
  '```',
  '',
  '~~~console',
  '$ echo never closed',
].join('\n');

describe('--plan', () => {
  it('prints each block as it will be read, and exits 0 when every page reads cleanly', () => {
    const { code, text } = plan([honest]);
    expect(code).toBe(0);
    expect(text).toContain('compose-in-bash.md:5 ```bash          file → docker-compose.yml — judged by line 16: `docker compose up`');
    expect(text).toContain(
      'read as a Compose file (it has a top-level `services:`); its name, `docker-compose.yml`, from the sentence before',
    );
    expect(text).toContain(
      'dockerfile-in-bash.md:19 ```text title="notas.txt" file → notas.txt — no step uses it: written only, not checked',
    );
    expect(text).toContain(
      'output-table.md:12 ```bash          skipped: output shown without its command\n    read as output: a table with the header row `CONTAINER ID IMAGE …`\n',
    );
    expect(text).toMatch(
      /6 host \$ docker run --rm busybox ping 127\.0\.0\.1 — output: 2 lines, \^C, then 3 lines after it · timeout 60 s/,
    );
    expect(text).toMatch(/26 host \$ docker build -q -t saludo \. — no output documented: exit status only · timeout 900 s/);
    expect(text).toMatch(
      /Plan: 5 page\(s\), 11 block\(s\): 5 session\(s\) with 6 step\(s\), 5 file\(s\), 1 skipped, 0 that cannot be read/,
    );
  });

  it('shows annotations and timeouts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curso-plan-'));
    writeFileSync(path.join(dir, 'a.md'), '```console verify-timeout=600 verify-setup\n$ apt-get update\n```\n');
    const { text } = plan([path.join(dir, 'a.md')]);
    expect(text).toContain('annotations: verify-timeout=600 verify-setup');
    expect(text).toContain('timeout 600 s');
  });

  it('page.md:LINE: the selected file is planned within its page, as the runner runs it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curso-plan-'));
    const page = path.join(dir, 'a.md');
    const source = [
      '```console',
      '$ mkdir app && cd app',
      '```',
      '',
      '```dockerfile title="Dockerfile"',
      'FROM busybox',
      '```',
      '',
      '```console',
      '$ docker build .',
      '```',
      '',
    ];
    writeFileSync(page, source.join('\n'));
    const { code, text } = plan([`${page}:6`]);
    expect(code).toBe(0);
    // The `cd` before it and the build after it run too, unreported: the build judges the file.
    expect(text).toContain(`a.md:5 \`\`\`dockerfile title="Dockerfile" file → Dockerfile — judged by line 10: \`docker build .\``);
    expect(text).toMatch(/\(1 block\)/);
    expect(text).not.toContain('mkdir');
  });

  it('exits 2 on bad input, naming each file:line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curso-plan-'));
    writeFileSync(path.join(dir, 'broken.md'), broken);
    const { code, text } = plan([path.join(dir, 'broken.md')]);
    expect(code).toBe(2);
    const problems = text
      .slice(text.indexOf('Problems'))
      .split('\n')
      .filter((l) => l.startsWith('! '));
    expect(problems.map((l) => l.replace(dir, 'DIR'))).toEqual([
      '! DIR/broken.md:4: unknown annotation `verify-timout`; known: verify-skip, verify-timeout, verify-background, verify-fails, verify-setup, verify-as, verify-file',
      '! DIR/broken.md:8: line 9: `Hello from Docker!` is not a command, and it comes before any command: mark the commands with `$ ` prompts, or annotate the fence (verify-as=output, verify-as=session)',
      '! DIR/broken.md:13: unclosed code fence (opened at line 13)',
    ]);
  });

  it('through the CLI: no engine, no stack trace, exit 0 or 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curso-plan-'));
    writeFileSync(path.join(dir, 'broken.md'), broken);
    writeFileSync(path.join(dir, 'odd.md'), `\u0000\ufffd${'`'.repeat(70_000)}\n\`\`\`\n\u0007`);
    const bad = await execa(process.execPath, [cli, '--plan', '--no-color', dir], { reject: false, all: true });
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toMatch(/broken\.md:13: unclosed code fence/);
    expect(bad.all).not.toMatch(/\n\s+at |internal error/);
    const good = await execa(process.execPath, [cli, '--plan', '--no-color', honest], { reject: false, all: true });
    expect(good.exitCode).toBe(0);
  }, 60_000);

  it('the runner ends a page it cannot read with exit 2 and file:line, without an engine', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curso-plan-'));
    writeFileSync(path.join(dir, 'broken.md'), broken);
    const run = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', path.join(dir, 'broken.md')], {
      reject: false,
      all: true,
    });
    expect(run.exitCode).toBe(2);
    expect(run.all).toMatch(/broken\.md:4: unknown annotation `verify-timout`/);
    expect(run.all).not.toMatch(/\n\s+at |internal error/);
  }, 60_000);
});
