import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order vitest hands test files to its two workers (vitest.config.ts): engine files
// alternate with the other projects' files, longest first on each side (vitest's own order).
// Engine files run one at a time (engine/one-file-at-a-time.ts): a worker that takes an
// engine file while the other runs one waits for it. Alternating keeps one worker on the
// engine files, the slow chain, and the other on the browser tests beside it; with all the
// engine files first, both workers would queue on the engine and the site would run last.
export class EngineBesideSite extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const engine = sorted.filter((f) => f.project.name === 'engine');
    const others = sorted.filter((f) => f.project.name !== 'engine');
    const out: TestSpecification[] = [];
    for (let i = 0; i < Math.max(engine.length, others.length); i++) {
      if (engine[i]) out.push(engine[i]!);
      if (others[i]) out.push(others[i]!);
    }
    return out;
  }
}
