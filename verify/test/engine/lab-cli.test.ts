import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { connectEngine } from '../../src/engine/engine.ts';
import { LABEL_PID } from '../../src/engine/labels.ts';

// `npm run lab -- FILE:LINE -c CMD` on a real course page, against a real engine: the lab has
// the page's state before LINE, the command's output and exit status come back, nothing stays.
const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'verify/src/lab-cli.ts');
const lab = async (...args: string[]) => {
  const child = execa(process.execPath, [cli, ...args], { cwd: root, reject: false, env: { FORCE_COLOR: '0' } });
  return { ...(await child), pid: child.pid };
};

/** What a run left on the engine: every container, volume and network labelled with its process id. */
async function leftBy(pid: number | undefined): Promise<string[]> {
  const engine = await connectEngine({ cacheDir: defaultCacheDir(), log: () => {} });
  const mine = { label: [`${LABEL_PID}=${pid}`] };
  const containers = await engine.docker.listContainers({ all: true, filters: mine });
  const volumes = await engine.docker.listVolumes({ filters: mine });
  const networks = await engine.docker.listNetworks({ filters: mine });
  return [...containers.flatMap((c) => c.Names), ...(volumes.Volumes ?? []).map((v) => v.Name), ...networks.map((n) => n.Name)];
}

describe('npm run lab (real engine)', () => {
  it('runs a command where the reader stands before the curl block of flask.md, then removes the lab', async () => {
    const r = await lab(
      `content/flask.md:${lineOf('content/flask.md', '$ curl http://$(docker port flask-app 5000)') - 1}`,
      '-c',
      "docker images --format '{{.Repository}}' flask; pwd",
    );
    expect(r.stdout.trim().split('\n')).toEqual(['flask', '/home/lector/curso/flask']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^lab ready in [\d.]+ s: content\/flask\.md, before the block at line \d+$/m);
    expect(r.stderr).toMatch(/files the page wrote: hello\.py \(line \d+\), Dockerfile \(line \d+\)/);
    expect(r.pid).toBeGreaterThan(0);
    expect(await leftBy(r.pid)).toEqual([]);
  });

  it("gives back the command's exit status", async () => {
    const r = await lab('verify/test/engine/pages/pass.md', '-c', 'exit 3');
    expect(r.exitCode).toBe(3);
  });

  it('refuses a LINE that is no block, with exit 2 and the file:line', async () => {
    const r = await lab('content/flask.md:2', '-c', 'true');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('curso-lab: content/flask.md:2: no code block at that line');
    const missing = await lab('content/no-existe.md:3');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('curso-lab: content/no-existe.md:3: no such file or directory');
  });
});

function lineOf(file: string, text: string): number {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const i = lines.indexOf(text);
  if (i < 0) throw new Error(`${file}: no line ${text}`);
  return i + 1;
}
