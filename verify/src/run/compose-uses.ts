import posix from 'node:path/posix';
import yaml from 'js-yaml';
import { buildUses } from './build-uses.ts';
import { options } from './command-options.ts';
import { resolvePath } from './shell-words.ts';
import type { Marks, WrittenFile } from './uses.ts';

// What `docker compose` uses: its Compose files (named with `-f`, or the default names in the
// project directory), the `.env` beside them, and what they refer to: build contexts with
// their Dockerfile (when the command builds), bind-mounted sources, env files. Pure.

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const COMPOSE_OVERRIDES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];
/** Options of `docker compose` (before the subcommand) that take a value. */
const COMPOSE_VALUE_OPTS = new Set([
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--project-directory',
  '--env-file',
  '--profile',
  '--ansi',
  '--progress',
  '--parallel',
]);

/** Marks the files a `docker compose …` command (its arguments after `compose`) uses. */
export function composeUses(args: string[], dir: string, files: readonly WrittenFile[], m: Marks): void {
  const { positionals, values, all } = options(args, COMPOSE_VALUE_OPTS, true);
  const sub = positionals[0];
  if (sub === undefined || sub === 'version' || sub === 'ls') return;
  const projectDir = resolvePath(dir, values.get('--project-directory') ?? '.');
  const named = [...(all.get('-f') ?? []), ...(all.get('--file') ?? [])].map((f) => resolvePath(dir, f));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const composeFiles =
    named.length > 0
      ? named
      : [
          COMPOSE_FILES.map((n) => posix.join(projectDir, n)).find((p) => byPath.has(p)),
          COMPOSE_OVERRIDES.map((n) => posix.join(projectDir, n)).find((p) => byPath.has(p)),
        ].filter((p): p is string => p !== undefined);
  m.within(posix.join(projectDir, '.env'));
  for (const file of composeFiles) {
    m.exactly(file);
    const written = byPath.get(file);
    if (!written) continue;
    const base = posix.dirname(file);
    const builds = sub === 'up' || sub === 'build' || sub === 'run' || sub === 'create';
    const refs = composeReferences(written.content, builds);
    for (const b of refs.builds) {
      const context = resolvePath(base, b.context);
      buildUses(context, resolvePath(context, b.dockerfile ?? 'Dockerfile'), files, m);
    }
    for (const ref of refs.paths) m.within(resolvePath(base, ref));
  }
}

/**
 * What a Compose file refers to on the host: build contexts with their Dockerfile (when the
 * command builds), bind-mounted sources, `env_file:` entries and top-level `configs`/`secrets`
 * files, in the order the file gives them. Read with a YAML parser; a file that does not parse
 * refers to nothing (`docker compose` itself will say what is wrong with it).
 */
export function composeReferences(
  text: string,
  builds: boolean,
): { builds: { context: string; dockerfile: string | null }[]; paths: string[] } {
  const out = { builds: [] as { context: string; dockerfile: string | null }[], paths: [] as string[] };
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch {
    return out;
  }
  if (!isMap(doc)) return out;
  for (const service of Object.values(isMap(doc.services) ? doc.services : {})) {
    if (!isMap(service)) continue;
    for (const [key, value] of Object.entries(service)) {
      if (key === 'build' && builds) {
        if (typeof value === 'string') out.builds.push({ context: value, dockerfile: null });
        else if (isMap(value)) out.builds.push({ context: str(value.context) ?? '.', dockerfile: str(value.dockerfile) });
      } else if (key === 'env_file') {
        for (const entry of Array.isArray(value) ? value : [value]) {
          const file = typeof entry === 'string' ? entry : isMap(entry) ? str(entry.path) : null;
          if (file) out.paths.push(file);
        }
      } else if (key === 'volumes' && Array.isArray(value)) {
        for (const v of value) {
          const source = typeof v === 'string' ? v.split(':')[0]! : isMap(v) && v.type === 'bind' ? str(v.source) : null;
          // A bind mount's source is a path (`./data`, `/srv`, `~/x`); a bare name is a named volume.
          if (source && /^(?:\.{1,2}|~)?\//.test(`${source}/`)) out.paths.push(source);
        }
      }
    }
  }
  for (const section of [doc.configs, doc.secrets]) {
    for (const entry of Object.values(isMap(section) ? section : {})) {
      const file = isMap(entry) ? str(entry.file) : null;
      if (file) out.paths.push(file);
    }
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
