// A Docker engine on "another machine" for the remote-engine test: a dockerd in a network
// namespace of its own, reached only over TCP through a veth pair. Its 127.0.0.1 is not ours,
// so anything in the harness that talks to "localhost" instead of going through the engine
// fails here, as it would against a real remote host.
import { execa } from 'execa';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Docker from 'dockerode';
import { waitFor } from '../../src/engine/proc.ts';

export interface RemoteEngine {
  dockerHost: string;
  dir: string;
  stop: () => Promise<void>;
}

const NS = 'curso-verify-remote';
const HOST_IF = 'cvr0';
const NS_IF = 'cvr1';
// A /30 from the benchmark range (RFC 2544), unlikely to collide with anything on the host.
const HOST_IP = '198.18.231.1';
const ENGINE_IP = '198.18.231.2';
const PORT = 2375;

const sh = (cmd: string, args: string[]) => execa(cmd, args, { reject: false });

export async function startRemoteEngine(dir: string): Promise<RemoteEngine> {
  await teardownNetwork();
  await execa('ip', ['netns', 'add', NS]);
  await execa('ip', ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF]);
  await execa('ip', ['link', 'set', NS_IF, 'netns', NS]);
  await execa('ip', ['addr', 'add', `${HOST_IP}/30`, 'dev', HOST_IF]);
  await execa('ip', ['link', 'set', HOST_IF, 'up']);
  const inNs = (...args: string[]) => execa('ip', ['netns', 'exec', NS, ...args]);
  await inNs('ip', 'addr', 'add', `${ENGINE_IP}/30`, 'dev', NS_IF);
  await inNs('ip', 'link', 'set', NS_IF, 'up');
  await inNs('ip', 'link', 'set', 'lo', 'up');

  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'exec'), { recursive: true });
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  // nsenter --net only (not `ip netns exec`, which remounts /sys and hides the cgroup mounts).
  const child = spawn(
    'nsenter',
    [
      `--net=/run/netns/${NS}`,
      'dockerd',
      `--host=tcp://${ENGINE_IP}:${PORT}`,
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  closeSync(log);
  const dockerHost = `tcp://${ENGINE_IP}:${PORT}`;
  const docker = new Docker({ host: ENGINE_IP, port: PORT, protocol: 'http' });
  // dockerd waits ~15 s before serving unauthenticated TCP (a warning it insists on).
  const up = await waitFor(
    () =>
      docker.ping().then(
        () => true,
        () => false,
      ),
    90_000,
    500,
  );
  if (!up) throw new Error(`the remote dockerd did not answer on ${dockerHost}; see ${join(dir, 'dockerd.log')}`);
  return {
    dockerHost,
    dir,
    stop: async () => {
      const pid = Number(readFileSync(join(dir, 'dockerd.pid'), 'utf8').trim() || 0);
      if (pid) {
        process.kill(pid, 'SIGTERM');
        await waitFor(async () => !alive(pid), 60_000, 200);
      }
      await teardownNetwork();
      // Its containers' mounts are gone with dockerd; what is left is plain files.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function teardownNetwork(): Promise<void> {
  await sh('ip', ['link', 'del', HOST_IF]);
  await sh('ip', ['netns', 'del', NS]);
}
