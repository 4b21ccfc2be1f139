import { prepareEngine } from './engine/index.ts';
import type { EngineSession } from './run/runner.ts';

// Adapts the engine layer (find/start an engine, images, mirror, labs) to what the runner
// needs, and describes the engine for the report.
export async function prepareEngineSession(log: (msg: string) => void): Promise<EngineSession> {
  const prepared = await prepareEngine({ log });
  const e = prepared.engine;
  const info = await e.docker.info().catch(() => null);
  const t = prepared.timings;
  log(
    `prepared in ${(t.total / 1000).toFixed(1)} s (engine ${ms(t.engine)}, base images ${ms(t.baseImages)}, lab image ${ms(t.labImage)}, mirror ${ms(t.mirror)}, lab seed ${ms(t.seed)})`,
  );
  return {
    describe: {
      engine: {
        version: e.engineVersion,
        apiVersion: e.engineApiVersion,
        os: info ? `${info.OperatingSystem} (${info.Architecture}, storage ${info.Driver})` : 'unknown',
        host: `${e.dockerHost} (${e.origin})`,
      },
      client: { version: e.clientVersion },
      label: `Docker ${e.engineVersion} at ${e.dockerHost} (${e.origin})`,
    },
    images: prepared.images.map((i) => ({ ref: i.ref, source: i.source, how: i.how, id: i.id ?? null })),
    createLab: (page) => prepared.createLab(page),
    dispose: () => prepared.dispose(),
  };
}

function ms(n: number): string {
  return `${(n / 1000).toFixed(1)} s`;
}
