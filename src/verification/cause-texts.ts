import { PluginTexts } from '@expressive-code/core';
import type { Cause, Note } from '../../verify/src/index.ts';

// Why a block got its verdict, in the page's language: the words the badges' tooltips and the
// status page give the harness's causes and notes (verify/src/model/cause.ts). The harness
// records only data; these are the site's words for it, as Expressive Code plugin texts (one
// full set per locale), with `{name}` placeholders and `_one`/`_other` plural forms chosen by
// Intl.PluralRules. A cause the site has no words for is a type error here, and, should one
// reach the site from a snapshot anyway, it fails the build with its name.

const en = {
  'author-skip': '{text}',
  'display.annotated': 'Marked to be shown, not run',
  'display.looksLike': 'Looks like a {format} file, but the page gives it no file name, so it is not written',
  'display.plain': 'A {lang} snippet with no file name: shown, not run',
  'shown-output': 'Output shown without the command that prints it',
  written: 'Written to {path}',
  'checked-by': 'Checked by line {line}: {command}',
  'written-only.unused': 'Written to {path}; no step of the page uses it',
  'written-only.overwritten': 'Overwritten by line {line} before any step used it',
  'written-only.replaced': 'Replaced by line {line} before any step used it',
  'output-differs': 'The output differs from the documented output',
  'exit-status.success': 'Exited with status {actual}, and the page documents no error',
  'exit-status.failure': 'Expected to fail, but exited 0',
  'exit-status.code': 'Expected to exit with status {expected}, but exited {actual}',
  timeout: 'Still running after {seconds} s, and stopped with Ctrl-C',
  'session-closed': 'Not typed: the interactive session ({prompt}) it belongs to is not open',
  'use-failed.at': '{command} (line {line}) failed at {where}',
  'use-failed.failed': 'Line {line}, which uses this file, failed: {command}',
  'use-failed.error': 'Line {line}, which uses this file, could not be judged: {command}',
  unreadable: 'The block cannot be read as commands or as a file',
  'no-block': 'No code block at that line',
  'shell-exited': "The lab's shell exited unexpectedly",
  'write-failed': 'Could not be written to {path} in the lab',
  'not-run': 'Not run: the verification stopped before it',
  'engine-stopped': 'The Docker engine stopped answering',
  'lab-died.oom': "The lab's Docker engine was killed at its {memoryGiB} GiB memory limit",
  'lab-died.other': 'The lab stopped (exit code {exitCode})',
  'not-updated': 'The page could not be updated',
  'infrastructure.rate-limit': 'Not the page: the image registry refused or rate-limited the download',
  'infrastructure.network': 'Not the page: the network failed',
  'infrastructure.disk': 'Not the page: the disk was full',
  'infrastructure.engine': 'Not the page: the Docker engine failed',
  'lab-limits.oom_one': "{count} process was killed at the lab's {memoryGiB} GiB memory limit",
  'lab-limits.oom_other': "{count} processes were killed at the lab's {memoryGiB} GiB memory limit",
  'lab-limits.pids_one': 'The lab reached its limit of {pids} processes: {count} fork was refused',
  'lab-limits.pids_other': 'The lab reached its limit of {pids} processes: {count} forks were refused',
  'missing-image': 'No registry answered for {image}, and there is no stand-in image for it',
  'left-by-earlier-lesson': 'On the reader’s path, “{name}” was left by an earlier lesson ({file}:{line})',
};
export type CauseTextKey = keyof typeof en;

export const causeTexts = new PluginTexts<Record<CauseTextKey, string>>(en);
causeTexts.addLocale('es', {
  'author-skip': '{text}',
  'display.annotated': 'Marcado para mostrarse sin ejecutarse',
  'display.looksLike': 'Parece un archivo {format}, pero la página no le da nombre de archivo, así que no se crea',
  'display.plain': 'Un fragmento de {lang} sin nombre de archivo: se muestra, no se ejecuta',
  'shown-output': 'Salida mostrada sin el comando que la imprime',
  written: 'Guardado en {path}',
  'checked-by': 'Comprobado por la línea {line}: {command}',
  'written-only.unused': 'Guardado en {path}; ningún paso de la página lo usa',
  'written-only.overwritten': 'Sobrescrito por la línea {line} antes de que ningún paso lo usara',
  'written-only.replaced': 'Reemplazado por la línea {line} antes de que ningún paso lo usara',
  'output-differs': 'La salida no coincide con la documentada',
  'exit-status.success': 'Terminó con código de salida {actual}, y la página no documenta ningún error',
  'exit-status.failure': 'Debía fallar, pero terminó con código 0',
  'exit-status.code': 'Debía terminar con código {expected}, pero terminó con código {actual}',
  timeout: 'Seguía en marcha tras {seconds} s y se detuvo con Ctrl+C',
  'session-closed': 'No se tecleó: la sesión interactiva ({prompt}) a la que pertenece no está abierta',
  'use-failed.at': '{command} (línea {line}) falló en {where}',
  'use-failed.failed': 'Falló la línea {line}, que usa este archivo: {command}',
  'use-failed.error': 'No se pudo verificar la línea {line}, que usa este archivo: {command}',
  unreadable: 'El bloque no se puede leer como comandos ni como archivo',
  'no-block': 'No hay ningún bloque de código en esa línea',
  'shell-exited': 'La shell del laboratorio terminó de forma inesperada',
  'write-failed': 'No se pudo escribir en {path} dentro del laboratorio',
  'not-run': 'No se ejecutó: la verificación se detuvo antes',
  'engine-stopped': 'El motor Docker dejó de responder',
  'lab-died.oom': 'El kernel mató el motor Docker del laboratorio al llegar a su límite de memoria de {memoryGiB} GiB',
  'lab-died.other': 'El laboratorio se detuvo (código de salida {exitCode})',
  'not-updated': 'No se pudo actualizar la página',
  'infrastructure.rate-limit': 'No es culpa de la página: el registro de imágenes rechazó la descarga o aplicó su límite de descargas',
  'infrastructure.network': 'No es culpa de la página: falló la red',
  'infrastructure.disk': 'No es culpa de la página: el disco estaba lleno',
  'infrastructure.engine': 'No es culpa de la página: falló el motor Docker',
  'lab-limits.oom_one': 'El kernel mató {count} proceso al llegar el laboratorio a su límite de memoria ({memoryGiB} GiB)',
  'lab-limits.oom_other': 'El kernel mató {count} procesos al llegar el laboratorio a su límite de memoria ({memoryGiB} GiB)',
  'lab-limits.pids_one': 'El laboratorio llegó a su límite de {pids} procesos: no se pudo crear {count} proceso más',
  'lab-limits.pids_other': 'El laboratorio llegó a su límite de {pids} procesos: no se pudieron crear {count} procesos más',
  'missing-image': 'Ningún registro respondió al pedir {image}, y no tiene imagen sustituta',
  'left-by-earlier-lesson': 'Siguiendo el curso en orden, «{name}» lo dejó una lección anterior ({file}:{line})',
});

type Values = Record<string, string | number | null>;

/** A text of `locale` with its placeholders filled. Pure. */
function say(locale: string, key: CauseTextKey, values: Values = {}): string {
  const template = causeTexts.get(locale)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name] ?? '?') : whole));
}

/** A counted text: `key_one` or `key_other`, as the locale's plural rules choose for `count`. */
function sayCount(locale: string, key: 'lab-limits.oom' | 'lab-limits.pids', count: number, values: Values): string {
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return say(locale, `${key}_${form}`, { ...values, count });
}

/** The file a note points at, as the reader knows it: the page's file name. */
const fileName = (file: string) => file.split('/').pop() ?? file;
const first = (command: string) => command.split('\n')[0]! + (command.includes('\n') ? ' …' : '');

/** Thrown when the site meets a cause or note it has no words for. */
export class MissingWordsError extends Error {}

function noWords(kind: never): never {
  throw new MissingWordsError(
    `the site has no words for the verification cause or note "${String((kind as { kind?: string })?.kind ?? kind)}" (src/verification/cause-texts.ts)`,
  );
}

/** Why a block got its verdict, in `locale`. Pure. */
export function causeText(cause: Cause, locale: string): string {
  switch (cause.kind) {
    case 'author-skip':
      return cause.text;
    case 'display':
      if (cause.annotated) return say(locale, 'display.annotated');
      return cause.looksLike
        ? say(locale, 'display.looksLike', { format: cause.looksLike })
        : say(locale, 'display.plain', { lang: cause.lang || 'text' });
    case 'shown-output':
      return say(locale, 'shown-output');
    case 'written':
      return say(locale, 'written', { path: cause.path });
    case 'checked-by':
      return say(locale, 'checked-by', { line: cause.line, command: first(cause.command) });
    case 'written-only':
      return say(locale, `written-only.${cause.why}`, { path: cause.path, line: cause.line });
    case 'output-differs':
      return say(locale, 'output-differs');
    case 'exit-status':
      if (cause.expected === 'success') return say(locale, 'exit-status.success', { actual: cause.actual });
      if (cause.expected === 'failure') return say(locale, 'exit-status.failure');
      return say(locale, 'exit-status.code', { expected: cause.expected, actual: cause.actual });
    case 'timeout':
      return say(locale, 'timeout', { seconds: cause.seconds });
    case 'session-closed':
      return say(locale, 'session-closed', { prompt: cause.prompt });
    case 'use-failed':
      if (cause.at) return say(locale, 'use-failed.at', { command: first(cause.command), line: cause.line, where: cause.at.where });
      return say(locale, `use-failed.${cause.judged}`, { line: cause.line, command: first(cause.command) });
    case 'unreadable':
    case 'no-block':
    case 'shell-exited':
    case 'not-run':
    case 'engine-stopped':
    case 'not-updated':
      return say(locale, cause.kind);
    case 'infrastructure':
      return say(locale, `infrastructure.${cause.fault}`);
    case 'write-failed':
      return say(locale, 'write-failed', { path: cause.path });
    case 'lab-died':
      return cause.oomKilled
        ? say(locale, 'lab-died.oom', { memoryGiB: cause.memoryGiB })
        : say(locale, 'lab-died.other', { exitCode: cause.exitCode });
    default:
      return noWords(cause);
  }
}

/** A further fact about a verdict, in `locale`. Pure. */
export function noteText(note: Note, locale: string): string {
  switch (note.kind) {
    case 'lab-limits': {
      const said: string[] = [];
      if (note.oomKills > 0) said.push(sayCount(locale, 'lab-limits.oom', note.oomKills, { memoryGiB: note.memoryGiB }));
      if (note.forkRefusals > 0) said.push(sayCount(locale, 'lab-limits.pids', note.forkRefusals, { pids: note.pids }));
      return oneSentence(said, locale);
    }
    case 'lab-died':
      return note.oomKilled
        ? say(locale, 'lab-died.oom', { memoryGiB: note.memoryGiB })
        : say(locale, 'lab-died.other', { exitCode: note.exitCode });
    case 'missing-image':
      return say(locale, 'missing-image', { image: note.image });
    case 'left-by-earlier-lesson':
      return say(locale, 'left-by-earlier-lesson', { name: note.name, file: fileName(note.file), line: note.line });
    default:
      return noWords(note);
  }
}

/** A verdict's cause and notes in one line, in `locale` ('' when there is nothing to say). Pure. */
export function verdictText(v: { cause: Cause | null; notes: readonly Note[] }, locale: string): string {
  return oneSentence([...(v.cause ? [causeText(v.cause, locale)] : []), ...v.notes.map((n) => noteText(n, locale))], locale);
}

/** Texts joined into one sentence: what follows a semicolon starts in lower case. */
function oneSentence(parts: readonly string[], locale: string): string {
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toLocaleLowerCase(locale) + p.slice(1))).join('; ');
}
