import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

// Course pages live in the top-level `content/` folder (Spanish at the root, English in `en/`),
// so maintainers and the verify harness share one obvious place. Files starting with `_` are
// drafts/partials and are not published, as with Starlight's own loader.
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema(),
  }),
  // English UI strings Starlight does not ship because English is Expressive Code's default:
  // with Spanish as the default locale, Starlight would otherwise hand English code blocks the
  // Spanish fallback ("Copiar al portapapeles"). src/content/i18n/en.json.
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
