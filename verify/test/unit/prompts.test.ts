import { describe, expect, it } from 'vitest';
import { commandsToCopy } from '../../src/extract/copy.ts';
import { extractPage } from '../../src/extract/markdown.ts';
import { opensInteractiveSession, parsePrompt } from '../../src/extract/prompts.ts';
import { stepTimeoutMs } from '../../src/run/timeouts.ts';
import { stepsOf } from './blocks.ts';

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

  // The copy button and the harness read prompts with one parser: what is copied is what is typed.
  it.each([
    ['a heredoc, with its body', ['$ cat > app.py <<EOF', 'print("hola")', 'EOF', '$ python3 app.py', 'hola']],
    ["bash's `> ` continuation prompt, dropped", ['$ echo uno \\', '> dos', 'uno dos']],
    ['a REPL a plain `python3` opened', ['$ python3', 'Python 3.13.5', '>>> print(1 + 1)', '2', '>>> exit()']],
    [
      'an indented block, a bare Enter, ^C and a final prompt',
      ['  $ ping localhost', '  PING localhost', '  ^C', '  $', '  $ docker run -it debian bash', '  root@1dbc76e3acdb:/#'],
    ],
  ])('copies what the harness types: %s', (_, lines) => {
    const [block] = extractPage('p.md', `\`\`\`console\n${lines.join('\n')}\n\`\`\`\n`).blocks;
    const typed = stepsOf(block)
      .map((s) => s.command)
      .filter((c) => c !== '');
    expect(typed.length).toBeGreaterThan(0);
    expect(commandsToCopy(lines.join('\n'))).toBe(typed.join('\n'));
  });

  it('copies a block without prompts whole (null: the button keeps it as written)', () => {
    expect(commandsToCopy('docker ps\n# and the images\ndocker images')).toBeNull();
    expect(commandsToCopy('FROM debian:trixie\nCMD ["bash"]')).toBeNull();
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
