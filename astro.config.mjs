// @ts-check
import { defineConfig } from 'astro/config';
import { readFileSync } from 'node:fs';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import { checkInternalLinks } from './src/integrations/check-internal-links.ts';
import { copyCommandsOnly } from './src/expressive-code/copy-commands-only.ts';
import { elidedOutput } from './src/expressive-code/elided-output.ts';
import { hideSetupBlocks } from './src/remark/hide-setup-blocks.ts';
import { verificationStatus } from './src/remark/verification-status.ts';
import { blockLocale, blockWithVerification, verificationBadge } from './src/expressive-code/verification-badge.ts';

// The sitemap and canonical URLs are built from this. Override it per deployment:
//   SITE_URL=https://curso.example.org npm run build
const site = process.env.SITE_URL ?? 'http://localhost:4321';
const course = JSON.parse(readFileSync(new URL('./content/course.json', import.meta.url), 'utf8'));

export default defineConfig({
  site,
  // The status page has a different name in each locale; the language picker offers the other
  // locale's version of a page by swapping the locale prefix (/estado/ → /en/estado/).
  redirects: { '/status': '/estado', '/en/estado': '/en/status' },
  markdown: {
    // Every block gets its identity (digest and order among identical blocks, counted over all
    // blocks as the harness counts them), by which its last verification is found in the
    // snapshot (content/verification.json; VERIFY_SNAPSHOT overrides); then setup blocks are
    // dropped.
    processor: unified({ remarkPlugins: [verificationStatus(), hideSetupBlocks()] }),
  },
  integrations: [
    starlight({
      title: { es: 'Curso Docker', en: 'Docker Course' },
      description: 'Curso de Docker en español, con cada ejemplo verificado contra un motor Docker real.',
      logo: { src: './src/assets/logo.svg', alt: '' },
      favicon: '/favicon.svg',
      defaultLocale: 'root',
      // The pages live in the top-level content/, not in src/content/docs: without this,
      // Starlight's Markdown transforms (asides `:::note`, heading anchor links) skip them.
      markdown: { processedDirs: ['./content'] },
      locales: {
        root: { label: 'Español', lang: 'es' },
        en: { label: 'English', lang: 'en' },
      },
      // The lessons in course order live in content/course.json: the harness's reader's path
      // (`npm run verify -- --path`) follows the same order as the sidebar.
      sidebar: [
        ...course.groups,
        // A page of src/pages, not of content/: its English address (/en/status/) is set by
        // the route middleware below.
        { label: 'Estado de los ejemplos', translations: { en: 'Examples status' }, link: '/estado/' },
      ],
      // Gives the status page its real address in each locale (sidebar, prev/next, alternates).
      routeMiddleware: './src/verification/status-route.ts',
      components: {
        // Starlight's search button with an accessible name that includes the keys it shows.
        Search: './src/components/Search.astro',
      },
      expressiveCode: {
        plugins: [copyCommandsOnly(), verificationBadge(), elidedOutput()],
        // Each block gets its verification, found by the id the verificationStatus remark plugin
        // put on it, as a block prop the badge plugin reads.
        customCreateBlock: blockWithVerification,
        // The page's locale for every block (Starlight's own looks under src/content/docs, not
        // content/), so badges and Expressive Code's own texts follow the page's language.
        getBlockLocale: blockLocale,
      },
    }),
    // After Starlight, so it checks the finished HTML: sidebar, prev/next and page links.
    checkInternalLinks(),
  ],
});
