import type { Lang } from './anchors.ts';
import type { Category } from './status-rows.ts';

// The words of the status page (/estado/, /en/status/). The status of each block is said with
// its badge's own text (verification-badge.ts), so the page and the lessons never disagree.

export interface StatusTexts {
  title: string;
  description: string;
  intro: string;
  updated: string;
  engine: string;
  nothingYet: string;
  standInsHeading: string;
  standInsIntro: string;
  summaryHeading: string;
  summaryCaption: string;
  lesson: string;
  total: string;
  wholeCourse: string;
  categories: Record<Category, string>;
  stale: (n: number) => string;
  blocksOf: (title: string) => string;
  line: string;
  block: string;
  status: string;
  verifiedAt: string;
  /** Before the reader's Docker version, under the date. */
  docker: string;
  standIns: string;
  none: string;
  no: string;
  hidden: string;
  blockCount: (n: number) => string;
  /** Column of the summary: the Docker versions a lesson was verified on. */
  engines: string;
  held: string;
  notHeld: string;
  /** The reader's path: what it is, its column, and a lesson's result on it. */
  pathIntro: string;
  pathColumn: string;
  pathOf: (hold: { held: boolean; blocks: number; notHeld: number }) => string;
  pathRow: Record<'passed' | 'failed' | 'error' | 'skipped', string>;
}

export const statusTexts: Record<Lang, StatusTexts> = {
  es: {
    title: 'Estado de los ejemplos',
    description: 'Qué se comprobó de cada ejemplo del curso, cuándo y con qué versión de Docker.',
    intro:
      'Cada bloque de código del curso se ejecuta como lo haría un lector, en un motor Docker real, y se guarda lo que pasó. Esta página muestra el último resultado de cada bloque: el mismo que dice la nota bajo cada ejemplo, que enlaza aquí.',
    updated: 'Última verificación registrada:',
    engine: 'Docker del lector:',
    nothingYet:
      'Todavía no se ha verificado nada: no hay registro de verificación (content/verification.json). Todos los ejemplos aparecen como «Aún sin verificar».',
    standInsHeading: 'Imágenes sustitutas',
    standInsIntro:
      'Sin acceso a un registro de imágenes, estas imágenes se construyeron con paquetes de Debian: el mismo programa que la imagen oficial, con las diferencias que anota cada receta. La columna «Imágenes sustitutas» dice cuáles usó la página de cada bloque.',
    summaryHeading: 'Resumen por lección',
    summaryCaption: 'Bloques de cada lección y de todo el curso, según lo que dice su nota',
    lesson: 'Lección',
    total: 'Total',
    wholeCourse: 'Todo el curso',
    categories: {
      verified: '✓ Verificados',
      notChecked: '○ No comprobados',
      failed: '✗ Desactualizados',
      error: '! No se pudieron verificar',
      notRun: '○ No se ejecutan',
      unverified: '○ Aún sin verificar',
    },
    stale: (n) =>
      `${n === 1 ? 'Una verificación registrada ya no corresponde' : `${n} verificaciones registradas ya no corresponden`} a ningún bloque: el bloque cambió o se quitó después de verificarse. No se cuentan arriba.`,
    blocksOf: (title) => `Bloques de «${title}»`,
    line: 'Línea',
    block: 'Bloque',
    status: 'Estado',
    verifiedAt: 'Verificado (Docker del lector)',
    docker: 'Docker',
    standIns: 'Imágenes sustitutas',
    none: '—',
    no: 'ninguna',
    hidden: 'preparación oculta en la lección',
    blockCount: (n) => (n === 1 ? '1 bloque' : `${n} bloques`),
    engines: 'Docker probados',
    held: 'se cumple',
    notHeld: 'no se cumple',
    pathIntro:
      'Además, el curso entero se sigue en orden, lección tras lección, en una sola máquina, como lo hace un lector: lo que deja una lección (contenedores, imágenes, archivos, el directorio actual) sigue ahí en la siguiente. La columna «En orden» dice si cada ejemplo se cumplió también así.',
    pathColumn: 'En orden',
    pathOf: (h) => (h.held ? `se cumple (${h.blocks} de ${h.blocks})` : `no se cumple (${h.notHeld} de ${h.blocks} fallan)`),
    pathRow: { passed: '✓ se cumple', failed: '✗ no se cumple', error: '! no se pudo verificar', skipped: '○ no se ejecuta' },
  },
  en: {
    title: 'Examples status',
    description: 'What was checked of every example of the course, when, and on which Docker version.',
    intro:
      'Every code block of the course is run the way a reader would run it, on a real Docker engine, and what happened is recorded. This page shows the latest result of every block: the same as the note under each example says, which links here.',
    updated: 'Latest recorded verification:',
    engine: "The reader's Docker:",
    nothingYet:
      'Nothing has been verified yet: there is no verification record (content/verification.json). Every example shows as “Not verified yet”.',
    standInsHeading: 'Stand-in images',
    standInsIntro:
      'Without access to an image registry, these images were built from Debian packages: the same program as the official image, with the differences each recipe notes. The “Stand-in images” column says which ones the page of each block used.',
    summaryHeading: 'Summary by lesson',
    summaryCaption: 'Blocks of each lesson and of the whole course, by what their note says',
    lesson: 'Lesson',
    total: 'Total',
    wholeCourse: 'Whole course',
    categories: {
      verified: '✓ Verified',
      notChecked: '○ Not checked',
      failed: '✗ Out of date',
      error: '! Could not be verified',
      notRun: '○ Not run',
      unverified: '○ Not verified yet',
    },
    stale: (n) =>
      `${n === 1 ? 'One recorded verification no longer matches' : `${n} recorded verifications no longer match`} any block: the block changed or was removed after it was verified. They are not counted above.`,
    blocksOf: (title) => `Blocks of “${title}”`,
    line: 'Line',
    block: 'Block',
    status: 'Status',
    verifiedAt: "Verified (the reader's Docker)",
    docker: 'Docker',
    standIns: 'Stand-in images',
    none: '—',
    no: 'none',
    hidden: 'setup, hidden in the lesson',
    blockCount: (n) => (n === 1 ? '1 block' : `${n} blocks`),
    engines: 'Docker versions tried',
    held: 'holds',
    notHeld: 'does not hold',
    pathIntro:
      'The whole course is also followed in order, lesson after lesson, on one machine, as a reader does: what a lesson leaves behind (containers, images, files, the current folder) is still there in the next one. The “In order” column says whether each example also held that way.',
    pathColumn: 'In order',
    pathOf: (h) => (h.held ? `holds (${h.blocks} of ${h.blocks})` : `does not hold (${h.notHeld} of ${h.blocks} fail)`),
    pathRow: { passed: '✓ holds', failed: '✗ does not hold', error: '! could not be verified', skipped: '○ not run' },
  },
};
