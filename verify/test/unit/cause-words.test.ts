import { describe, expect, it } from 'vitest';
import {
  CAUSE_KINDS,
  CauseSchema,
  NOTE_KINDS,
  NoteSchema,
  type Cause,
  type CauseKind,
  type Note,
  type NoteKind,
} from '../../src/model/cause.ts';
import { causeWords, firstLine, noteWords, verdictWords } from '../../src/report/cause-words.ts';

// The harness's causes and notes in the maintainer's English (the terminal, JUnit, the CI
// summary, --plan and --check): one wording per kind, and every kind has one.

/** One cause of each kind, and the words the maintainer reads for it. */
const CAUSES: { [K in CauseKind]: [Extract<Cause, { kind: K }>, string] } = {
  'author-skip': [{ kind: 'author-skip', text: 'necesita Docker Hub' }, 'necesita Docker Hub'],
  display: [{ kind: 'display', annotated: false, lang: 'php', looksLike: null }, 'display only: a `php` block with no title="…" file name'],
  'shown-output': [{ kind: 'shown-output', annotated: false }, 'output shown without its command'],
  written: [{ kind: 'written', path: '/home/lector/curso/app.py' }, 'written to /home/lector/curso/app.py'],
  'checked-by': [{ kind: 'checked-by', line: 16, command: 'docker compose up' }, 'checked by line 16: `docker compose up`'],
  'written-only': [
    { kind: 'written-only', path: '/home/lector/curso/notas.txt', why: 'unused', line: null },
    'written to /home/lector/curso/notas.txt; written only, not checked: no step of the page uses it',
  ],
  'output-differs': [{ kind: 'output-differs' }, 'output differs from the documented output'],
  'exit-status': [{ kind: 'exit-status', expected: 'success', actual: 2 }, 'exited with status 2 and the page documents no such error'],
  timeout: [
    { kind: 'timeout', seconds: 60 },
    'timed out after 60 s: the command was still running and was stopped with Ctrl-C (annotate `verify-timeout=N`, `verify-background`, or show `^C` where the reader stops it)',
  ],
  'session-closed': [
    { kind: 'session-closed', prompt: '>>>' },
    'not typed: this step belongs to an interactive session (>>>) that is not open — the command that should open it failed or has ended',
  ],
  'use-failed': [
    {
      kind: 'use-failed',
      line: 14,
      command: 'docker build -t roto .',
      judged: 'failed',
      at: { line: 7, where: 'Dockerfile:2', error: 'ERROR: failed to build' },
    },
    'line 7: `docker build -t roto .` (line 14) failed here (Dockerfile:2): ERROR: failed to build',
  ],
  unreadable: [{ kind: 'unreadable', problem: 'p.md:3: unknown annotation `verify-bogus`' }, 'p.md:3: unknown annotation `verify-bogus`'],
  'no-block': [{ kind: 'no-block' }, 'no code block at that line'],
  'shell-exited': [{ kind: 'shell-exited' }, 'the lab shell exited unexpectedly'],
  'write-failed': [
    { kind: 'write-failed', path: '/home/lector/curso/Dockerfile', message: 'no space left on device' },
    'could not write /home/lector/curso/Dockerfile in the lab: no space left on device',
  ],
  'not-run': [{ kind: 'not-run', fatal: 'the Docker engine stopped answering' }, 'not run: the Docker engine stopped answering'],
  'engine-stopped': [{ kind: 'engine-stopped' }, 'not verified: the Docker engine stopped answering'],
  'lab-died': [
    { kind: 'lab-died', oomKilled: true, exitCode: 137, memoryGiB: 6 },
    "the lab's Docker engine was killed: out of memory at the lab's 6 GiB limit",
  ],
  'not-updated': [
    { kind: 'not-updated', message: 'p.md changed while it was being verified' },
    'not updated: p.md changed while it was being verified',
  ],
  infrastructure: [
    { kind: 'infrastructure', fault: 'rate-limit', evidence: 'toomanyrequests: You have reached your pull rate limit.' },
    'not drift: the registry refused or rate-limited the pull (toomanyrequests: You have reached your pull rate limit.)',
  ],
};

/** One note of each kind, and its words. */
const NOTES: { [K in NoteKind]: [Extract<Note, { kind: K }>, string] } = {
  'lab-limits': [
    { kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096, since: null },
    "the lab ran out of memory: a process was killed at the lab's limit of 6 GiB (since the page began)",
  ],
  'lab-died': [
    { kind: 'lab-died', oomKilled: false, exitCode: 1, memoryGiB: 6, since: 12 },
    'the lab stopped (exit code 1): its Docker engine or its shell was killed (since line 12)',
  ],
  'missing-image': [
    { kind: 'missing-image', image: 'nginx:1.27', standIns: ['busybox:latest', 'python:3.13-slim'] },
    'nginx:1.27: no registry answers and the harness has no stand-in for it (stand-ins: busybox:latest, python:3.13-slim)',
  ],
  'left-by-earlier-lesson': [
    { kind: 'left-by-earlier-lesson', name: 'servidor', file: 'content/run-avanzado.md', line: 2 },
    'on the reader\'s path, "servidor" was left by an earlier lesson (content/run-avanzado.md:2)',
  ],
};

describe('causeWords', () => {
  it.each(Object.values(CAUSES))('words %o', (cause, words) => {
    expect(CauseSchema.parse(cause)).toEqual(cause);
    expect(causeWords(cause)).toBe(words);
  });

  it('gives every kind words, and the examples here cover every kind', () => {
    expect(Object.keys(CAUSES).sort()).toEqual([...CAUSE_KINDS].sort());
    for (const kind of CAUSE_KINDS) expect(causeWords(CAUSES[kind][0]).trim(), kind).not.toBe('');
  });

  it('says how a block is shown when it is not run', () => {
    expect(causeWords({ kind: 'display', annotated: true, lang: 'php', looksLike: null })).toBe('display only (verify-as=display)');
    expect(causeWords({ kind: 'display', annotated: false, lang: '', looksLike: null })).toBe(
      'display only: a `text` block with no title="…" file name',
    );
    expect(causeWords({ kind: 'display', annotated: false, lang: 'bash', looksLike: 'compose' })).toBe(
      'display only: looks like a compose file in a `bash` block, and the sentence before gives no file name in code (`compose.yaml`) nor the fence a title="…"',
    );
    expect(causeWords({ kind: 'display', annotated: false, lang: '', looksLike: 'json' })).toMatch(
      /^display only: looks like a json file in a `untagged` block/,
    );
    expect(causeWords({ kind: 'shown-output', annotated: true })).toBe('output shown without its command (verify-as=output)');
  });

  it('says why a file was written only: no use, or overwritten or replaced at a line', () => {
    const why = (w: 'overwritten' | 'replaced') => causeWords({ kind: 'written-only', path: '/x/a', why: w, line: 9 });
    expect(why('overwritten')).toBe('written to /x/a; written only, not checked: overwritten by line 9 before any step used it');
    expect(why('replaced')).toBe('written to /x/a; written only, not checked: replaced by line 9 before any step used it');
  });

  it('tells each expected exit apart', () => {
    expect(causeWords({ kind: 'exit-status', expected: 'failure', actual: 0 })).toBe('expected to fail (verify-fails) but exited 0');
    expect(causeWords({ kind: 'exit-status', expected: 2, actual: 1 })).toBe(
      'expected to exit with status 2 (verify-fails=2) but exited 1',
    );
  });

  it("names a file's use by its first line, where it failed if the error says, and whether it could be judged", () => {
    const use = { kind: 'use-failed', line: 14, command: 'docker build \\\n  -t roto .' } as const;
    expect(causeWords({ ...use, judged: 'failed', at: null })).toBe('line 14 `docker build \\ …`, which uses this file, failed');
    expect(causeWords({ ...use, judged: 'error', at: null })).toBe(
      'line 14 `docker build \\ …`, which uses this file, could not be judged',
    );
    expect(causeWords({ ...use, judged: 'failed', at: { line: 7, where: 'Dockerfile:2', error: null } })).toBe(
      'line 7: `docker build \\ …` (line 14) failed here (Dockerfile:2)',
    );
    expect(causeWords({ kind: 'checked-by', line: 3, command: 'cat <<EOF\nx\nEOF' })).toBe('checked by line 3: `cat <<EOF …`');
    expect(firstLine('one')).toBe('one');
  });

  it('tells a lab that died of memory from one that stopped otherwise, and a run stopped without a word', () => {
    expect(causeWords({ kind: 'lab-died', oomKilled: false, exitCode: null, memoryGiB: 6 })).toBe(
      'the lab stopped (exit code ?): its Docker engine or its shell was killed',
    );
    expect(causeWords({ kind: 'not-run', fatal: null })).toBe('not run');
  });
});

describe('noteWords', () => {
  it.each(Object.values(NOTES))('words %o', (note, words) => {
    expect(NoteSchema.parse(note)).toEqual(note);
    expect(noteWords(note)).toBe(words);
  });

  it('gives every kind words, and the examples here cover every kind', () => {
    expect(Object.keys(NOTES).sort()).toEqual([...NOTE_KINDS].sort());
    for (const kind of NOTE_KINDS) expect(noteWords(NOTES[kind][0]).trim(), kind).not.toBe('');
  });

  it('counts kills and refused forks, one or many, both when both happened', () => {
    const limits = (oomKills: number, forkRefusals: number, since: number | null = 4) =>
      noteWords({ kind: 'lab-limits', oomKills, forkRefusals, memoryGiB: 6, pids: 4096, since });
    expect(limits(2, 0)).toBe("the lab ran out of memory: 2 processes were killed at the lab's limit of 6 GiB (since line 4)");
    expect(limits(0, 1)).toBe('the lab reached its limit of 4096 processes: a fork was refused (since line 4)');
    expect(limits(1, 3, null)).toBe(
      "the lab ran out of memory: a process was killed at the lab's limit of 6 GiB; the lab reached its limit of 4096 processes: 3 forks were refused (since the page began)",
    );
    expect(noteWords({ kind: 'lab-died', oomKilled: true, exitCode: 137, memoryGiB: 6, since: null })).toBe(
      "the lab's Docker engine was killed: out of memory at the lab's 6 GiB limit (since the page began)",
    );
  });
});

describe('verdictWords', () => {
  it('is the cause, then each note, in one line; nothing when there is neither', () => {
    expect(verdictWords({ cause: null, notes: [] })).toBeNull();
    expect(verdictWords({ cause: { kind: 'output-differs' }, notes: [] })).toBe('output differs from the documented output');
    expect(verdictWords({ cause: null, notes: [NOTES['missing-image'][0]] })).toBe(NOTES['missing-image'][1]);
    expect(
      verdictWords({
        cause: { kind: 'exit-status', expected: 'success', actual: 125 },
        notes: [NOTES['missing-image'][0], NOTES['lab-limits'][0]],
      }),
    ).toBe(`exited with status 125 and the page documents no such error; ${NOTES['missing-image'][1]}; ${NOTES['lab-limits'][1]}`);
  });
});
