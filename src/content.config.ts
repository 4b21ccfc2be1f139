import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

// Course pages live in the top-level `content/` folder (Spanish at the root, English in `en/`),
// so maintainers and the verify harness share one obvious place. Files starting with `_` are
// drafts/partials and are not published, as with Starlight's own loader.
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema(),
  }),
};
