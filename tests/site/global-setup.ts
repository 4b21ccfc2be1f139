// Builds the site once (unless SITE_DIST already holds a build) and serves it on 127.0.0.1 for
// the site tests, which get the address with `inject('siteUrl')`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT } from '../lib/course.ts';
import { serveStatic } from './static-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the built site is served, e.g. `http://127.0.0.1:40123` (no trailing slash). */
    siteUrl: string;
    /** The folder served: the build output. */
    siteDist: string;
    /** The `site` the build was made for (sitemap and canonical URLs). */
    siteOrigin: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.SITE_DIST ? resolve(process.env.SITE_DIST) : undefined;
  const dist = given ?? join(ROOT, 'dist');
  if (given && existsSync(join(given, 'index.html'))) {
    console.log(`[site] testing the existing build in ${given} (SITE_DIST)`);
  } else {
    await build(dist);
  }
  const server = await serveStatic(dist);
  console.log(`[site] serving ${dist} at ${server.url}`);
  project.provide('siteUrl', server.url);
  project.provide('siteDist', dist);
  project.provide('siteOrigin', (process.env.SITE_URL ?? 'http://localhost:4321').replace(/\/+$/, ''));
  return () => server.close();
}

/** `astro build` with the project's own Node (the system one may be too old for Astro). */
async function build(outDir: string): Promise<void> {
  const node = join(ROOT, 'node_modules', '.bin', 'node');
  const astro = join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const started = Date.now();
  console.log(`[site] building the site into ${outDir} …`);
  // Not vitest's environment: with NODE_ENV=test, Vite builds with `import.meta.env.DEV` true
  // and Starlight ships its "search only works in production builds" notice instead of search.
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
  delete env.NODE_ENV;
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST') delete env[key];
  // Built with the committed verification snapshot, as a newcomer's build is: the badges
  // must show what it records.
  delete env.VERIFY_SNAPSHOT;
  const output: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    // --force: badges come from the verify report, which Astro's content cache does not track.
    const child = spawn(node, [astro, 'build', '--force', '--outDir', outDir], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) {
    throw new Error(`astro build failed (exit ${code}):\n${output.join('').split('\n').slice(-60).join('\n')}`);
  }
  console.log(`[site] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
