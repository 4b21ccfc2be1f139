import type { Cause, Note } from '../model/cause.ts';

// The harness's causes and notes in English, for the maintainer's edges: the terminal, JUnit,
// the CI summary and check reports. The site has its own words, in each page's language
// (src/verification/cause-texts.ts). Pure.

/** A command's first line, `…` when it has more. */
export function firstLine(command: string): string {
  const [first, ...more] = command.split('\n');
  return more.length > 0 ? `${first} …` : first!;
}

const expectedExit = (e: Extract<Cause, { kind: 'exit-status' }>['expected']) =>
  e === 'success' ? 'success' : e === 'failure' ? 'a failure' : `status ${e}`;

export function causeWords(c: Cause): string {
  switch (c.kind) {
    case 'author-skip':
      return c.text;
    case 'display':
      if (c.annotated) return 'display only (verify-as=display)';
      if (c.looksLike) {
        return `display only: looks like a ${c.looksLike} file in a \`${c.lang || 'untagged'}\` block, and the sentence before gives no file name in code (\`compose.yaml\`) nor the fence a title="…"`;
      }
      return `display only: a \`${c.lang || 'text'}\` block with no title="…" file name`;
    case 'shown-output':
      return c.annotated ? 'output shown without its command (verify-as=output)' : 'output shown without its command';
    case 'written':
      return `written to ${c.path}`;
    case 'checked-by':
      return `checked by line ${c.line}: \`${firstLine(c.command)}\``;
    case 'written-only': {
      const why = c.why === 'unused' ? 'no step of the page uses it' : `${c.why} by line ${c.line} before any step used it`;
      return `written to ${c.path}; written only, not checked: ${why}`;
    }
    case 'output-differs':
      return 'output differs from the documented output';
    case 'exit-status':
      if (c.expected === 'success') return `exited with status ${c.actual} and the page documents no such error`;
      if (c.expected === 'failure') return 'expected to fail (verify-fails) but exited 0';
      return `expected to exit with ${expectedExit(c.expected)} (verify-fails=${c.expected}) but exited ${c.actual}`;
    case 'timeout':
      return `timed out after ${c.seconds} s: the command was still running and was stopped with Ctrl-C (annotate \`verify-timeout=N\`, \`verify-background\`, or show \`^C\` where the reader stops it)`;
    case 'session-closed':
      return `not typed: this step belongs to an interactive session (${c.prompt}) that is not open — the command that should open it failed or has ended`;
    case 'use-failed': {
      const cmd = `\`${firstLine(c.command)}\``;
      if (c.at) return `line ${c.at.line}: ${cmd} (line ${c.line}) failed here (${c.at.where})${c.at.error ? `: ${c.at.error}` : ''}`;
      return `line ${c.line} ${cmd}, which uses this file, ${c.judged === 'error' ? 'could not be judged' : 'failed'}`;
    }
    case 'unreadable':
      return c.problem;
    case 'no-block':
      return 'no code block at that line';
    case 'shell-exited':
      return 'the lab shell exited unexpectedly';
    case 'write-failed':
      return `could not write ${c.path} in the lab: ${c.message}`;
    case 'not-run':
      return c.fatal ? `not run: ${c.fatal}` : 'not run';
    case 'engine-stopped':
      return 'not verified: the Docker engine stopped answering';
    case 'lab-died':
      return labDied(c);
    case 'not-updated':
      return `not updated: ${c.message}`;
    case 'infrastructure':
      return `not drift: ${INFRASTRUCTURE[c.fault]} (${c.evidence})`;
  }
}

function labDied(c: { oomKilled: boolean; exitCode: number | null; memoryGiB: number }): string {
  return c.oomKilled
    ? `the lab's Docker engine was killed: out of memory at the lab's ${c.memoryGiB} GiB limit`
    : `the lab stopped (exit code ${c.exitCode ?? '?'}): its Docker engine or its shell was killed`;
}

const INFRASTRUCTURE = {
  'rate-limit': 'the registry refused or rate-limited the pull',
  network: 'the network failed',
  disk: 'the disk is full',
  engine: 'the Docker engine failed',
} as const;

const since = (line: number | null) => `(since ${line === null ? 'the page began' : `line ${line}`})`;

export function noteWords(n: Note): string {
  switch (n.kind) {
    case 'lab-limits': {
      const said: string[] = [];
      if (n.oomKills > 0)
        said.push(
          `the lab ran out of memory: ${n.oomKills === 1 ? 'a process was' : `${n.oomKills} processes were`} killed at the lab's limit of ${n.memoryGiB} GiB`,
        );
      if (n.forkRefusals > 0)
        said.push(
          `the lab reached its limit of ${n.pids} processes: ${n.forkRefusals === 1 ? 'a fork was' : `${n.forkRefusals} forks were`} refused`,
        );
      return `${said.join('; ')} ${since(n.since)}`;
    }
    case 'lab-died':
      return `${labDied(n)} ${since(n.since)}`;
    case 'missing-image':
      return `${n.image}: no registry answers and the harness has no stand-in for it (stand-ins: ${n.standIns.join(', ')})`;
    case 'left-by-earlier-lesson':
      return `on the reader's path, "${n.name}" was left by an earlier lesson (${n.file}:${n.line})`;
  }
}

/** A verdict's cause and notes in one line, as the terminal and JUnit show it (null: nothing to say). */
export function verdictWords(r: { cause: Cause | null; notes: readonly Note[] }): string | null {
  const parts = [...(r.cause ? [causeWords(r.cause)] : []), ...r.notes.map(noteWords)];
  return parts.length > 0 ? parts.join('; ') : null;
}
