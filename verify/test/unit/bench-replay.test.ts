import { describe, expect, it } from 'vitest';
import { firstDivergence, sameOutput } from '../../bench/replay-compare.ts';
import { asksForTerminal, MARKER_OSC, replayScript, type ReplayStep } from '../../bench/replay-script.ts';
import { cutTranscript, render, replayOutputs } from '../../bench/replay-transcript.ts';
import { TurnTimer, turnSummary } from '../../bench/turn-to-first-command.ts';
import { extractPage } from '../../src/extract/markdown.ts';
import type { Block } from '../../src/model/plan.ts';
import type { ReportBlock, StepResult } from '../../src/model/report.ts';
import { reportBlock, stepResult } from './results.ts';

// The overhead benchmark's pure parts: the replay script built from a page and the harness's
// results, the transcript cut into steps, the comparison, and the turn-to-first-command timer.

const fence = (meta: string, body: string) => `\`\`\`${meta}\n${body}\n\`\`\``;
const page = (...blocks: string[]) => extractPage('p.md', `# P\n\n${blocks.join('\n\n')}\n`).blocks;

/** The harness's result for a session block: each step as given, by the block's own steps. */
function ran(block: Block, steps: Partial<StepResult>[], over: Partial<ReportBlock> = {}): ReportBlock {
  if (block.kind !== 'session') throw new Error('not a session');
  return reportBlock({
    line: block.line,
    steps: block.steps.map((s, i) =>
      stepResult({ line: s.line, promptKind: s.promptKind, command: s.command, ran: s.command, ...steps[i] }),
    ),
    ...over,
  });
}

/** A marker as bash prints it: `s;N;TIME`, `e;N;STATUS;TIME` ($EPOCHREALTIME). */
const marker = (kind: 's' | 'e', n: number, at: string, code?: number) =>
  `\x1b]${MARKER_OSC};${kind};${n}${code === undefined ? '' : `;${code}`};${at}\x07`;

describe('replayScript', () => {
  it('types each step in one shell with stdin from /dev/null, framed by markers with its exit status', () => {
    const blocks = page(fence('console', '$ cd /tmp\n$ ls\na b'));
    const { script, steps } = replayScript(blocks, [ran(blocks[0]!, [{}, { actual: 'a b' }])]);
    expect(steps.map((s) => [s.n, s.line, s.kind])).toEqual([
      [1, blocks[0]!.line + 1, 'plain'],
      [2, blocks[0]!.line + 2, 'plain'],
    ]);
    expect(script).toContain(`{ cd /tmp\n} </dev/null\nprintf '\\033]${MARKER_OSC};e;1;%s;%s\\007' "$?" "$EPOCHREALTIME"`);
    expect(script).toContain(`printf '\\033]${MARKER_OSC};s;2;%s\\007' "$EPOCHREALTIME"\n{ ls\n} </dev/null`);
  });

  it('gives a `docker run -it` its own terminal, fed with exactly the lines the harness typed into it', () => {
    const blocks = page(
      fence(
        'console',
        '$ docker run -it debian bash\nroot@1dbc76e3acdb:/# cat /etc/hostname\n1dbc76e3acdb\nroot@1dbc76e3acdb:/# exit\nexit\n$ echo after\nafter',
      ),
    );
    const { script, steps } = replayScript(blocks, [
      ran(blocks[0]!, [{ exitCode: null }, { actual: '0f0f0f0f0f0f' }, { actual: 'exit' }, {}]),
    ]);
    expect(steps.map((s) => s.kind)).toEqual(['terminal', 'plain']);
    expect(steps[0]!.typed.map((t) => t.ran)).toEqual(['cat /etc/hostname', 'exit']);
    expect(script).toContain(
      "SHELL=/bin/bash script -qec 'docker run -it debian bash' /dev/null <<'CURSO_REPLAY_EOF'\ncat /etc/hostname\nexit\nCURSO_REPLAY_EOF",
    );
    expect(script).not.toContain('-i debian');
  });

  it('gives a terminal to `docker run -t` and `-dit`, not to a value that happens to hold a t', () => {
    expect(asksForTerminal('docker run -t busybox ls')).toBe(true);
    expect(asksForTerminal('docker run -dit --name x debian')).toBe(true);
    expect(asksForTerminal('docker exec db mariadb -uroot -psecreto -e "SELECT 1"')).toBe(false);
    expect(asksForTerminal('docker exec -it db bash')).toBe(true);
    expect(asksForTerminal('echo -t')).toBe(false);
  });

  it("types an ID the harness bound as the replay's own, found where the harness saw it", () => {
    const real = 'a842945e2414f00dbabecafe0123456789abcdef0123456789abcdef01234567';
    const blocks = page(fence('console', '$ docker ps -aq --no-trunc\n5d2f1a9c3e7b\n$ docker rm 5d2f1a9c3e7b\n5d2f1a9c3e7b'));
    const { script } = replayScript(blocks, [
      ran(blocks[0]!, [{ actual: `ffffffffffff00\n${real}` }, { ran: `docker rm ${real.slice(0, 12)}`, actual: real.slice(0, 12) }]),
    ]);
    // The step that showed it is captured to a file (through a terminal of its own), and the
    // second hex word there, cut to the length the page wrote, is typed.
    expect(script).toContain("script -qec 'docker ps -aq --no-trunc' /tmp/curso-replay/1 </dev/null");
    expect(script).toContain("sed -n '2p'); __id0=${__id0:0:12}");
    expect(script).toContain('{ docker rm ${__id0}\n}');
  });

  it('writes file blocks with a heredoc, waits out timed-out steps, interrupts ^C steps, backgrounds verify-background', () => {
    const blocks = page(
      fence('dockerfile title="Dockerfile"', 'FROM busybox\nCURSO_REPLAY_EOF'),
      fence('console', '$ docker events\n^C'),
      fence('console', '$ sleep 1000'),
      fence('console verify-background', '$ python -m http.server'),
    );
    const results = [
      reportBlock({ line: blocks[0]!.line, kind: 'file' }),
      ran(blocks[1]!, [{ durationMs: 2300, exitCode: 130 }]),
      ran(blocks[2]!, [{ status: 'failed', cause: { kind: 'timeout', seconds: 60 }, exitCode: null }]),
      ran(blocks[3]!, [{}]),
    ];
    const { script, steps } = replayScript(blocks, results);
    expect(steps.map((s) => s.kind)).toEqual(['interrupted', 'timed-out', 'background']);
    expect(script).toContain("cat > 'Dockerfile' <<'CURSO_REPLAY_EOF_'\nFROM busybox\nCURSO_REPLAY_EOF\nCURSO_REPLAY_EOF_\n");
    expect(script).toContain("timeout -s INT 3 bash -c 'docker events' </dev/null");
    expect(script).toContain("timeout -s INT 60 bash -c 'sleep 1000' </dev/null; __r=$(( 60 - (SECONDS - __t) ))");
    expect(script).toContain('{ python -m http.server\n} </dev/null >/dev/null 2>&1 &');
  });

  it('replays no block the harness skipped, and names those it had an error in', () => {
    const blocks = page(fence('console', '$ true'), fence('console', '$ false'));
    const { steps, errors } = replayScript(blocks, [
      ran(blocks[0]!, [{}], { status: 'skipped' }),
      ran(blocks[1]!, [{}], { status: 'error' }),
    ]);
    expect(steps).toEqual([]);
    expect(errors).toEqual([{ file: 'p.md', line: blocks[1]!.line }]);
  });
});

describe('the transcript', () => {
  it('is cut at the markers, each step with its exit status; one the script stopped inside has none', () => {
    const t = `Script started\n${marker('s', 1, '100.000000')}one\r\n${marker('e', 1, '100.250000', 0)}${marker('s', 2, '100,250000')}two\r\n${marker('e', 2, '102,250000', 3)}${marker('s', 3, '103.0')}stuck`;
    expect([...cutTranscript(t)]).toEqual([
      [1, { raw: 'one\r\n', exitCode: 0, durationMs: 250 }],
      [2, { raw: 'two\r\n', exitCode: 3, durationMs: 2000 }],
      [3, { raw: 'stuck', exitCode: null, durationMs: null }],
    ]);
  });

  it('is rendered as a terminal shows it: a progress line overwritten, colours gone', async () => {
    expect(await render('Pulling 10%\rPulling 100%\r\n\x1b[32mdone\x1b[0m   \r\n\r\n')).toBe('Pulling 100%\ndone');
    expect((await replayOutputs(`${marker('s', 4, '1.5')}x\r\n${marker('e', 4, '2.0', 1)}`)).get(4)).toEqual({
      output: 'x',
      exitCode: 1,
      durationMs: 500,
    });
  });
});

describe('comparing the replay with the harness', () => {
  it('holds modulo volatile values, or the same words laid out otherwise, or the documented output', () => {
    expect(sameOutput('abc123def456 Up 2 seconds 1.2MB', '0123456789ab Up 5 seconds 3.4MB', null)).toBe(true);
    expect(sameOutput('a  b  c', 'a\nb\nc', null)).toBe(true);
    expect(sameOutput('eager_turing', 'quirky_hopper', ['[..]'])).toBe(true);
    expect(
      sameOutput(
        '[+] Building 53.0s (16/16) FINISHED\n => [2/3] RUN pip install 41.2s',
        '[+] Building 147.0s (16/16) FINISHED\n => [2/3] RUN pip install 120.9s',
        null,
      ),
    ).toBe(true);
    expect(
      sameOutput(
        ' => [2/3] RUN apt-get 33.0s\n => [internal] load build context 0.0s',
        ' => [internal] load build context 0.0s\n => [2/3] RUN apt-get 40.8s',
        null,
      ),
    ).toBe(true);
    expect(sameOutput('Downloaded newer image', 'Image is up to date', null)).toBe(false);
    expect(sameOutput('[+] Building 53.0s (16/16)', '[+] Building 53.0s (15/16)', null)).toBe(false);
  });

  const step = (over: Partial<ReplayStep>): ReplayStep => ({
    n: 1,
    file: 'p.md',
    line: 5,
    kind: 'plain',
    harness: stepResult({ actual: 'hello', exitCode: 0 }),
    typed: [],
    documented: null,
    ...over,
  });

  it('names the first step that differs, its file:line and a few lines of each side', () => {
    const steps = [step({}), step({ n: 2, line: 7, harness: stepResult({ actual: 'same\nold', exitCode: 0 }) })];
    const d = firstDivergence(
      steps,
      new Map([
        [1, { output: 'hello', exitCode: 0, durationMs: 1 }],
        [2, { output: 'same\nnew', exitCode: 0, durationMs: 1 }],
      ]),
    );
    expect(d).toEqual({ file: 'p.md', line: 7, why: 'its output differs', harness: ['old'], replay: ['new'] });
  });

  it('tells a step that exited otherwise, and one the replay never reached', () => {
    expect(firstDivergence([step({})], new Map([[1, { output: 'hello', exitCode: 1, durationMs: 1 }]]))?.why).toBe(
      "it exited 1, the harness's 0",
    );
    expect(firstDivergence([step({})], new Map())?.why).toBe('the replay never reached this step');
  });

  it("finds a terminal session's lines in order among its echoes and prompts; background and timed-out steps are not compared", () => {
    const session = step({
      kind: 'terminal',
      harness: stepResult({ actual: '', exitCode: null }),
      typed: [stepResult({ actual: 'hola desde el host' }), stepResult({ actual: 'exit' })],
    });
    const shown = 'cat /pepe/saludo.txt\r\nroot@1dbc76e3acdb:/# cat /pepe/saludo.txt\nhola desde el host\nroot@1dbc76e3acdb:/# exit\nexit';
    expect(firstDivergence([session], new Map([[1, { output: shown, exitCode: 0, durationMs: 1 }]]))).toBeNull();
    expect(firstDivergence([session], new Map([[1, { output: 'exit\nhola desde el host', exitCode: 0, durationMs: 1 }]]))?.why).toBe(
      'its terminal session did not show what the harness saw',
    );
    expect(firstDivergence([step({ kind: 'background' }), step({ kind: 'timed-out' })], new Map())).toBeNull();
  });
});

describe('turn to first command', () => {
  it("times each page from its page-start to its first session's block-start, on the event stream alone", () => {
    let now = 0;
    const timer = new TurnTimer(() => now);
    const blocks = page(fence('text', 'shown'), fence('console', '$ true'), fence('console', '$ true'));
    timer.onPageStart({ type: 'page-start', file: 'p.md', blocks: 3 });
    now = 700;
    timer.onBlockStart({ type: 'block-start', block: blocks[0]! });
    now = 1200;
    timer.onBlockStart({ type: 'block-start', block: blocks[1]! });
    now = 5000;
    timer.onBlockStart({ type: 'block-start', block: blocks[2]! });
    timer.onPageStart({ type: 'page-start', file: 'q.md', blocks: 1 });
    expect(timer.pages()).toEqual([
      { file: 'p.md', ms: 1200 },
      { file: 'q.md', ms: null },
    ]);
  });

  it('summarises the pages that ran a command: median and max', () => {
    expect(turnSummary([300, null, 100, 900, 200])).toEqual({ median: 250, max: 900, pages: 4 });
    expect(turnSummary([null])).toBeNull();
  });
});
