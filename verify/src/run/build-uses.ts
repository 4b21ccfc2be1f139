import { DockerfileParser, type ModifiableInstruction } from 'dockerfile-ast';
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

/**
 * The context paths a Dockerfile's `COPY`/`ADD` instructions copy (not `--from` a stage or
 * image, not URLs, not heredocs).
 *
 * Read with dockerfile-ast (the parser of the Dockerfile language server): it knows where an
 * instruction ends as BuildKit does — `# escape=` directives, continuation lines with comments
 * between them, heredoc bodies that merely look like instructions. Two of its answers are not
 * used, as 0.7.1 gets them wrong: its JSON strings drop the spaces inside them
 * (`["a b.txt", "/d/"]` reads `ab.txt`), so the JSON form is parsed from the arguments' text;
 * and its arguments run on into heredoc bodies, so they stop at the line that opens the heredoc.
 */
export function dockerfileSources(content: string): string[] {
  const sources: string[] = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const copy = instruction as ModifiableInstruction;
    if (copy.getFlags().some((f) => f.getName() === 'from')) continue;
    const args = jsonForm(copy) ?? shellForm(copy);
    // All but the last argument (the destination); heredocs and URLs come from nowhere in the context.
    for (const a of args.slice(0, -1)) if (!/^<<|^[a-z]+:\/\//.test(a)) sources.push(a);
  }
  return sources;
}

/** `COPY ["src", …, "dest"]`: its strings, or null when the arguments are not a JSON array (BuildKit then reads them as words). */
function jsonForm(copy: ModifiableInstruction): string[] | null {
  const text = copy.getArgumentsContent()?.trim() ?? '';
  if (!text.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** The words of `COPY src… dest`, up to the line that opens a heredoc (its body is not arguments). */
function shellForm(copy: ModifiableInstruction): string[] {
  const args = copy.getArguments();
  const opener = args.find((a) => a.getValue().startsWith('<<'));
  const last = opener ? opener.getRange().start.line : Number.POSITIVE_INFINITY;
  return args.filter((a) => a.getRange().start.line <= last).map((a) => a.getValue());
}
