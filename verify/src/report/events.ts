import type { Block } from '../model/plan.ts';
import type { ImageProvenance, Mode, Report, ReportBlock } from '../model/report.ts';

// collect → run → events → reporters. The runner only emits events; each reporter is one file
// that implements `Reporter` over these read-only values.

export type RunEvent =
  | { type: 'run-start'; files: string[]; mode: Mode }
  | { type: 'log'; message: string }
  | { type: 'engine-ready'; engine: string; images: ImageProvenance[]; durationMs: number }
  | { type: 'page-start'; file: string; blocks: number }
  | { type: 'block-start'; block: Readonly<Block> }
  | { type: 'block-end'; result: Readonly<ReportBlock> }
  | { type: 'page-end'; file: string; durationMs: number }
  | { type: 'page-updated'; file: string; steps: number }
  | { type: 'run-end'; report: Readonly<Report> };

export interface Reporter {
  onEvent(event: RunEvent): void | Promise<void>;
}
