import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/engine/engine.ts';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { LABEL_PID } from '../../src/engine/labels.ts';
import { ReportSchema, type Report } from '../../src/model/report.ts';

// The engine dies in the middle of a page. The harness reaches the real engine through a
// socket proxy this test owns (DOCKER_HOST), and the test kills the proxy once the first block
// has passed: to the harness, the engine stops answering, exactly as if it had been killed,
// without taking the engine away from anything else on this machine.

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const page = path.join(import.meta.dirname, 'engine-death/page.md');
const work = mkdtempSync(path.join(tmpdir(), 'curso-engine-death-'));
const proxySocket = path.join(work, 'docker.sock');

let realSocket: string;
let proxy: net.Server;
const open = new Set<net.Socket>();

function startProxy(): Promise<void> {
  proxy = net.createServer((client) => {
    const upstream = net.connect(realSocket);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  return new Promise((res) => proxy.listen(proxySocket, res));
}

function killProxy(): void {
  proxy.close();
  for (const s of open) s.destroy();
}

let report: Report;
let exitCode: number | undefined;
let output = '';
let secondsAfterKill = 0;
let deadPid: number | undefined;

beforeAll(async () => {
  const engine = await connectEngine({ cacheDir: defaultCacheDir(), log: () => {} });
  if (!engine.socketPath) throw new Error('this test needs a unix-socket engine');
  realSocket = engine.socketPath;
  await startProxy();
  const child = execa(process.execPath, [cli, '--no-color', '--no-snapshot', page, '--report', path.join(work, 'r.json')], {
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0', DOCKER_HOST: `unix://${proxySocket}` },
  });
  deadPid = child.pid;
  let killedAt = 0;
  child.all!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    // The first block passed and the second one is under way: the engine goes.
    if (!killedAt && /✓ .*page\.md:5/.test(output)) {
      killedAt = Date.now();
      setTimeout(killProxy, 2_000);
    }
  });
  const run = await child;
  exitCode = run.exitCode;
  secondsAfterKill = (Date.now() - killedAt) / 1000;
  report = ReportSchema.parse(JSON.parse(readFileSync(path.join(work, 'r.json'), 'utf8')));
}, 600_000);

afterAll(() => killProxy());

describe('a dying engine loses nothing (real engine)', () => {
  it('stops within 30 s with exit 2 and one line saying what happened and where, no stack trace', () => {
    expect(exitCode, output).toBe(2);
    expect(secondsAfterKill).toBeLessThan(32);
    expect(output).toMatch(/the Docker engine at unix:\/\/.*docker\.sock.* stopped answering during .*page\.md/);
    expect(output).not.toMatch(/internal error|\n\s+at .*\.ts:\d+/);
  });

  it('still writes the report: what was verified, the unfinished blocks as errors, the fatal reason', () => {
    expect(report.blocks.map((b) => [b.line, b.status])).toEqual([
      [5, 'passed'],
      [10, 'error'],
      [15, 'error'],
    ]);
    expect(report.run.fatal).toMatch(/stopped answering/);
  });

  it('the next run, on the engine itself, starts cleanly and removes what the dead run left', async () => {
    const next = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', `${page}:5`], {
      reject: false,
      all: true,
      env: { FORCE_COLOR: '0' },
    });
    expect(next.exitCode, next.all).toBe(0);
    const engine = await connectEngine({ cacheDir: defaultCacheDir(), log: () => {} });
    const filters = { label: [`${LABEL_PID}=${deadPid}`] };
    expect((await engine.docker.listContainers({ all: true, filters })).map((c) => c.Names)).toEqual([]);
    expect((await engine.docker.listNetworks({ filters })).map((n) => n.Name)).toEqual([]);
    expect(((await engine.docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Name)).toEqual([]);
  });
});
