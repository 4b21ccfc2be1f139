import { z } from 'zod';
import type { MetaEntry } from '../extract/meta.ts';

// The annotations a maintainer may put in a fence's meta. Natural Markdown covers the common
// cases; these are only for what it cannot say. Every key starts with `verify-` so it never
// collides with Expressive Code's own meta (title, frame, ins, del…); an unknown `verify-*`
// key is an error at the fence's file:line. Documented in verify/docs/annotations.md.
const FAILS_HOW = 'verify-fails takes no value, or the exit status the commands end with (1-255): verify-fails=2';

export const AnnotationsSchema = z
  .object({
    /** Do not run the block; the reason is shown in the report. */
    'verify-skip': z.string().trim().min(1, 'verify-skip needs a reason: verify-skip="why"').optional(),
    /** Per-step timeout in seconds, for commands known to be slow. */
    'verify-timeout': z.coerce.number().positive().max(3600).optional(),
    /** Start the block's commands in the background (servers the lesson leaves running). */
    'verify-background': z.literal(true).optional(),
    /** The block's commands are expected to exit with a non-zero status, or with this one (`verify-fails=2`). */
    'verify-fails': z
      .union([z.literal(true), z.coerce.number().int(FAILS_HOW).min(1, FAILS_HOW).max(255, FAILS_HOW)], { error: FAILS_HOW })
      .optional(),
    /** Setup the lab needs but readers do not: run it, hide it on the site. */
    'verify-setup': z.literal(true).optional(),
    /** Overrides how the block's content is read (extract/recognise.ts decides otherwise). */
    'verify-as': z
      .enum(['session', 'file', 'output', 'display'], { error: 'verify-as is one of session, file, output, display' })
      .optional(),
    /** Writes the block to this file (relative to the session's directory) without a visible title. */
    'verify-file': z.string().trim().min(1, 'verify-file needs a file name: verify-file="compose.yaml"').optional(),
  })
  .strict();

export type Annotations = z.infer<typeof AnnotationsSchema>;

export const ANNOTATION_KEYS = Object.keys(AnnotationsSchema.shape) as (keyof Annotations)[];

export class AnnotationError extends Error {}

/** Picks the `verify-*` entries out of a fence's meta and validates them. */
export function parseAnnotations(entries: MetaEntry[]): Annotations {
  const ours = Object.fromEntries(entries.filter((e) => e.key.startsWith('verify-')).map((e) => [e.key, e.value]));
  const unknown = Object.keys(ours).filter((k) => !(ANNOTATION_KEYS as string[]).includes(k));
  if (unknown.length > 0) {
    throw new AnnotationError(`unknown annotation ${unknown.map((k) => `\`${k}\``).join(', ')}; known: ${ANNOTATION_KEYS.join(', ')}`);
  }
  const parsed = AnnotationsSchema.safeParse(ours);
  if (!parsed.success) {
    throw new AnnotationError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
