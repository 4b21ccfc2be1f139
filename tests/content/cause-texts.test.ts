// Why a block got its verdict, in the page's language: every cause and note the harness records
// has words in Spanish and in English, the Spanish ones hold no English, plurals follow the
// count, and a kind the site has no words for fails loudly, by name.
import { describe, expect, it } from 'vitest';
import { causeText, causeTexts, MissingWordsError, noteText, verdictText } from '../../src/verification/cause-texts.ts';
import { CAUSE_KINDS, NOTE_KINDS, type Cause, type Note } from '../../verify/src/index.ts';

const LOCALES = ['es', 'en'] as const;

/** Every cause kind, each of its variants once (the texts it can take). */
const CAUSES: Cause[] = [
  { kind: 'author-skip', text: 'necesita Docker Hub' },
  { kind: 'display', annotated: true, lang: 'php', looksLike: null },
  { kind: 'display', annotated: false, lang: 'bash', looksLike: 'compose' },
  { kind: 'display', annotated: false, lang: 'php', looksLike: null },
  { kind: 'display', annotated: false, lang: '', looksLike: null },
  { kind: 'shown-output', annotated: false },
  { kind: 'written', path: '/home/lector/curso/app.py' },
  { kind: 'checked-by', line: 16, command: 'docker compose up' },
  { kind: 'written-only', path: '/home/lector/curso/notas.txt', why: 'unused', line: null },
  { kind: 'written-only', path: '/home/lector/curso/notas.txt', why: 'overwritten', line: 9 },
  { kind: 'written-only', path: '/home/lector/curso/notas.txt', why: 'replaced', line: 9 },
  { kind: 'output-differs' },
  { kind: 'exit-status', expected: 'success', actual: 2 },
  { kind: 'exit-status', expected: 'failure', actual: 0 },
  { kind: 'exit-status', expected: 2, actual: 1 },
  { kind: 'timeout', seconds: 60 },
  { kind: 'session-closed', prompt: '>>>' },
  {
    kind: 'use-failed',
    line: 14,
    command: 'docker build -t roto .',
    judged: 'failed',
    at: { line: 7, where: 'Dockerfile:2', error: 'ERROR: failed to build' },
  },
  { kind: 'use-failed', line: 14, command: 'docker build -t roto .', judged: 'failed', at: null },
  { kind: 'use-failed', line: 14, command: 'docker build -t roto .', judged: 'error', at: null },
  { kind: 'unreadable', problem: 'p.md:3: unknown annotation `verify-bogus`' },
  { kind: 'no-block' },
  { kind: 'shell-exited' },
  { kind: 'write-failed', path: '/home/lector/curso/Dockerfile', message: 'no space left on device' },
  { kind: 'not-run', fatal: 'the Docker engine stopped answering' },
  { kind: 'engine-stopped' },
  { kind: 'lab-died', oomKilled: true, exitCode: 137, memoryGiB: 6 },
  { kind: 'lab-died', oomKilled: false, exitCode: 1, memoryGiB: 6 },
  { kind: 'not-updated', message: 'p.md changed while it was being verified' },
  { kind: 'infrastructure', fault: 'rate-limit', evidence: 'toomanyrequests' },
  { kind: 'infrastructure', fault: 'network', evidence: 'dial tcp: i/o timeout' },
  { kind: 'infrastructure', fault: 'disk', evidence: 'no space left on device' },
  { kind: 'infrastructure', fault: 'engine', evidence: 'Cannot connect to the Docker daemon' },
];

/** Every note kind, each of its variants once. */
const NOTES: Note[] = [
  { kind: 'lab-limits', oomKills: 1, forkRefusals: 0, memoryGiB: 6, pids: 4096, since: null },
  { kind: 'lab-limits', oomKills: 0, forkRefusals: 2, memoryGiB: 6, pids: 4096, since: 5 },
  { kind: 'lab-limits', oomKills: 2, forkRefusals: 1, memoryGiB: 6, pids: 4096, since: 5 },
  { kind: 'lab-died', oomKilled: true, exitCode: 137, memoryGiB: 6, since: null },
  { kind: 'lab-died', oomKilled: false, exitCode: null, memoryGiB: 6, since: 12 },
  { kind: 'missing-image', image: 'nginx:1.27', standIns: ['busybox:latest'] },
  { kind: 'left-by-earlier-lesson', name: 'servidor', file: 'content/run-avanzado.md', line: 2 },
];

/**
 * The fixed parts of the English texts: the text between `{placeholders}`, at least two words
 * long (a single word such as "Docker" or "fork" is shared by both languages).
 */
function englishPhrases(): string[] {
  const out: string[] = [];
  for (const template of Object.values(causeTexts.get('en'))) {
    for (const part of template.split(/\{\w+\}/)) {
      const p = part.replace(/^[\s:;,.()’'“”]+|[\s:;,.()’'“”]+$/g, '');
      if (p.split(/\s+/).length >= 2) out.push(p.toLowerCase());
    }
  }
  return out;
}

describe('cause and note texts', () => {
  it('the samples here cover every kind the harness records', () => {
    expect([...new Set(CAUSES.map((c) => c.kind))].sort()).toEqual([...CAUSE_KINDS].sort());
    expect([...new Set(NOTES.map((n) => n.kind))].sort()).toEqual([...NOTE_KINDS].sort());
  });

  it.each(LOCALES)('gives every cause and note words in %s, with every placeholder filled', (locale) => {
    for (const c of CAUSES) {
      const text = causeText(c, locale);
      expect(text.trim(), `${locale} ${JSON.stringify(c)}`).not.toBe('');
      expect(text, `${locale} ${JSON.stringify(c)}`).not.toMatch(/\{\w+\}|undefined|\[object/);
    }
    for (const n of NOTES) {
      const text = noteText(n, locale);
      expect(text.trim(), `${locale} ${JSON.stringify(n)}`).not.toBe('');
      expect(text, `${locale} ${JSON.stringify(n)}`).not.toMatch(/\{\w+\}|undefined|\[object/);
    }
  });

  it("has a Spanish text of its own for every English one (the author's own skip words aside)", () => {
    const en = causeTexts.get('en');
    const es = causeTexts.get('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      if (key === 'author-skip') continue;
      expect(es[key], key).not.toBe(en[key]);
    }
  });

  it('puts no English phrase in a Spanish text', () => {
    const phrases = englishPhrases();
    expect(phrases.length).toBeGreaterThan(20);
    const spanish = [
      ...CAUSES.filter((c) => c.kind !== 'author-skip').map((c) => causeText(c, 'es')),
      ...NOTES.map((n) => noteText(n, 'es')),
    ];
    for (const text of spanish) {
      const found = phrases.filter((p) => text.toLowerCase().includes(p));
      expect(found, text).toEqual([]);
    }
    // And, the other way round, the English texts are not the Spanish ones.
    for (const c of CAUSES.filter((x) => x.kind !== 'author-skip')) expect(causeText(c, 'en')).not.toBe(causeText(c, 'es'));
    for (const n of NOTES) expect(noteText(n, 'en')).not.toBe(noteText(n, 'es'));
  });

  it('words the same data in each language', () => {
    const cause: Cause = { kind: 'checked-by', line: 16, command: 'docker compose up\n--wait' };
    expect(causeText(cause, 'en')).toBe('Checked by line 16: docker compose up …');
    expect(causeText(cause, 'es')).toBe('Comprobado por la línea 16: docker compose up …');
    const earlier: Note = { kind: 'left-by-earlier-lesson', name: 'servidor', file: 'content/run-avanzado.md', line: 2 };
    expect(noteText(earlier, 'es')).toBe('Siguiendo el curso en orden, «servidor» lo dejó una lección anterior (run-avanzado.md:2)');
    expect(causeText({ kind: 'author-skip', text: 'necesita Docker Hub' }, 'en')).toBe('necesita Docker Hub');
    // A locale with no texts of its own falls back to English.
    expect(causeText({ kind: 'output-differs' }, 'fr')).toBe(causeText({ kind: 'output-differs' }, 'en'));
  });

  it("counts one or more killed processes and refused forks in each language's plural", () => {
    const limits = (oomKills: number, forkRefusals: number): Note => ({
      kind: 'lab-limits',
      oomKills,
      forkRefusals,
      memoryGiB: 6,
      pids: 4096,
      since: null,
    });
    expect(noteText(limits(1, 0), 'en')).toBe("1 process was killed at the lab's 6 GiB memory limit");
    expect(noteText(limits(2, 0), 'en')).toBe("2 processes were killed at the lab's 6 GiB memory limit");
    expect(noteText(limits(1, 0), 'es')).toBe('El kernel mató 1 proceso al llegar el laboratorio a su límite de memoria (6 GiB)');
    expect(noteText(limits(2, 0), 'es')).toBe('El kernel mató 2 procesos al llegar el laboratorio a su límite de memoria (6 GiB)');
    expect(noteText(limits(0, 1), 'en')).toBe('The lab reached its limit of 4096 processes: 1 fork was refused');
    expect(noteText(limits(0, 3), 'es')).toBe('El laboratorio llegó a su límite de 4096 procesos: no se pudieron crear 3 procesos más');
    expect(noteText(limits(2, 1), 'en')).toBe(
      "2 processes were killed at the lab's 6 GiB memory limit; the lab reached its limit of 4096 processes: 1 fork was refused",
    );
  });

  it('joins a cause and its notes in one line, and says nothing when there is neither', () => {
    expect(verdictText({ cause: null, notes: [] }, 'es')).toBe('');
    expect(verdictText({ cause: { kind: 'output-differs' }, notes: [NOTES[5]!] }, 'es')).toBe(
      'La salida no coincide con la documentada; ningún registro respondió al pedir nginx:1.27, y no tiene imagen sustituta',
    );
  });

  it('refuses a kind it has no words for, naming it', () => {
    const bogusCause = { kind: 'bogus-cause' } as unknown as Cause;
    const bogusNote = { kind: 'bogus-note' } as unknown as Note;
    for (const locale of LOCALES) {
      expect(() => causeText(bogusCause, locale)).toThrow(MissingWordsError);
      expect(() => causeText(bogusCause, locale)).toThrow(/"bogus-cause"/);
      expect(() => noteText(bogusNote, locale)).toThrow(MissingWordsError);
      expect(() => noteText(bogusNote, locale)).toThrow(/"bogus-note"/);
      expect(() => verdictText({ cause: null, notes: [bogusNote] }, locale)).toThrow(/"bogus-note"/);
    }
  });
});
