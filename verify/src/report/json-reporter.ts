import { ReportSchema } from '../model/report.ts';
import type { EventOf, Reporter } from './events.ts';
import { writeReport } from './write-report.ts';

/** Writes the JSON report (validated against its schema) when the run ends. */
export class JsonReporter implements Reporter {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  onRunEnd(e: EventOf<'run-end'>): void {
    const report = ReportSchema.parse(e.report);
    writeReport(this.file, `${JSON.stringify(report, null, 2)}\n`);
  }
}
