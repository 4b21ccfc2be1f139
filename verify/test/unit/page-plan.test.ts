import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import type { FileBlock } from '../../src/model/plan.ts';
import { fileContent, PageLedger, planPage, type PagePlan, type PlannedBlock } from '../../src/run/page-plan.ts';
import { runPage } from '../../src/run/page-runner.ts';
import { replies, ScriptedLab } from './scripted-lab.ts';

// The one plan of a page's run, which `--plan` prints and the runner follows: pages written as
// an author would, read, and planned without a lab.

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const fence = (info: string, ...body: string[]) => [`\`\`\`${info}`, ...body, '```'].join('\n');
const WORKDIR = '/home/lector/curso';

function plan(source: string, line?: number): PagePlan {
  return planPage(extractPage('p.md', source), { line, workdir: WORKDIR });
}

function at(p: PagePlan, line: number): PlannedBlock {
  const found = p.blocks.find((b) => b.block.line === line);
  if (!found) throw new Error(`no planned block at line ${line}`);
  return found;
}

/** Each file block's path and fate, by fence line. */
function fates(p: PagePlan): Record<number, unknown> {
  return Object.fromEntries(
    p.blocks.flatMap(({ block, action }) => (action.kind === 'write' ? [[block.line, [action.path, action.fate]]] : [])),
  );
}

// Fences at lines 1 (`mkdir app && cd app`), 7 (Dockerfile), 12 (app.py), 20 (the build on line
// 21, the heredoc that replaces app.py on line 22) and 27 (notas.txt, which nothing reads).
const project = md(
  fence('console', '$ mkdir app && cd app'),
  '',
  'Creamos el `Dockerfile`:',
  '',
  fence('dockerfile title="Dockerfile"', 'FROM busybox', 'CMD ["echo", "hola"]'),
  '',
  fence('python title="app.py"', 'print("hola")', '', ''),
  '',
  'Y lo construimos:',
  '',
  fence('console', '$ docker build -t saludo .', '$ cat > app.py <<EOF', '> print("adios")', '> EOF'),
  '',
  fence('text title="notas.txt"', 'nada'),
);

describe('planPage: the files a page writes', () => {
  it('writes each file where the page has moved, and gives it the verdict of the first step that uses it', () => {
    const p = plan(project);
    expect(p.blocks.map((b) => [b.block.line, b.block.kind, b.cwd])).toEqual([
      [1, 'session', WORKDIR],
      [7, 'file', `${WORKDIR}/app`],
      [12, 'file', `${WORKDIR}/app`],
      [20, 'session', `${WORKDIR}/app`],
      [27, 'file', `${WORKDIR}/app`],
    ]);
    expect(fates(p)).toEqual({
      7: [`${WORKDIR}/app/Dockerfile`, { kind: 'used', line: 21, command: 'docker build -t saludo .' }],
      12: [`${WORKDIR}/app/app.py`, { kind: 'written-only', why: 'replaced', line: 22 }],
      27: [`${WORKDIR}/app/notas.txt`, { kind: 'written-only', why: 'unused', line: null }],
    });
  });

  it('lists the files still waiting before each block, and which step settled them', () => {
    const p = plan(project);
    expect(at(p, 20).pending).toEqual([`${WORKDIR}/app/Dockerfile`, `${WORKDIR}/app/app.py`]);
    expect(at(p, 27).pending).toEqual([]);
    const run = at(p, 20).action;
    if (run.kind !== 'run') throw new Error(`block 20 is ${run.kind}`);
    expect(run.steps.map((s) => [s.step.line, s.place, s.settles.map((x) => [x.block.line, x.fate.kind])])).toEqual([
      [21, 'host', [[7, 'used']]],
      [22, 'host', [[12, 'written-only']]],
    ]);
  });

  it('a file written twice before any step used it: the first is written only, overwritten by the second', () => {
    const p = plan(
      md(
        fence('dockerfile title="Dockerfile"', 'FROM busybox'),
        '',
        fence('dockerfile title="Dockerfile"', 'FROM debian'),
        '',
        fence('console', '$ docker build .'),
      ),
    );
    expect(fates(p)).toEqual({
      1: [`${WORKDIR}/Dockerfile`, { kind: 'written-only', why: 'overwritten', line: 5 }],
      5: [`${WORKDIR}/Dockerfile`, { kind: 'used', line: 10, command: 'docker build .' }],
    });
  });

  it('writes the text without its trailing blank lines, ending in one newline', () => {
    const p = plan(project);
    const write = at(p, 12).action;
    expect(write.kind === 'write' && write.content).toBe('print("hola")\n');
    expect(fileContent(at(p, 7).block as FileBlock)).toBe('FROM busybox\nCMD ["echo", "hola"]\n');
  });

  it('neither a command inside a container nor one in the background uses a file, and a background `cd` moves nothing', () => {
    const p = plan(
      md(
        fence('python title="app.py"', 'print(1)'),
        '',
        fence('console', '$ docker run -it python bash', 'root@abc:/# python app.py'),
        '',
        fence('console verify-background', '$ cd /tmp && python app.py'),
        '',
        fence('console', '$ python app.py'),
      ),
    );
    const inside = at(p, 5).action;
    expect(inside.kind === 'run' && inside.steps.map((s) => [s.place, s.settles.length])).toEqual([
      ['host', 0],
      ['inside', 0],
    ]);
    expect(at(p, 14).cwd).toBe(WORKDIR);
    expect(fates(p)).toEqual({ 1: [`${WORKDIR}/app.py`, { kind: 'used', line: 15, command: 'python app.py' }] });
  });

  it('a container prompt where the page opened no container shell is not typed', () => {
    const p = plan(md(fence('console', '$ echo hola', 'hola'), '', fence('console', 'root@abc:/# ls', '$ ls')));
    const run = at(p, 6).action;
    expect(run.kind === 'run' && run.steps.map((s) => s.place)).toEqual(['not-typed', 'host']);
  });

  it('says why a block does not run', () => {
    const p = plan(md(fence('console verify-skip="needs a GPU"', '$ nvidia-smi'), '', fence('console verify-timout=3', '$ ls')));
    expect(p.blocks.map((b) => b.action)).toEqual([
      { kind: 'skip', cause: { kind: 'author-skip', text: 'needs a GPU' } },
      { kind: 'unreadable', error: expect.stringContaining('unknown annotation `verify-timout`') },
    ]);
  });
});

describe('planPage: page.md:LINE', () => {
  it('runs the blocks before the selected one as setup, and goes on only until its file has been used', () => {
    const p = plan(project, 13);
    expect(p.blocks.map((b) => [b.block.line, b.reported])).toEqual([
      [1, false],
      [7, false],
      [12, true],
      [20, false],
    ]);
    expect(fates(p)[12]).toEqual([`${WORKDIR}/app/app.py`, { kind: 'written-only', why: 'replaced', line: 22 }]);
  });

  it('stops after the selected block when it leaves no file waiting', () => {
    expect(plan(project, 2).blocks.map((b) => [b.block.line, b.reported])).toEqual([[1, true]]);
  });

  it('selects nothing when no block holds that line', () => {
    expect(plan(project, 4).blocks).toEqual([]);
  });
});

describe('PageLedger: what the runner tells it', () => {
  it('resolves what a step uses from the directory the shell really is in, not the one the page suggests', () => {
    const page = extractPage('p.md', project);
    const ledger = new PageLedger(page);
    const dockerfile = page.blocks[1] as FileBlock;
    expect(ledger.wrote(dockerfile, '/srv/Dockerfile')).toEqual([]);
    const build = page.blocks[3]!;
    if (build.kind !== 'session') throw new Error('not a session');
    const step = build.steps[0]!;
    // Typed inside a container's shell: nothing on the reader's machine is read.
    expect(ledger.typed(build, step, step.command, '/srv', false)).toEqual([]);
    expect(ledger.typed(build, step, step.command, `${WORKDIR}/app`, true)).toEqual([]);
    expect(ledger.typed(build, step, step.command, '/srv', true)).toEqual([
      { block: dockerfile, path: '/srv/Dockerfile', fate: { kind: 'used', line: 21, command: 'docker build -t saludo .' } },
    ]);
    expect(ledger.ended()).toEqual([]);
  });
});

describe('the plan and the runner agree', () => {
  it('every file block gets from the runner the fate the plan gave it', async () => {
    const page = extractPage('p.md', project);
    const lab = new ScriptedLab(replies({ 'mkdir app && cd app': { cwd: `${WORKDIR}/app` } }));
    const { results } = await runPage(page, lab);
    const planned = planPage(page, { workdir: lab.workdir });
    const fromPlan = planned.blocks.flatMap(({ block, action }) =>
      action.kind === 'write'
        ? [
            [
              block.line,
              action.fate.kind === 'used'
                ? { kind: 'checked-by', line: action.fate.line, command: action.fate.command }
                : { kind: 'written-only', path: action.path, why: action.fate.why, line: action.fate.line },
            ],
          ]
        : [],
    );
    const fromRun = results.filter((r) => r.kind === 'file').map((r) => [r.line, r.cause]);
    expect(fromRun).toEqual(fromPlan);
    expect(fromRun).toHaveLength(3);
    // And the runner wrote each file with the plan's content, at the plan's path.
    const writes = planned.blocks.flatMap(({ action }) => (action.kind === 'write' ? [[action.path, action.content]] : []));
    expect([...lab.files]).toEqual(writes);
  });
});
