// Parses a fence's meta string (what follows the language: ```dockerfile title="Dockerfile").
// The syntax is Expressive Code's: `key="value"`, `key='value'`, `key=value`, bare `key`,
// plus marker tokens (`{1,3}`, `"text"`, `/regex/`) that carry no key and are ignored here.

export interface MetaEntry {
  key: string;
  /** `true` for a bare flag such as `verify-background`. */
  value: string | true;
}

export class MetaSyntaxError extends Error {}

const TOKEN =
  /\s*(?:([A-Za-z][\w-]*)(?:=(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+)))?|\{[^}]*\}|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/(?:[^/\\]|\\.)*\/)/y;

export function parseFenceMeta(meta: string): MetaEntry[] {
  const entries: MetaEntry[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < meta.length) {
    if (/^\s*$/.test(meta.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(meta);
    if (!m || m[0].length === 0) {
      throw new MetaSyntaxError(`cannot read fence meta near \`${meta.slice(pos).trim()}\``);
    }
    pos = TOKEN.lastIndex;
    if (m[1] === undefined) continue;
    const raw = m[2] ?? m[3] ?? m[4];
    entries.push({ key: m[1], value: raw === undefined ? true : raw.replace(/\\(.)/g, '$1') });
  }
  return entries;
}
