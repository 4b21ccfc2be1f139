// The engine layer against a real Docker engine (no mocks): labs must behave like a reader's
// machine, be isolated from each other and from the host, and leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { spawn as ptySpawn } from '@lydell/node-pty';
import { execa } from 'execa';
import {
  BASE_IMAGES,
  createLab,
  LAB_WORKDIR,
  prepareEngine,
  removeStale,
  REGISTRY_VOLUME,
  type Lab,
  type PreparedEngine,
} from '../../src/engine/index.ts';
import { runLabels, LABEL_PID_START, LABEL_ROLE, LABEL_RUN } from '../../src/engine/labels.ts';

const log = (msg: string) => console.log(`[engine] ${msg}`);

let p: PreparedEngine;
let labA: Lab;
let labB: Lab;

/** What the engine still holds for a run id. */
async function leftovers(runId: string) {
  const filters = { label: [`${LABEL_RUN}=${runId}`] };
  return {
    containers: (await p.engine.docker.listContainers({ all: true, filters })).map((c) => c.Names[0]),
    volumes: ((await p.engine.docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Name),
    networks: (await p.engine.docker.listNetworks({ filters })).map((n) => n.Name),
  };
}

beforeAll(async () => {
  // Seeded labs, whatever CURSO_VERIFY_LAB_SEED says: the tests below hold the seed to its job.
  p = await prepareEngine({ log, seed: true });
  log(`engine ${p.engine.engineVersion} (${p.engine.origin}), dind mode ${p.dind.mode}, timings ${JSON.stringify(p.timings)}`);
  [labA, labB] = await Promise.all([p.createLab('test/a.md'), p.createLab('test/b.md')]);
  log(`lab timings: A ${JSON.stringify(labA.timings)} B ${JSON.stringify(labB.timings)}`);
});

afterAll(async () => {
  await p?.dispose();
});

describe('preparation', () => {
  it('says where each base image comes from', () => {
    expect(p.images.map((i) => i.ref)).toEqual([...BASE_IMAGES]);
    for (const img of p.images) {
      expect(['registry', 'stand-in']).toContain(img.source);
      expect(img.how).not.toBe('');
      expect(img.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });
});

describe('a fresh lab', () => {
  it('has bash, curl and docker', async () => {
    const tools = ['bash', 'curl', 'docker', 'sudo', 'usermod', 'python3', 'nano'];
    const r = await labA.exec(`command -v ${tools.join(' ')}`);
    expect(r.exitCode, r.output).toBe(0);
    expect(
      r.output
        .trim()
        .split('\n')
        .map((p) => p.split('/').pop()),
    ).toEqual(tools);
  });

  it('lists exactly the base images', async () => {
    const r = await labA.exec("docker images --format '{{.Repository}}:{{.Tag}}' | sort");
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.trim().split('\n')).toEqual([...BASE_IMAGES].sort());
  });

  it('is seeded with exactly the base images, and pulls them without a seed', async () => {
    expect(p.seedVolume, 'the lab seed this run made or found').toMatch(/^curso-verify-seed-/);
    expect(labA.pulled, 'images a seeded lab had to pull').toEqual([]);
    const unseeded = await createLab(
      {
        engine: p.engine,
        labImage: p.labImage.ref,
        network: p.registry.network,
        baseImages: [...BASE_IMAGES],
        dind: p.dind,
        seedVolume: null,
        log,
      },
      { runId: p.runId, page: 'test/unseeded.md' },
    );
    try {
      expect([...unseeded.pulled].sort()).toEqual([...BASE_IMAGES].sort());
      const r = await unseeded.exec("docker images --format '{{.Repository}}:{{.Tag}}' | sort");
      expect(r.output.trim().split('\n')).toEqual([...BASE_IMAGES].sort());
    } finally {
      await unseeded.dispose();
    }
  });

  it('is called lector and starts in an empty working directory', async () => {
    const r = await labA.exec(`hostname; ls -A ${labA.workdir} | wc -l`);
    expect(r.output.trim().split('\n')).toEqual(['lector', '0']);
  });

  it('reports exit codes', async () => {
    expect((await labA.exec('exit 3')).exitCode).toBe(3);
  });
});

describe('docker inside a lab', () => {
  it('runs busybox', async () => {
    const r = await labA.exec('docker run --rm busybox echo hello world');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.trim()).toBe('hello world');
  });

  it('pulls busybox', async () => {
    const r = await labA.exec('docker pull busybox');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/busybox:latest/);
  });

  it('runs debian:bookworm', async () => {
    const r = await labA.exec('docker run --rm debian:bookworm cat /etc/debian_version');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.trim()).toMatch(/^12\.\d+$/);
  });

  it('serves a published port to curl in the lab', async () => {
    const r = await labA.exec(
      'docker run -d -p 8080:80 busybox httpd -f -p 80 -h /etc >/dev/null && ' +
        'for i in $(seq 1 50); do curl -sf localhost:8080/passwd && exit 0; sleep 0.1; done; exit 1',
    );
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/^root:x:0:0:/m);
  });
});

describe('isolation', () => {
  it('does not show a container of lab A in lab B', async () => {
    const a = await labA.exec('docker create --name only-in-a busybox true');
    expect(a.exitCode, a.output).toBe(0);
    expect((await labA.exec("docker ps -a --format '{{.Names}}'")).output).toMatch(/only-in-a/);
    const b = await labB.exec("docker ps -a --format '{{.Names}}'");
    expect(b.exitCode, b.output).toBe(0);
    expect(b.output).not.toMatch(/only-in-a/);
  });

  it('keeps writes to /etc inside the lab', async () => {
    const marker = `/etc/curso-verify-test-${process.pid}`;
    const r = await labA.exec(`echo lab > ${marker} && cat ${marker}`);
    expect(r.output.trim()).toBe('lab');
    expect(existsSync(marker)).toBe(false);
    expect((await labB.exec(`test -e ${marker}`)).exitCode).toBe(1);
  });
});

describe('the interactive shell', () => {
  it('runs bash in the working directory through a PTY', async () => {
    const { file, args, env } = labB.shell();
    const term = ptySpawn(file, args, { cols: 100, rows: 30, env });
    let out = '';
    term.onData((d) => (out += d));
    const exited = new Promise<number>((res) => term.onExit(({ exitCode }) => res(exitCode)));
    term.write('echo "$PWD:$((6*7)):$TERM"; exit\r');
    expect(await exited).toBe(0);
    expect(out).toContain(`${LAB_WORKDIR}:42:xterm-256color`);
  });
});

describe('cleanup', () => {
  it('dispose() removes a lab and its volume, and can be called twice', async () => {
    const lab = await p.createLab('test/dispose.md');
    await lab.dispose();
    await lab.dispose();
    const names = (await p.engine.docker.listContainers({ all: true })).map((c) => c.Names[0]);
    expect(names).not.toContain(`/${lab.name}`);
    const vols = ((await p.engine.docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
    expect(vols.filter((v) => v.startsWith(lab.name))).toEqual([]);
  });

  it('removeStale() removes leftovers of a dead process and nothing else', async () => {
    const labels = { ...runLabels('stale-test', 'lab'), [LABEL_PID_START]: 'not-this-process' };
    const c = await p.engine.docker.createContainer({ Image: 'busybox:latest', Cmd: ['true'], Labels: labels });
    await p.engine.docker.createVolume({ Name: `curso-verify-stale-test-${process.pid}`, Labels: labels });
    const removed = await removeStale(p.engine, log);
    expect(removed).toContain('stale-test');
    expect(removed).not.toContain(p.runId);
    await expect(c.inspect()).rejects.toThrow();
    expect(await leftovers('stale-test')).toEqual({ containers: [], volumes: [], networks: [] });
    expect((await leftovers(p.runId)).containers, 'this run keeps its labs and mirror').toContain(`/${labA.name}`);
  });

  it('Ctrl-C removes the run and exits with 130', async () => {
    const runId = `sigint-${process.pid}`;
    const script = `
      import { prepareEngine } from './verify/src/engine/index.ts';
      const p = await prepareEngine({ runId: ${JSON.stringify(runId)} });
      await p.createLab('sigint.md');
      console.log('READY');
      setInterval(() => {}, 1000);
    `;
    // The project's Node (24, strips TypeScript types), whatever Node runs vitest itself.
    const node = existsSync('node_modules/.bin/node') ? 'node_modules/.bin/node' : process.execPath;
    const child = execa(node, ['--input-type=module', '-e', script], { reject: false, cwd: process.cwd() });
    await new Promise<void>((res, rej) => {
      child.stdout?.on('data', (d: Buffer) => String(d).includes('READY') && res());
      void child.then((r) => rej(new Error(`child ended early: ${r.all ?? r.stderr}`)));
    });
    const running = await p.engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
    expect(running.map((c) => c.Labels[LABEL_ROLE]).sort(), 'the run before Ctrl-C').toEqual(['lab', 'mirror']);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(await leftovers(runId)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('after dispose() nothing with the run label remains, and the caches stay', async () => {
    await p.dispose();
    expect(await leftovers(p.runId)).toEqual({ containers: [], volumes: [], networks: [] });
    const vols = ((await p.engine.docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
    expect(vols).toContain(REGISTRY_VOLUME);
    for (const img of p.images) await expect(p.engine.docker.getImage(img.ref).inspect()).resolves.toBeTruthy();
  });
});
