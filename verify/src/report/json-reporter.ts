import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ReportSchema } from '../model/report.ts';
import type { Reporter, RunEvent } from './events.ts';

/** Writes the JSON report (validated against its schema) when the run ends. */
export class JsonReporter implements Reporter {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  onEvent(e: RunEvent): void {
    if (e.type !== 'run-end') return;
    const report = ReportSchema.parse(e.report);
    mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(report, null, 2)}\n`);
  }
}
