import posix from 'node:path/posix';
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
const COMPOSE_VALUE_OPTS = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--progress', '--parallel']);

/** Marks the files a `docker compose …` command (its arguments after `compose`) uses. */
export function composeUses(args: string[], dir: string, files: readonly WrittenFile[], m: Marks): void {
  const { positionals, values, all } = options(args, COMPOSE_VALUE_OPTS, true);
  const sub = positionals[0];
  if (sub === undefined || sub === 'version' || sub === 'ls') return;
  const projectDir = resolvePath(dir, values.get('--project-directory') ?? '.');
  const named = [...(all.get('-f') ?? []), ...(all.get('--file') ?? [])].map((f) => resolvePath(dir, f));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const composeFiles = named.length > 0
    ? named
    : [COMPOSE_FILES.map((n) => posix.join(projectDir, n)).find((p) => byPath.has(p)), COMPOSE_OVERRIDES.map((n) => posix.join(projectDir, n)).find((p) => byPath.has(p))].filter((p): p is string => p !== undefined);
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
 * command builds), bind-mounted sources, `env_file:` and `file:` entries. A light reading of
 * the YAML, enough for a lesson's Compose file.
 */
export function composeReferences(yaml: string, builds: boolean): { builds: { context: string; dockerfile: string | null }[]; paths: string[] } {
  const out = { builds: [] as { context: string; dockerfile: string | null }[], paths: [] as string[] };
  const unquote = (s: string) => s.trim().replace(/^["']|["']$/g, '');
  const lines = yaml.split('\n');
  lines.forEach((line, i) => {
    let m: RegExpExecArray | null;
    if ((m = /^(\s*)build:\s*(\S.*)?$/.exec(line))) {
      if (!builds) return;
      const inline = m[2] && !m[2].startsWith('#') ? unquote(m[2]) : null;
      if (inline !== null) {
        out.builds.push({ context: inline, dockerfile: null });
        return;
      }
      // `build:` with a mapping below it: its `context:` (default: the Compose file's folder) and `dockerfile:`.
      const indent = m[1]!.length;
      const below: string[] = [];
      for (const l of lines.slice(i + 1)) {
        if (l.trim() !== '' && /^\s*/.exec(l)![0].length <= indent) break;
        below.push(l);
      }
      const field = (k: string) => below.map((l) => new RegExp(`^\\s*${k}:\\s*(\\S+)`).exec(l)?.[1]).find((v) => v !== undefined);
      const context = field('context');
      const dockerfile = field('dockerfile');
      out.builds.push({ context: context ? unquote(context) : '.', dockerfile: dockerfile ? unquote(dockerfile) : null });
    } else if ((m = /^\s*-\s*["']?((?:\.{1,2}|~)?\/[^:"'\s]*|\.{1,2}):/.exec(line))) {
      out.paths.push(m[1]!);
    } else if ((m = /^\s*(?:source|file|env_file):\s*["']?(\.{1,2}\/[^"'\s]*|[\w.-]+\.(?:env|conf|json|ya?ml|txt|ini))["']?\s*$/.exec(line))) {
      out.paths.push(m[1]!);
    } else if ((m = /^\s*-\s*["']?(\.{1,2}\/[^"'\s:]*|[\w.-]*\.env)["']?\s*$/.exec(line)) && /env_file:\s*$/.test(lines[i - 1] ?? '')) {
      out.paths.push(m[1]!);
    }
  });
  return out;
}
