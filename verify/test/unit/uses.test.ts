import { describe, expect, it } from 'vitest';
import { dockerfileSources } from '../../src/run/build-uses.ts';
import { composeReferences } from '../../src/run/compose-uses.ts';
import { directoryAfter, filesReplacedBy, filesUsedBy, type WrittenFile } from '../../src/run/uses.ts';

// A file block is judged by the first step that uses it: which step is that?

const W = '/home/lector/curso';
const file = (path: string, content = ''): WrittenFile => ({ path: path.startsWith('/') ? path : `${W}/${path}`, content });
const used = (command: string, files: WrittenFile[], cwd = W) => filesUsedBy(command, cwd, files).map((f) => f.path.replace(`${W}/`, ''));

describe('filesUsedBy', () => {
  const dockerfile = file('Dockerfile', 'FROM busybox\nCOPY hello.py /tmp/hello.py\n');
  const hello = file('hello.py', 'print(1)');
  const notes = file('notas.txt', 'x');

  it('a build uses its Dockerfile and the files it copies, not everything in the context', () => {
    expect(used('docker build -t flask .', [dockerfile, hello, notes])).toEqual(['Dockerfile', 'hello.py']);
    expect(used('docker image build --tag x --build-arg A=1 .', [dockerfile, hello])).toEqual(['Dockerfile', 'hello.py']);
    expect(used('docker buildx build -t x .', [dockerfile])).toEqual(['Dockerfile']);
  });

  it('a build with -f, in another directory, after a cd, from stdin', () => {
    const dev = file('app/Dockerfile.dev', 'FROM busybox\nCOPY . /src\n');
    const src = file('app/main.py');
    expect(used('docker build -f app/Dockerfile.dev app', [dev, src, dockerfile])).toEqual(['app/Dockerfile.dev', 'app/main.py']);
    expect(used('cd app && docker build -f Dockerfile.dev .', [dev, src])).toEqual(['app/Dockerfile.dev', 'app/main.py']);
    expect(used('docker build -t x - < Dockerfile', [dockerfile])).toEqual(['Dockerfile']);
    expect(used('docker build https://github.com/x/y.git', [dockerfile])).toEqual([]);
  });

  it('without the Dockerfile written by the page, the whole context counts', () => {
    expect(used('docker build .', [hello, notes])).toEqual(['hello.py', 'notas.txt']);
  });

  it('docker compose reads its file, its build contexts and bind mounts', () => {
    const compose = file(
      'docker-compose.yml',
      "version: '3'\nservices:\n  web:\n    build: .\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf\n",
    );
    const conf = file('nginx.conf');
    expect(used('docker compose up -d', [compose, dockerfile, hello, conf, notes])).toEqual([
      'docker-compose.yml',
      'Dockerfile',
      'hello.py',
      'nginx.conf',
    ]);
    expect(used('docker compose ps', [compose, dockerfile])).toEqual(['docker-compose.yml']);
    expect(used('docker-compose -f docker-compose.yml up', [compose])).toEqual(['docker-compose.yml']);
    expect(used('docker compose version', [compose])).toEqual([]);
    const other = file('stack/compose.yaml', 'services:\n  db:\n    image: mariadb:11.8\n');
    expect(used('docker compose up', [other])).toEqual([]);
    expect(used('docker compose -f stack/compose.yaml up', [other])).toEqual(['stack/compose.yaml']);
    expect(used('docker compose --project-directory stack up', [other])).toEqual(['stack/compose.yaml']);
  });

  it('docker run uses bind-mounted files and env files, never names inside the container', () => {
    const conf = file('web/index.html');
    expect(used('docker run -d -p 8080:80 -v "$PWD/web":/www busybox httpd -f -h /www', [conf])).toEqual(['web/index.html']);
    expect(used('docker run --rm -v $(pwd):/app busybox ls /app', [conf])).toEqual(['web/index.html']);
    expect(used('docker run --mount type=bind,source=./web,target=/www busybox true', [conf])).toEqual(['web/index.html']);
    expect(used('docker run --env-file app.env busybox env', [file('app.env')])).toEqual(['app.env']);
    expect(used('docker run -v datos:/data busybox cat hello.py', [hello])).toEqual([]);
    expect(used('docker run -itv ./web:/www busybox sh', [conf])).toEqual(['web/index.html']);
  });

  it('a command that runs or reads the file uses it; one that only looks at it does not', () => {
    expect(used('python3 hello.py', [hello])).toEqual(['hello.py']);
    expect(used('chmod +x run.sh && ./run.sh', [file('run.sh')])).toEqual(['run.sh']);
    expect(used('curl -s -d @body.json localhost:8080', [file('body.json')])).toEqual(['body.json']);
    expect(used('mysql -u root < dump.sql', [file('dump.sql')])).toEqual(['dump.sql']);
    expect(used('cat hello.py', [hello])).toEqual([]);
    expect(used('ls -l hello.py && rm hello.py', [hello])).toEqual([]);
    expect(used('echo hello.py > list.txt', [hello, file('list.txt')])).toEqual([]);
  });

  it('follows cd within the command, $PWD and ~', () => {
    const app = file('app/app.py');
    expect(used('mkdir -p app && cd app && python app.py', [app])).toEqual(['app/app.py']);
    expect(used('python $PWD/hello.py', [hello])).toEqual(['hello.py']);
    expect(used('python ~/curso/hello.py', [hello])).toEqual(['hello.py']);
    expect(used('python hello.py', [hello], `${W}/other`)).toEqual([]);
    // The reader is lector: `~` and a bare `cd` are their home, not root's.
    expect(used('cd && python curso/hello.py', [hello])).toEqual(['hello.py']);
  });

  it('ignores the body of a heredoc', () => {
    expect(used('cat > x.sh <<EOF\npython hello.py\nEOF', [hello])).toEqual([]);
  });
});

describe('the shell state a command leaves', () => {
  it('a heredoc or a redirection replaces the file; >> does not', () => {
    expect(filesReplacedBy('cat > Dockerfile <<EOF\nFROM busybox\nEOF', W)).toEqual([`${W}/Dockerfile`]);
    expect(filesReplacedBy('echo hi >> notas.txt; echo 2>&1 x', W)).toEqual([]);
  });

  it('the directory after cd', () => {
    expect(directoryAfter('mkdir proyecto && cd proyecto', W)).toBe(`${W}/proyecto`);
    expect(directoryAfter('cd /tmp; cd ..', W)).toBe('/');
    expect(directoryAfter('echo cd x', W)).toBe(W);
  });
});

describe('what files refer to', () => {
  it('the sources a Dockerfile copies', () => {
    expect(
      dockerfileSources(
        'FROM x\nCOPY hello.py /tmp/\nADD ["a b.txt", "c", "/d/"]\nCOPY --from=build /out /out\nCOPY --chown=1:1 app/ /app\nADD https://x.org/f /f\nCOPY <<EOF /x\n',
      ),
    ).toEqual(['hello.py', 'a b.txt', 'c', 'app/']);
    expect(dockerfileSources('FROM x\nCOPY a \\\n  b /dst/\n')).toEqual(['a', 'b']);
  });

  it('the host paths a Compose file refers to', () => {
    const yaml =
      'services:\n  app:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.dev\n    env_file:\n      - ./app.env\n    volumes:\n      - ./data:/data\n      - named:/x\n  db:\n    build: "./db"\n';
    expect(composeReferences(yaml, true)).toEqual({
      builds: [
        { context: './app', dockerfile: 'Dockerfile.dev' },
        { context: './db', dockerfile: null },
      ],
      paths: ['./app.env', './data'],
    });
    expect(composeReferences(yaml, false).builds).toEqual([]);
  });
});
