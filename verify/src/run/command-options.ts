// How `docker` and `docker compose` command lines split into options (with their values) and
// positionals, given which options take a value. Pure.

/** Splits options from positionals; `all` keeps every value of a repeated option. */
export function options(args: string[], valueOpts: Set<string>, stopAtFirstPositional = false) {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const all = new Map<string, string[]>();
  const set = (k: string, v: string) => {
    values.set(k, v);
    all.set(k, [...(all.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (stopAtFirstPositional && positionals.length > 0) {
      positionals.push(a);
      continue;
    }
    if (a.startsWith('--') && a.includes('=')) set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else if (valueOpts.has(a) && i + 1 < args.length) set(a, args[++i]!);
    else if (/^-[a-zA-Z]$/.test(a.slice(0, 2)) && valueOpts.has(a.slice(0, 2)) && a.length > 2) set(a.slice(0, 2), a.slice(2));
    else if (!a.startsWith('-') || a === '-') positionals.push(a);
  }
  return { positionals, values, all };
}

/** The arguments after the leading options (and their values). */
export function skipOptions(args: string[], valueOpts: Set<string>): string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += valueOpts.has(args[i]!) ? 2 : 1;
  return args.slice(i);
}
