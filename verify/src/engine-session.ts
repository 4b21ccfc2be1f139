import type { LabSuite } from './engine/config.ts';
import { imagesMentioned, prepareEngine, STAND_INS, type Lab } from './engine/index.ts';
import type { ReaderEngine } from './model/report.ts';
import type { EngineSession } from './run/runner.ts';
import type { PageLab } from './run/shell.ts';
import { TerminalSession } from './run/terminal.ts';

// Adapts the engine layer (find/start an engine, images, mirror, labs) to what the runner
// needs, and describes both engines for the report: the host engine the labs run on, and the
// reader's engine inside the labs, which is what the pages' commands really ran on.

/** A lab as the runner uses it, plus the container's name and shell for tools (the bench's replay). */
export type SessionLab = PageLab & Pick<Lab, 'name' | 'shell' | 'readerShell'>;

/** `suite`: the run's lab suite as its CLI resolved it (prepareEngine's default otherwise). */
export async function prepareEngineSession(
  log: (msg: string) => void,
  pages: readonly string[],
  opts: { suite?: LabSuite } = {},
): Promise<EngineSession<SessionLab>> {
  const prepared = await prepareEngine({ log, images: imagesMentioned(pages), suite: opts.suite });
  const e = prepared.engine;
  const info = await e.docker.info().catch(() => null);
  const t = prepared.timings;
  log(
    `prepared in ${(t.total / 1000).toFixed(1)} s (engine ${ms(t.engine)}, images ${ms(t.baseImages)}, lab image ${ms(t.labImage)}, mirror ${ms(t.mirror)}, package index ${ms(t.packageIndex)}, lab seed ${ms(t.seed)})`,
  );
  let reader: ReaderEngine | null = null;
  let probing: Promise<ReaderEngine | null> | null = null;
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
    // What the harness needs of an image (`needs`) is not part of its provenance.
    images: prepared.images.map(({ needs: _, ...provenance }) => provenance),
    lab: { suite: prepared.labImage.suite, recipe: prepared.labImage.recipe },
    readerEngine: () => reader,
    imageHint: (output) => missingImageHint(output, prepared.images),
    alive: () =>
      (e.docker.ping as unknown as (o: { abortSignal: AbortSignal }) => Promise<unknown>)
        .call(e.docker, { abortSignal: AbortSignal.timeout(5_000) })
        .then(
          () => true,
          () => false,
        ),
    createLab: async (page, request) => {
      const lab = await prepared.createLab(page, request);
      // Every lab of a run comes from the same image: asking the first one is enough (labs
      // made at once share the one question).
      probing ??= probeReaderEngine(lab, prepared.labImage.suite).then(
        (r) => {
          log(`reader's engine (in the labs): Docker ${r.docker}, buildx ${r.buildx}, compose ${r.compose} (Debian ${r.suite})`);
          return r;
        },
        () => {
          probing = null; // ask the next lab
          return null;
        },
      );
      reader ??= await probing;
      // The runner's view of the lab: its shell is a PTY terminal on `docker exec -it`.
      return {
        name: lab.name,
        shell: () => lab.shell(),
        readerShell: (opts) => lab.readerShell(opts),
        workdir: lab.workdir,
        openShell: () => TerminalSession.start(lab.shell(), lab.workdir),
        writeFile: (path, content) => lab.writeFile(path, content),
        limitsReached: () => lab.limitsReached(),
        lastLimitReading: () => lab.lastLimitReading(),
        dispose: () => lab.dispose(),
      };
    },
    dispose: () => prepared.dispose(),
  };
}

async function probeReaderEngine(lab: Lab, suite: LabSuite): Promise<ReaderEngine> {
  const r = await lab.exec(
    `docker version --format '{{.Server.Version}}'; docker buildx version | awk '{print $2}'; docker compose version --short`,
    { timeoutMs: 30_000 },
  );
  const [docker = '', buildx = '', compose = ''] = r.output
    .trim()
    .split('\n')
    .map((l) => l.trim());
  if (r.exitCode !== 0 || !docker) throw new Error(`could not ask the lab's engine its version: ${r.output}`);
  return { docker, buildx, compose, suite };
}

/**
 * One line for a step that failed because an image is neither on the lab nor anywhere it can
 * pull from: which reference, and which stand-ins exist (offline, only those can be pulled).
 */
export function missingImageHint(
  output: string,
  images: readonly { ref: string; source: string }[],
): { image: string; standIns: string[] } | null {
  const m =
    /Unable to find image '([^']+)' locally[\s\S]*?(?:pull access denied|not found|manifest unknown|error pulling|connection refused|no such host)/i.exec(
      output,
    ) ??
    /failed to resolve source metadata for (?:docker\.io\/(?:library\/)?)?([^\s:]+:[^\s:]+)/.exec(output) ??
    /pull access denied for ([^\s,]+)/.exec(output);
  if (!m) return null;
  const ref = m[1]!;
  if (images.some((i) => i.ref === ref || i.ref === `${ref}:latest`)) return null;
  return { image: ref, standIns: Object.keys(STAND_INS) };
}

function ms(n: number): string {
  return `${(n / 1000).toFixed(1)} s`;
}
