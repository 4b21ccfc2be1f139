import path from 'node:path';
import type { Reporter } from './events.ts';
import { JsonReporter } from './json-reporter.ts';
import { JunitReporter } from './junit-reporter.ts';

// The reporters a run can write besides the terminal, by name: `--reporter json=out.json`,
// `--reporter junit=out.xml` (repeatable). Adding one is an entry here and a file beside it.

export const REPORTERS = {
  /** The JSON report, validated against its schema (verify/docs/report.md). */
  json: (file: string): Reporter => new JsonReporter(file),
  /** JUnit XML for CI dashboards: a suite per page, a test case per block. */
  junit: (file: string): Reporter => new JunitReporter(file),
} as const satisfies Record<string, (file: string) => Reporter>;

export type ReporterName = keyof typeof REPORTERS;

export class ReporterSpecError extends Error {}

export interface ReporterSpec {
  name: ReporterName;
  /** Absolute path of the file it writes. */
  file: string;
}

/** Reads `name=file` (the file relative to `cwd`). */
export function parseReporterSpec(spec: string, cwd: string): ReporterSpec {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const file = eq < 0 ? '' : spec.slice(eq + 1);
  if (!Object.hasOwn(REPORTERS, name)) {
    throw new ReporterSpecError(`--reporter ${spec}: unknown reporter \`${name}\` (known: ${names()})`);
  }
  if (file === '')
    throw new ReporterSpecError(
      `--reporter ${spec}: say where to write it, e.g. --reporter ${name}=out.${name === 'junit' ? 'xml' : name}`,
    );
  return { name: name as ReporterName, file: path.resolve(cwd, file) };
}

/** The reporters for the given specs, in order. */
export function createReporters(specs: readonly string[], cwd: string): Reporter[] {
  return specs.map((s) => parseReporterSpec(s, cwd)).map(({ name, file }) => REPORTERS[name](file));
}

function names(): string {
  return Object.keys(REPORTERS)
    .map((n) => `${n}=FILE`)
    .join(', ');
}
