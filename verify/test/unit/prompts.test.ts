import { describe, expect, it } from 'vitest';
import { commandsToCopy, opensInteractiveSession, parsePrompt } from '../../src/extract/prompts.ts';
import { stepTimeoutMs } from '../../src/run/timeouts.ts';

describe('prompts', () => {
  it.each([
    ['$ docker ps', 'host', '$', 'docker ps'],
    ['bash-4.3$ docker inspect cont1', 'host', 'bash-4.3$', 'docker inspect cont1'],
    ['user@host:~/dir$ ls', 'host', 'user@host:~/dir$', 'ls'],
    ['root@1dbc76e3acdb:/# python', 'container', 'root@1dbc76e3acdb:/#', 'python'],
    ['root@cont1:/#', 'container', 'root@cont1:/#', ''],
  ])('%s is a %s prompt', (line, kind, prompt, command) => {
    expect(parsePrompt(line, false)).toEqual({ kind, prompt, command });
  });

  it('does not take output for a prompt', () => {
    expect(parsePrompt('total$', false)).toBeNull();
    expect(parsePrompt('  a842945e2414', false)).toBeNull();
    expect(parsePrompt('>>> 1+1', false)).toBeNull();
    expect(parsePrompt('>>> 1+1', true)).toEqual({ kind: 'python', prompt: '>>>', command: '1+1' });
    // A bare `...` is the course's elision, not Python's continuation prompt.
    expect(parsePrompt('...', true)).toBeNull();
  });

  it.each([
    ['docker run -it ubuntu bash', true],
    ['docker run -t -i ubuntu:14.04 /bin/bash', true],
    ['docker exec -ti abc /bin/bash', true],
    ['docker run --interactive --tty debian bash', true],
    ['docker run -d -p 80:80 nginx', false],
    ['docker run -i busybox cat', false],
    ['echo -it', false],
  ])('%s opens an interactive session: %s', (cmd, yes) => {
    expect(opensInteractiveSession(cmd)).toBe(yes);
  });

  it('copies commands (with continuation lines) but no prompts or output', () => {
    const block = [
      '$ docker run --name w \\',
      '     -d wordpress',
      'a842945e2414',
      '$ docker run -it ubuntu bash',
      'root@abc:/# ls',
      'bin',
      'root@abc:/# exit',
    ].join('\n');
    expect(commandsToCopy(block)).toBe('docker run --name w \\\n     -d wordpress\ndocker run -it ubuntu bash\nls\nexit');
  });
});

describe('step timeouts', () => {
  it('gives builds and installs a long limit, everything else a short one, annotations win', () => {
    expect(stepTimeoutMs('docker build -t x .', undefined)).toBe(900_000);
    expect(stepTimeoutMs('apt-get install -y python', undefined)).toBe(900_000);
    expect(stepTimeoutMs('docker events', undefined)).toBe(60_000);
    expect(stepTimeoutMs('docker events', 5)).toBe(5_000);
    expect(stepTimeoutMs('docker events', undefined, 0.1)).toBe(6_000);
  });
});
