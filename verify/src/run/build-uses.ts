import type { Marks, WrittenFile } from './uses.ts';

// What a `docker build` (or a Compose service's build) reads from the reader's machine. Pure.

/**
 * A build uses its Dockerfile and the files of its context that the Dockerfile copies (`COPY`,
 * `ADD`). A file that merely sits in the context proves nothing by the build passing. When the
 * page did not write the Dockerfile, what it copies is unknown: the whole context counts.
 */
export function buildUses(context: string, dockerfile: string, files: readonly WrittenFile[], m: Marks): void {
  m.exactly(dockerfile);
  const df = files.find((f) => f.path === dockerfile);
  if (!df) {
    m.within(context);
    return;
  }
  for (const source of dockerfileSources(df.content)) m.matching(context, source);
}

/** The context paths a Dockerfile's `COPY`/`ADD` instructions copy (not `--from` a stage or image, not URLs). */
export function dockerfileSources(content: string): string[] {
  const sources: string[] = [];
  const joined = content.replace(/\\\r?\n/g, ' ').split('\n');
  for (const line of joined) {
    const m = /^\s*(?:COPY|ADD)\s+(.*)$/i.exec(line);
    if (!m) continue;
    let args: string[];
    const rest = m[1]!.trim();
    const flags = /^((?:--[\w-]+(?:=\S*)?\s+)*)(.*)$/.exec(rest)!;
    if (/--from=/.test(flags[1]!)) continue;
    try {
      args = flags[2]!.startsWith('[') ? (JSON.parse(flags[2]!) as string[]) : flags[2]!.split(/\s+/);
    } catch {
      args = flags[2]!.split(/\s+/);
    }
    // Heredoc sources (`COPY <<EOF /x`) and URLs come from nowhere in the context.
    for (const a of args.slice(0, -1)) if (!/^<<|^[a-z]+:\/\//.test(a)) sources.push(a);
  }
  return sources;
}
