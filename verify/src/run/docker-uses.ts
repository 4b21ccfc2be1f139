import posix from 'node:path/posix';
import { buildUses } from './build-uses.ts';
import { options } from './command-options.ts';
import { composeUses } from './compose-uses.ts';
import { resolvePath } from './shell-words.ts';
import type { Marks, WrittenFile } from './uses.ts';

// What a `docker …` command uses of the files on the reader's machine: a build's Dockerfile and
// what it copies, Compose files, bind mounts and env files of `docker run`, `docker cp`'s
// source, `docker load`/`import`'s archive. Pure.

/** Options of `docker build` that take a value as the next word. */
const BUILD_VALUE_OPTS = new Set([
  '-t',
  '--tag',
  '-f',
  '--file',
  '--build-arg',
  '--target',
  '--platform',
  '--network',
  '--label',
  '--secret',
  '--ssh',
  '--cache-from',
  '--cache-to',
  '-o',
  '--output',
  '--progress',
  '--iidfile',
  '--add-host',
  '--build-context',
  '--shm-size',
  '-m',
  '--memory',
  '--memory-swap',
  '--cpu-shares',
  '-c',
  '--cpuset-cpus',
  '--cgroup-parent',
  '--ulimit',
  '--isolation',
  '--metadata-file',
  '--builder',
  '--attest',
  '--annotation',
  '--allow',
  '--call',
  '--sbom',
  '--provenance',
]);
/** Options of `docker run`/`create` that take a value (the short ones by letter). */
const RUN_SHORT_VALUE = new Set(['a', 'c', 'e', 'h', 'l', 'm', 'p', 'u', 'v', 'w']);
const RUN_VALUE_OPTS = new Set([
  '--add-host',
  '--annotation',
  '--attach',
  '--blkio-weight',
  '--cap-add',
  '--cap-drop',
  '--cgroup-parent',
  '--cgroupns',
  '--cidfile',
  '--cpu-period',
  '--cpu-quota',
  '--cpu-shares',
  '--cpus',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--detach-keys',
  '--device',
  '--dns',
  '--dns-option',
  '--dns-search',
  '--domainname',
  '--entrypoint',
  '--env',
  '--env-file',
  '--expose',
  '--gpus',
  '--group-add',
  '--health-cmd',
  '--health-interval',
  '--health-retries',
  '--health-start-period',
  '--health-timeout',
  '--hostname',
  '--ip',
  '--ip6',
  '--ipc',
  '--isolation',
  '--label',
  '--label-file',
  '--link',
  '--log-driver',
  '--log-opt',
  '--mac-address',
  '--memory',
  '--memory-reservation',
  '--memory-swap',
  '--mount',
  '--name',
  '--network',
  '--net',
  '--network-alias',
  '--oom-score-adj',
  '--pid',
  '--pids-limit',
  '--platform',
  '--publish',
  '--pull',
  '--restart',
  '--runtime',
  '--security-opt',
  '--shm-size',
  '--stop-signal',
  '--stop-timeout',
  '--storage-opt',
  '--sysctl',
  '--tmpfs',
  '--ulimit',
  '--user',
  '--userns',
  '--uts',
  '--volume',
  '--volume-driver',
  '--volumes-from',
  '--workdir',
]);
/** Options of `docker` itself that take a value. */
export const DOCKER_VALUE_OPTS = new Set([
  '-H',
  '--host',
  '-c',
  '--context',
  '--config',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
]);

/** Marks the files `docker <args>` uses (`args`: after `docker` and its own options). */
export function dockerUses(args: string[], dir: string, files: readonly WrittenFile[], m: Marks): void {
  let [sub, ...rest] = args;
  if ((sub === 'image' || sub === 'container' || sub === 'buildx' || sub === 'builder') && rest.length > 0) {
    const [inner, ...more] = rest;
    if (sub === 'buildx' && inner !== 'build') return;
    sub = inner;
    rest = more;
  }
  switch (sub) {
    case 'build': {
      const { positionals, values } = options(rest, BUILD_VALUE_OPTS);
      const context = positionals.at(-1);
      const dockerfile = values.get('-f') ?? values.get('--file');
      if (!context || context === '-' || /^[a-z]+:\/\//.test(context)) {
        if (dockerfile && dockerfile !== '-') m.exactly(dockerfile);
        return;
      }
      buildUses(resolvePath(dir, context), resolvePath(dir, dockerfile ?? posix.join(context, 'Dockerfile')), files, m);
      return;
    }
    case 'compose':
      composeUses(rest, dir, files, m);
      return;
    case 'run':
    case 'create': {
      for (let i = 0; i < rest.length; i++) {
        const w = rest[i]!;
        if (!w.startsWith('-') || w === '-') break; // the image: what follows is the container's command
        let opt = w;
        let value: string | undefined;
        if (w.startsWith('--') && w.includes('=')) [opt, value] = [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)];
        else if (w.startsWith('--')) value = RUN_VALUE_OPTS.has(w) ? rest[++i] : undefined;
        else {
          // `-it`, `-dp 80:80`, `-v./x:/y`: only the last letter of a bundle may take a value.
          const letters = w.slice(1);
          const k = [...letters].findIndex((l) => RUN_SHORT_VALUE.has(l));
          if (k >= 0) [opt, value] = [`-${letters[k]}`, k < letters.length - 1 ? letters.slice(k + 1) : rest[++i]];
        }
        if (value === undefined) continue;
        if (opt === '-v' || opt === '--volume') {
          const source = value.split(':')[0]!;
          if (/^[./~]/.test(source)) m.within(source);
        } else if (opt === '--mount') {
          const fields = new Map(value.split(',').map((kv) => [kv.split('=')[0]!, kv.split('=').slice(1).join('=')]));
          const source = fields.get('source') ?? fields.get('src');
          if (fields.get('type') === 'bind' && source) m.within(source);
        } else if (opt === '--env-file' || opt === '--label-file') {
          m.exactly(value);
        }
      }
      return;
    }
    case 'cp': {
      const source = rest.filter((w) => !w.startsWith('-'))[0];
      if (source && !/^[\w.-]+:/.test(source)) m.within(source);
      return;
    }
    case 'load':
    case 'import': {
      const { positionals, values } = options(rest, new Set(['-i', '--input', '-c', '--change', '-m', '--message', '--platform']));
      const input = values.get('-i') ?? values.get('--input') ?? (sub === 'import' ? positionals[0] : undefined);
      if (input && input !== '-') m.exactly(input);
      return;
    }
  }
}
