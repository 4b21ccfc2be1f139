import { normalizeLine } from '../normalize/text.ts';

// A documented output line compiled into what it accepts. Redactions follow snapbox: `[..]`
// is any text within a line, a line `...` is any number of lines. On top of those, values
// that change on every run (IDs, digests, relative times, dates, sizes) match any value of
// their kind, and IDs are captured so they can be bound to the real ones.

export type LinePattern = { kind: 'elision'; source: string } | { kind: 'line'; source: string; regex: RegExp; ids: string[] };

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';

/** Values that match any value of the same kind. Order matters: the first that fits wins. */
export const VOLATILE: { kind: string; source: string }[] = [
  { kind: 'digest', source: 'sha256:[0-9a-f]{64}' },
  { kind: 'id64', source: '(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])' },
  { kind: 'id12', source: '(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])' },
  {
    kind: 'date',
    source:
      `${DAY} ${MONTH} \\d{1,2} \\d{2}:\\d{2}:\\d{2}(?: [A-Z]{2,5})? \\d{4}` +
      `|\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?` +
      `|${MONTH} \\d{1,2} (?:\\d{2}:\\d{2}|\\d{4})`,
  },
  {
    kind: 'relative-time',
    source: '(?:(?:About|Less than) )?(?:an?|\\d+) (?:second|minute|hour|day|week|month|year)s?(?: ago)?',
  },
  { kind: 'size', source: '\\d+(?:\\.\\d+)? ?(?:[kKMGT]i?)?B(?![A-Za-z])' },
];

const ID_KINDS = new Set(['digest', 'id64', 'id12']);
const TOKEN = new RegExp(`(\\[\\.\\.\\])|${VOLATILE.map((v) => `(${v.source})`).join('|')}`, 'g');

/** The course's own elision remarks, e.g. `----> SALIDA OMITIDA PARA MAYOR CLARIDAD <---`. */
const ELISION_REMARK = /^-+>.*<-+$/;

export function isElision(line: string): boolean {
  const t = line.trim();
  return t === '...' || ELISION_REMARK.test(t);
}

export function compileLine(line: string): LinePattern {
  if (isElision(line)) return { kind: 'elision', source: line };
  const text = normalizeLine(line);
  let regex = '';
  const ids: string[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    regex += RegExp.escape(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      regex += '.*?';
      continue;
    }
    const which = m.slice(2).findIndex((g) => g !== undefined);
    const kind = VOLATILE[which]!.kind;
    if (ID_KINDS.has(kind)) {
      const hex = m[0].replace(/^sha256:/, '');
      regex += kind === 'digest' ? 'sha256:' : '';
      regex += `([0-9a-f]{${hex.length}})`;
      ids.push(hex);
    } else if (kind === 'size') {
      regex += sizeOfTheSameForm(m[0]);
    } else {
      regex += `(?:${VOLATILE[which]!.source})`;
    }
  }
  regex += RegExp.escape(text.slice(last));
  return { kind: 'line', source: line, regex: new RegExp(`^${regex}$`), ids };
}

/**
 * A size matches sizes written the same way, not any size: `189MB` (Docker today) matches
 * `4.26GB` but not `189.2 MB` (Docker before 2017: a space before the unit). The number and the
 * prefix vary as an image grows (Docker rounds to a few significant digits, so `10MB` may come
 * out as `9.98MB`); the space and a binary `i` (`MiB`) are the form, and must be the same.
 */
function sizeOfTheSameForm(documented: string): string {
  const [, space, binary] = /^[\d.]+( ?)[kKMGT]?(i?)B$/.exec(documented)!;
  const unit = binary ? '(?:[KMGT]iB|B)' : '(?:[kKMGT]?B)';
  return `(?:\\d+(?:\\.\\d+)?${space}${unit})`;
}

export function compile(lines: string[]): LinePattern[] {
  return lines.map(compileLine);
}
