import type { Block } from '../model/plan.ts';
import type { ImageProvenance, Mode, Report, ReportBlock } from '../model/report.ts';
import type { ChangeKind } from '../update/classify.ts';

/** One documented output --update would replace: the file lines, what they say now and would say. */
export interface UpdateChange {
  startLine: number;
  endLine: number;
  before: string[];
  after: string[];
  kind: ChangeKind;
}

// collect → run → events → reporters. The runner only emits events; each reporter is one file
// that implements the hooks it needs over these read-only values.

export type RunEvent =
  | { type: 'run-start'; files: string[]; mode: Mode; scope?: 'pages' | 'path' }
  | { type: 'log'; message: string }
  | { type: 'engine-ready'; engine: string; images: ImageProvenance[]; durationMs: number }
  | { type: 'page-start'; file: string; blocks: number }
  | { type: 'block-start'; block: Readonly<Block> }
  | { type: 'block-end'; result: Readonly<ReportBlock> }
  | { type: 'page-end'; file: string; durationMs: number }
  | { type: 'page-updated'; file: string; steps: number }
  /** `--update --dry-run`: what --update would write into a page, change by change; nothing is written. */
  | { type: 'update-preview'; file: string; changes: UpdateChange[] }
  /** A problem with one page (a `:LINE` that names no block, an `--update` conflict); the run goes on. */
  | { type: 'page-error'; file: string; message: string }
  | { type: 'run-end'; report: Readonly<Report> };

/** The event of one type: `EventOf<'block-end'>`. */
export type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** One optional hook per event, named after it (`block-end` → `onBlockEnd`), given that event. */
export type ReporterHooks = {
  [E in RunEvent as `on${Pascal<E['type']>}`]?: (event: E) => void | Promise<void>;
};

/** A reporter implements the hooks it needs; `onEvent`, if any, gets every event after its hook. */
export interface Reporter extends ReporterHooks {
  onEvent?(event: RunEvent): void | Promise<void>;
}

/** Each event's hook: written out, so an event added above without a hook fails to compile. */
const HOOK = {
  'run-start': 'onRunStart',
  log: 'onLog',
  'engine-ready': 'onEngineReady',
  'page-start': 'onPageStart',
  'block-start': 'onBlockStart',
  'block-end': 'onBlockEnd',
  'page-end': 'onPageEnd',
  'page-updated': 'onPageUpdated',
  'update-preview': 'onUpdatePreview',
  'page-error': 'onPageError',
  'run-end': 'onRunEnd',
} as const satisfies { [T in RunEvent['type']]: `on${Pascal<T>}` };

/** Hands an event to a reporter: its hook for that event, then `onEvent`. */
export async function deliver(reporter: Reporter, event: RunEvent): Promise<void> {
  // The table pairs each event with its own hook, which TypeScript cannot follow through a lookup.
  const hook = reporter[HOOK[event.type]] as ((e: RunEvent) => void | Promise<void>) | undefined;
  await hook?.call(reporter, event);
  await reporter.onEvent?.(event);
}
