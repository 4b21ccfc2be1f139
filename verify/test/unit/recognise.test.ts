import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/markdown.ts';
import { looksLikeCommand, recognise } from '../../src/extract/recognise.ts';
import { afterOf, errorOf, skipOf, stepsOf, writeToOf } from './blocks.ts';
import { causeWords } from '../../src/report/cause-words.ts';

// Pages by other course authors put files and output in shell fences. None of those lines may
// ever be typed into a shell: the harness reads what the block holds, not only its label.

const lines = (s: string) => s.split('\n');
const blocks = (md: string) => extractPage('p.md', md).blocks;

describe('recognise: what a prompt-less shell block holds', () => {
  it('a Dockerfile by its first instruction (FROM, ARG) or a # syntax directive', () => {
    expect(recognise(lines('FROM ubuntu\nRUN apt-get update'))).toMatchObject({ as: 'file', format: 'dockerfile' });
    expect(recognise(lines('# Una imagen mínima\nARG VERSION=3\nFROM busybox'))).toMatchObject({ as: 'file', format: 'dockerfile' });
    expect(recognise(lines('# syntax=docker/dockerfile:1\nFROM busybox'))).toMatchObject({ as: 'file', format: 'dockerfile' });
  });

  it('a Compose file, other YAML, and JSON', () => {
    expect(recognise(lines("version: '3'\nservices:\n  web:\n    image: nginx"))).toMatchObject({ as: 'file', format: 'compose' });
    expect(recognise(lines('name: ci\non:\n  push:\n    branches: [main]'))).toMatchObject({ as: 'file', format: 'yaml' });
    expect(recognise(lines('{\n  "dns": ["8.8.8.8"]\n}'))).toMatchObject({ as: 'file', format: 'json' });
    expect(recognise(lines('[ -f x ] && echo yes'))).toEqual({ as: 'commands' });
  });

  it('output: a table with a header row, a listing, lines that are not commands', () => {
    expect(recognise(lines('CONTAINER ID   IMAGE     COMMAND   CREATED\na842945e2414   busybox   "sh"      1 minute ago'))).toMatchObject({
      as: 'output',
      why: expect.stringContaining('CONTAINER ID'),
    });
    expect(recognise(lines('REPOSITORY   TAG       IMAGE ID       CREATED        SIZE'))).toMatchObject({ as: 'output' });
    expect(recognise(lines('NETWORK ID     NAME      DRIVER    SCOPE\n7fca4eb8c647   bridge    bridge    local'))).toMatchObject({
      as: 'output',
    });
    expect(
      recognise(lines('total 8\n-rw-r--r-- 1 root root 189 Dec  8 13:41 hello.py\ndrwxr-xr-x 2 root root 4096 Dec  8 13:41 app')),
    ).toMatchObject({ as: 'output', why: 'a listing of files' });
    expect(
      recognise(lines('Hello from Docker!\nThis message shows that your installation appears to be working correctly.')),
    ).toMatchObject({ as: 'output' });
  });

  it('commands, with heredocs and continuation lines, and comments', () => {
    expect(recognise(lines('# build it\ndocker build -t app .\ndocker run --rm \\\n  app'))).toEqual({ as: 'commands' });
    expect(recognise(lines('cat > Dockerfile <<EOF\nFROM busybox\nCMD ["echo", "hi"]\nEOF\ndocker build .'))).toEqual({ as: 'commands' });
  });

  it('commands followed by their output, without prompts', () => {
    expect(recognise(lines('docker ps\nCONTAINER ID   IMAGE\na842945e2414   busybox'))).toMatchObject({ as: 'commands-with-output' });
  });

  it('output before any command cannot be read safely', () => {
    expect(recognise(lines('Hello from Docker!\ndocker ps'))).toMatchObject({ as: 'unclear', index: 0 });
  });

  it.each([
    ['docker run busybox', true],
    ['./run.sh', true],
    ['FOO=bar docker compose up', true],
    ['sudo usermod -aG docker $USER', true],
    ['{ echo a; echo b; }', true],
    ['FROM ubuntu', false],
    ['CONTAINER ID   IMAGE', false],
    ['a842945e2414132011ae704b0c4a4184acc4016d199dfd4e7181c9b89092de13', false],
    ['64 bytes from 127.0.0.1: icmp_seq=1', false],
    ['version: "3"', false],
    ['drwxr-xr-x 2 root root 4096 app', false],
    ['<h1>hola</h1>', false],
    [' * Serving Flask app', false],
    ['...', false],
    ['/bin/sh: 1: nope: not found', false],
  ])('%s looks like a command: %s', (line, yes) => {
    expect(looksLikeCommand(line)).toBe(yes);
  });
});

describe('extractPage: content, not only the fence label, decides what a block is', () => {
  it('writes a Compose file in a bash fence under the name the sentence before gives', () => {
    const [b] = blocks(
      'Creamos el archivo `docker-compose.yml` en `app`:\n\n```bash\nversion: "3"\nservices:\n  web:\n    image: busybox\n```\n',
    );
    expect(b).toMatchObject({ kind: 'file', writeTo: 'docker-compose.yml' });
    expect([stepsOf(b!), errorOf(b)]).toEqual([[], null]);
    expect(b!.recognised).toMatch(/Compose file.*docker-compose\.yml.*sentence before/);
  });

  it("writes a Compose file whose name the page does not give as compose.yaml, Compose's default, and says why", () => {
    const [b] = blocks('Así queda:\n\n```bash\nservices:\n  web:\n    image: busybox\n```\n');
    expect(b).toMatchObject({ kind: 'file' });
    expect(writeToOf(b)).toBe('compose.yaml');
    expect(skipOf(b)).toBeNull();
    expect(b!.recognised).toMatch(/^a Compose file .*no name given: written as `compose\.yaml`, Compose's default$/);
  });

  it('shows a YAML document that is not a Compose file and has no name, and says why', () => {
    const [b] = blocks('Así queda:\n\n```bash\nname: demo\nversion: 2\n```\n');
    expect(b).toMatchObject({ kind: 'display' });
    expect(writeToOf(b)).toBeNull();
    expect(skipOf(b)).toEqual({ kind: 'display', annotated: false, lang: 'bash', looksLike: 'yaml' });
    expect(causeWords(skipOf(b)!)).toMatch(
      /^display only: looks like a yaml file in a `bash` block, and the sentence before gives no file name/,
    );
  });

  it("reads a file's name in emphasis, bold or plain words, preferring code", () => {
    const names = (prose: string) => writeToOf(blocks(`${prose}\n\n\`\`\`yaml\nkey: 1\n\`\`\`\n`)[0]);
    expect(names('Crear el archivo *docker-compose.yml* con este contenido:')).toBe('docker-compose.yml');
    expect(names('Crear el archivo **config.yaml**:')).toBe('config.yaml');
    expect(names('Guarda esto en el archivo ajustes.yml:')).toBe('ajustes.yml');
    expect(names('El archivo `a.yml` (no *b.yml*, ni c.yml):')).toBe('a.yml');
    expect(names('Un archivo sin nombre:')).toBeNull();
  });

  it('writes a Dockerfile in a bash fence to Dockerfile', () => {
    const [b] = blocks('```bash\nFROM ubuntu\nRUN echo hi\n```\n');
    expect(b).toMatchObject({ kind: 'file', writeTo: 'Dockerfile' });
  });

  it('skips an output table shown after a prose mention, with the reason', () => {
    const [b] = blocks('y luego ejecutamos `docker ps` veremos:\n\n```bash\nCONTAINER ID   IMAGE     COMMAND   CREATED\n```\n');
    expect(b!.kind).toBe('display');
    expect(skipOf(b)).toEqual({ kind: 'shown-output', annotated: false });
    expect(causeWords(skipOf(b)!)).toBe('output shown without its command');
    // What gave it away is still told, in how the block was read.
    expect(b!.recognised).toMatch(/^output: a table with the header row `CONTAINER ID IMAGE …`/);
  });

  it('reads commands and their output without prompts as steps, never typing the output', () => {
    const [b] = blocks('```\ndocker ps -a\nCONTAINER ID   IMAGE\n# a comment\ndocker images\nREPOSITORY   TAG\n```\n');
    expect(stepsOf(b!).map((s) => [s.line, s.promptKind, s.command, s.expected?.lines])).toEqual([
      [2, 'none', 'docker ps -a', ['CONTAINER ID   IMAGE']],
      [5, 'none', 'docker images', ['REPOSITORY   TAG']],
    ]);
  });

  it('reports output before any command as bad input at its line', () => {
    const [b] = blocks('text\n\n```bash\nHello from Docker!\ndocker ps\n```\n');
    expect(errorOf(b)).toMatch(/^line 4: `Hello from Docker!` is not a command/);
  });

  it('leaves blocks with prompts and labelled files as they were', () => {
    const [a, c] = blocks('```bash\n$ FROM=1 echo $FROM\n1\n```\n\n```yaml title="compose.yaml"\nservices: {}\n```\n');
    expect(a!.kind).toBe('session');
    expect(a!.recognised).toBeNull();
    expect(c).toMatchObject({ kind: 'file', writeTo: 'compose.yaml', recognised: null });
  });

  it('writes a labelled yaml or python block the sentence before names', () => {
    const [a, c] = blocks(
      'Creamos `compose.yaml`:\n\n```yaml\nservices: {}\n```\n\nY el programa, `app.py`:\n\n```python\nprint(1)\n```\n',
    );
    expect(a).toMatchObject({ kind: 'file', writeTo: 'compose.yaml' });
    expect(c).toMatchObject({ kind: 'file', writeTo: 'app.py' });
  });

  it('ignores a name of the wrong kind or outside the working directory', () => {
    const [a, c] = blocks('Abrimos `notas.txt`:\n\n```yaml\nname: demo\n```\n\nEn `../app.py`:\n\n```python\nprint(1)\n```\n');
    expect(a!.kind).toBe('display');
    expect(c!.kind).toBe('display');
  });
});

describe('annotations override the reading', () => {
  it('verify-as=session types every line, verify-as=output shows the block', () => {
    const [a, c] = blocks('```bash verify-as=session\nFROM=x env\n```\n\n```bash verify-as=output\ndocker ps\n```\n');
    expect(a).toMatchObject({ kind: 'session', recognised: 'read as commands (verify-as=session)' });
    expect(c).toMatchObject({ kind: 'display', skip: { kind: 'shown-output', annotated: true } });
    expect(causeWords(skipOf(c)!)).toBe('output shown without its command (verify-as=output)');
  });

  it('verify-file names a file without a visible title; verify-as=file takes the name from the prose', () => {
    const [a, c] = blocks(
      '```bash verify-file="compose.yaml"\nservices: {}\n```\n\nEl script `run.sh`:\n\n```sh verify-as=file\necho hi\n```\n',
    );
    expect(a).toMatchObject({ kind: 'file', writeTo: 'compose.yaml' });
    expect(c).toMatchObject({ kind: 'file', writeTo: 'run.sh' });
  });

  it('rejects contradictions and unknown values at the fence line', () => {
    const [a, c, d] = blocks(
      '```bash verify-as=output verify-file=x.yml\na: 1\n```\n\n```bash verify-as=maybe\nls\n```\n\n```text verify-as=file\nhola\n```\n',
    );
    expect(errorOf(a)).toMatch(/contradicts verify-as=output/);
    expect(errorOf(c)).toMatch(/verify-as is one of session, file, output, display/);
    expect(errorOf(d)).toMatch(/verify-as=file needs the file's name/);
  });
});

describe('^C and what follows it', () => {
  it('keeps what the interrupted program prints after ^C as its own documented output', () => {
    const md =
      '```console\n$ ping localhost\nPING localhost (127.0.0.1) 56(84) bytes of data.\n^C\n--- localhost ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss\n$ echo $?\n0\n```\n';
    const [b] = blocks(md);
    expect(errorOf(b)).toBeNull();
    const [ping, echo] = stepsOf(b!);
    expect(ping).toMatchObject({
      outcome: { expect: 'interrupted' },
      expected: { lines: ['PING localhost (127.0.0.1) 56(84) bytes of data.'], startLine: 3, endLine: 3 },
    });
    expect(afterOf(ping)).toEqual({
      lines: ['--- localhost ping statistics ---', '1 packets transmitted, 1 received, 0% packet loss'],
      startLine: 5,
      endLine: 6,
    });
    expect(afterOf(echo)).toBeNull();
  });

  it('reads text on the ^C line as the first line after it', () => {
    const [b] = blocks(
      '```console\n$ docker compose up\nAttaching to web-1\n^CGracefully stopping... (press Ctrl+C again to force)\n```\n',
    );
    expect(afterOf(stepsOf(b!)[0])?.lines).toEqual(['Gracefully stopping... (press Ctrl+C again to force)']);
  });

  it('rejects a second ^C for the same command, at its line', () => {
    const [b] = blocks('```console\n$ docker compose up\n^C\nGracefully stopping\n^C\n```\n');
    expect(errorOf(b)).toMatch(/^line 5: a second `\^C`/);
  });
});
