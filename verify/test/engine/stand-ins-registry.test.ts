// The registry:2 stand-in against the real engine (no mocks). The image comes from the stand-in
// table as a run gets it (ensureImages, offline: built once per recipe hash, else reused), then:
//  - on the harness's engine, what the official image's Dockerfile promises (entrypoint, command,
//    volume, port, config.yml) and what its entrypoint does with each kind of argument; the
//    server answering the registry API to another container on a user network, with the
//    documented REGISTRY_* variables overriding the config;
//  - in a lab (the reader's engine, Docker 28.5), the way the registry's own documentation and
//    the course use it: `docker run -d -p 127.0.0.1:5000:5000 registry:2`, an image pushed to
//    localhost:5000, removed, pulled back (by tag and by digest) and run, and the catalog and
//    tag list read with curl.
// Everything created carries the run's labels and is removed at the end (removeRun, dispose).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { removeRun } from '../../src/engine/cleanup.ts';
import { connectEngine, type Engine } from '../../src/engine/engine.ts';
import { ensureImages } from '../../src/engine/images.ts';
import { prepareEngine, type Lab, type PreparedEngine } from '../../src/engine/index.ts';
import { runLabels, slug } from '../../src/engine/labels.ts';
import { run, sleep, type RunResult } from '../../src/engine/proc.ts';
import { FILES_DIR } from '../../src/engine/stand-ins/build.ts';
import { REGISTRY_MAJOR_MINOR } from '../../src/engine/stand-ins/registry.ts';

const log = (msg: string) => console.log(`[registry] ${msg}`);
const REGISTRY = 'registry:2';
const CONFIG_PATH = '/etc/docker/registry/config.yml';
const OFFICIAL_CONFIG = readFileSync(join(FILES_DIR, 'registry/config.yml'), 'utf8');
const VERSION = new RegExp(`^registry github\\.com/docker/distribution ${REGISTRY_MAJOR_MINOR.replace('.', '\\.')}\\.\\d+`);

let engine: Engine;
const runId = `registry-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const name = (what: string) => `curso-verify-${slug(runId)}-${what}`;
const network = name('net');
const labelArgs = () => Object.entries(runLabels(runId, 'stand-in-test')).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

const docker = (args: string[], timeoutMs = 120_000): Promise<RunResult> => run('docker', args, { env: engine.env, timeoutMs });
/** `docker run --rm` of the registry image with these arguments (after the image). */
const once = (args: string[], before: string[] = []) => docker(['run', '--rm', ...labelArgs(), ...before, REGISTRY, ...args]);
/** busybox's wget from another container on the test network: the body, or '' on failure. */
const get = async (url: string): Promise<RunResult> =>
  docker(['run', '--rm', '--network', network, ...labelArgs(), 'busybox', 'wget', '-q', '-O', '-', url]);

/** Waits until `url` answers from the network (the server is up), or fails with the logs. */
async function waitForHttp(container: string, url: string, timeoutMs = 60_000): Promise<number> {
  const t = Date.now();
  for (;;) {
    if ((await get(url)).exitCode === 0) return Date.now() - t;
    const state = await engine.docker.getContainer(container).inspect();
    const logs = (await docker(['logs', container])).all;
    if (!state.State.Running) throw new Error(`${container} exited (${state.State.ExitCode}):\n${logs}`);
    if (Date.now() - t > timeoutMs) throw new Error(`${url}: no answer within ${timeoutMs} ms:\n${logs}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  engine = await connectEngine({ cacheDir: defaultCacheDir(), log });
  const t = Date.now();
  const images = await ensureImages(engine, [REGISTRY], { log, offline: true });
  const image = images.find((i) => i.ref === REGISTRY);
  // Never test a pulled image under the stand-in's name: this test is about the stand-in.
  expect(image?.source, `${REGISTRY} on this engine is not a stand-in (pulled from a registry?); remove it to run this test`).toBe(
    'stand-in',
  );
  const size = (await engine.docker.getImage(REGISTRY).inspect()).Size;
  log(`${REGISTRY} ready in ${((Date.now() - t) / 1000).toFixed(1)} s (${image?.packages}), ${(size / 1e6).toFixed(0)} MB`);
  const r = await docker(['network', 'create', ...labelArgs(), network]);
  expect(r.exitCode, r.all).toBe(0);
});

afterAll(async () => {
  if (engine) await removeRun(engine, runId);
});

describe('registry:2 stand-in, on the harness engine', () => {
  it("has the official image's entrypoint, command, volume and port", async () => {
    const { Config } = await engine.docker.getImage(REGISTRY).inspect();
    expect(Config.Entrypoint).toEqual(['/entrypoint.sh']);
    expect(Config.Cmd).toEqual([CONFIG_PATH]);
    expect(Object.keys(Config.Volumes ?? {})).toEqual(['/var/lib/registry']);
    expect(Object.keys(Config.ExposedPorts ?? {})).toEqual(['5000/tcp']);
    expect(Config.User ?? '').toBe('');
  });

  it('has the official config.yml and the program as /bin/registry', async () => {
    const cat = await once(['cat', CONFIG_PATH]);
    expect(cat.stdout).toBe(OFFICIAL_CONFIG);
    const which = await once(['sh', '-c', 'command -v registry; ls /bin/registry; ls -A /var/lib/registry | wc -l; id -u']);
    expect(which.stdout.trim().split('\n'), which.all).toEqual(['/usr/bin/registry', '/bin/registry', '0', '0']);
  });

  it('entrypoint: an option or a subcommand goes to registry, anything else runs as given', async () => {
    const version = await once(['--version']);
    expect(version.exitCode, version.all).toBe(0);
    expect(version.stdout.trim()).toMatch(VERSION);
    const help = await once(['help']);
    expect(help.stdout, help.all).toMatch(/^`registry`/);
    expect(help.stdout).toMatch(/garbage-collect/);
    // On an empty storage the registry's own garbage collector has nothing to mark, and says so
    // (the same message from the official image); a full run is in the lab below.
    const gc = await once(['garbage-collect', '--dry-run', CONFIG_PATH]);
    expect(gc.all).toMatch(/failed to garbage collect: failed to mark: filesystem: Path not found: \/docker\/registry\/v2\/repositories/);
    const other = await once(['echo', 'hola']);
    expect(other.stdout).toBe('hola\n');
  });

  it('serves the registry API from the default command, with its data in a volume', async () => {
    const c = name('reg');
    const r = await docker(['run', '-d', '--name', c, '--network', network, '--network-alias', 'registro', ...labelArgs(), REGISTRY]);
    expect(r.exitCode, r.all).toBe(0);
    log(`registry answered ${await waitForHttp(c, 'http://registro:5000/v2/')} ms after docker run returned`);
    expect((await get('http://registro:5000/v2/')).stdout.trim()).toBe('{}');
    expect((await get('http://registro:5000/v2/_catalog')).stdout.trim()).toBe('{"repositories":[]}');
    // The entrypoint execs the registry: it is PID 1, and gets docker stop's signal.
    const pid1 = await docker(['exec', c, 'cat', '/proc/1/cmdline']);
    expect(pid1.stdout.split('\0').filter(Boolean)).toEqual(['registry', 'serve', CONFIG_PATH]);
    const info = await engine.docker.getContainer(c).inspect();
    expect(info.Mounts.map((m) => [m.Type, m.Destination])).toEqual([['volume', '/var/lib/registry']]);
    const logs = (await docker(['logs', c])).all;
    expect(logs).toMatch(/level=info msg="listening on \[::\]:5000"/);
    // The official image's wget healthcheck works (GNU Wget here, BusyBox's there).
    const hc = await docker(['exec', c, 'wget', '-q', '--spider', 'http://localhost:5000/v2/']);
    expect(hc.exitCode, hc.all).toBe(0);
  });

  it('takes REGISTRY_* variables over config.yml, as the documentation says', async () => {
    const c = name('reg-env');
    const r = await docker([
      'run',
      '-d',
      '--name',
      c,
      '--network',
      network,
      '--network-alias',
      'registro-env',
      ...labelArgs(),
      '-e',
      'REGISTRY_HTTP_ADDR=0.0.0.0:5001',
      REGISTRY,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    await waitForHttp(c, 'http://registro-env:5001/v2/');
    expect((await docker(['logs', c])).all).toMatch(/level=info msg="listening on [^"]*:5001"/);
  });
});

// The reader's way, in a lab: the nested engine pulls registry:2 through the run's mirror, the
// reader publishes it on the lab's loopback and pushes to localhost:5000 (plain HTTP, which
// every engine allows for 127.0.0.0/8 and localhost).
describe('registry:2 in a lab, as its documentation and the course use it', () => {
  let p: PreparedEngine;
  let lab: Lab;
  const sh = async (cmd: string, timeoutMs = 300_000) => {
    const r = await lab.exec(cmd, { timeoutMs });
    log(`$ ${cmd}\n${r.output.trimEnd()}`);
    return r;
  };
  let digest = '';

  beforeAll(async () => {
    p = await prepareEngine({ images: [REGISTRY], log, handleSignals: false, offline: true });
    lab = await p.createLab('test/registry.md');
  });

  afterAll(async () => {
    await p?.dispose();
  });

  it('docker run -d -p 127.0.0.1:5000:5000 registry:2 pulls it and answers on localhost:5000', async () => {
    const r = await sh('docker run -d --name registro -p 127.0.0.1:5000:5000 registry:2');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/^Unable to find image 'registry:2' locally\n2: Pulling from library\/registry\n/);
    expect(r.output).toMatch(/Status: Downloaded newer image for registry:2\n[0-9a-f]{64}\n?$/);
    const up = await sh('for i in $(seq 1 150); do curl -sf localhost:5000/v2/ && exit 0; sleep 0.2; done; exit 1');
    expect(up.output.trim()).toBe('{}');
    expect((await sh('curl -s localhost:5000/v2/_catalog')).output.trim()).toBe('{"repositories":[]}');
  });

  it('takes a push to localhost:5000 and lists it in /v2/_catalog and the tag list', async () => {
    const build = await sh(
      'printf \'FROM busybox\\nRUN echo hola > /saludo.txt\\nCMD ["cat", "/saludo.txt"]\\n\' | docker build -q -t localhost:5000/curso/saludo:1.0 -',
    );
    expect(build.exitCode, build.output).toBe(0);
    const push = await sh('docker push localhost:5000/curso/saludo:1.0');
    expect(push.exitCode, push.output).toBe(0);
    expect(push.output).toMatch(/^The push refers to repository \[localhost:5000\/curso\/saludo\]\n/);
    // busybox's layer and the RUN's.
    expect(push.output.match(/^[0-9a-f]{12}: Pushed$/gm)).toHaveLength(2);
    digest = /^1\.0: digest: (sha256:[0-9a-f]{64}) size: \d+$/m.exec(push.output)?.[1] ?? '';
    expect(digest, push.output).not.toBe('');
    expect((await sh('curl -s localhost:5000/v2/_catalog')).output.trim()).toBe('{"repositories":["curso/saludo"]}');
    expect((await sh('curl -s localhost:5000/v2/curso/saludo/tags/list')).output.trim()).toBe('{"name":"curso/saludo","tags":["1.0"]}');
    const again = await sh(
      'docker tag localhost:5000/curso/saludo:1.0 localhost:5000/curso/saludo:latest && docker push localhost:5000/curso/saludo:latest',
    );
    expect(again.output.match(/^[0-9a-f]{12}: Layer already exists$/gm)).toHaveLength(2);
    expect(again.output).toContain(`latest: digest: ${digest} size:`);
    expect((await sh('curl -s localhost:5000/v2/curso/saludo/tags/list')).output.trim()).toMatch(
      /^\{"name":"curso\/saludo","tags":\["(1\.0","latest|latest","1\.0)"\]\}$/,
    );
  });

  it('gives the image back: removed locally, pulled by tag and by digest, and run', async () => {
    const rmi = await sh('docker rmi localhost:5000/curso/saludo:1.0 localhost:5000/curso/saludo:latest');
    expect(rmi.exitCode, rmi.output).toBe(0);
    expect(rmi.output).toMatch(/^Deleted: sha256:/m);
    const pull = await sh('docker pull localhost:5000/curso/saludo:1.0');
    expect(pull.exitCode, pull.output).toBe(0);
    // Both layers are still on the engine (busybox's, and the RUN's in BuildKit's build cache):
    // the pull fetches the manifest and the config, and downloads no layer.
    expect(pull.output).toMatch(/^1\.0: Pulling from curso\/saludo\n[0-9a-f]{12}: Already exists\n[0-9a-f]{12}: Already exists\nDigest: /);
    expect(pull.output).toContain(
      `Digest: ${digest}\nStatus: Downloaded newer image for localhost:5000/curso/saludo:1.0\nlocalhost:5000/curso/saludo:1.0`,
    );
    const digests = await sh("docker image inspect --format '{{.RepoDigests}}' localhost:5000/curso/saludo:1.0");
    expect(digests.output.trim()).toBe(`[localhost:5000/curso/saludo@${digest}]`);
    const byDigest = await sh(`docker pull localhost:5000/curso/saludo@${digest}`);
    expect(byDigest.exitCode, byDigest.output).toBe(0);
    expect(byDigest.output).toContain(`Status: Image is up to date for localhost:5000/curso/saludo@${digest}`);
    expect((await sh('docker run --rm localhost:5000/curso/saludo:1.0')).output).toBe('hola\n');
  });

  it('keeps what it stores in its volume, /var/lib/registry', async () => {
    const r = await sh(
      "docker inspect --format '{{range .Mounts}}{{.Type}} {{.Destination}}{{end}}' registro; docker exec registro ls /var/lib/registry/docker/registry/v2/repositories/curso",
    );
    expect(r.output.trim().split('\n')).toEqual(['volume /var/lib/registry', 'saludo']);
  });

  it("runs the garbage collector over what it stores (the documentation's `docker exec … registry garbage-collect`)", async () => {
    const r = await sh('docker exec registro registry garbage-collect --dry-run /etc/docker/registry/config.yml');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/^curso\/saludo$/m);
    expect(r.output).toMatch(/blobs marked, 0 blobs and 0 manifests eligible for deletion/);
  });

  it('stops on docker stop, and the registry answers no more', async () => {
    const t = Date.now();
    const r = await sh('docker stop registro');
    expect(r.exitCode, r.output).toBe(0);
    log(`docker stop: ${Date.now() - t} ms`);
    expect((await sh('curl -s -o /dev/null -w "%{http_code}" localhost:5000/v2/')).output).toBe('000');
  });
});
