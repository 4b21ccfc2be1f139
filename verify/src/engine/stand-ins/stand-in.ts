// One stand-in image, however it is made: what it is (for the report and docs), the hash that
// names its recipe, what it needs at run time, and how to build it.
import type { Engine } from '../engine.ts';

export interface StandIn {
  /** How it is made, in words (report: the image's provenance). */
  how: string;
  /** Hash of the recipe; an image of another recipe is rebuilt. */
  recipe: string;
  /** The program and version it carries: 'CPython 3.13 (Debian trixie)'. */
  program: string;
  /** Known differences from the official image. */
  differences: readonly string[];
  /** Run-time services from the harness ('pypi': the offline package index). */
  needs: readonly 'pypi'[];
  /** Why it cannot be built on this machine, or null. */
  missing(): Promise<string | null>;
  /** Builds the image as `ref` (labels included) and returns its id. */
  build(engine: Engine, ref: string): Promise<string>;
}
