// The python:3.13-slim and python:3.13 stand-ins and the offline package index, against the real
// engine (no mocks): the images are built (or reused, same recipe hash) as the harness makes them
// (ensureImages), the index runs on a network this test creates, and every check is a container
// doing what the official image's documentation and the course do with it. Last, the course's own
// path: a `docker build` FROM python:3.13-slim with `RUN pip install flask` inside a lab.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { removeRun } from '../../src/engine/cleanup.ts';
import { connectEngine, type Engine } from '../../src/engine/engine.ts';
import { prepareEngine, type Lab, type PreparedEngine } from '../../src/engine/index.ts';
import { runLabels, slug } from '../../src/engine/labels.ts';
import { ensurePackageIndexImage, PACKAGE_INDEX_URL, startPackageIndex, type PackageIndexImage } from '../../src/engine/package-index.ts';
import { run, type RunResult } from '../../src/engine/proc.ts';
import { TRIXIE_PYTHON_VERSION } from '../../src/engine/stand-ins/python.ts';
import { ensureStandIns } from './stand-ins.ts';

const log = (msg: string) => console.log(`[python] ${msg}`);
const SLIM = 'python:3.13-slim';
const FULL = 'python:3.13';

const HELLO_PY = `from flask import Flask

app = Flask(__name__)

@app.route("/")
def hello():
    return "Hello World!"

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
`;

let engine: Engine;
const runId = `python-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const network = `curso-verify-${slug(runId)}`;
let index: PackageIndexImage;

/** `docker run --rm` on the test network, labelled with the run id (cleanup finds leftovers). */
function dockerRun(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const labels = Object.entries(runLabels(runId, 'python-test')).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const interactive = opts.input === undefined ? [] : ['-i'];
  return run('docker', ['run', '--rm', ...interactive, '--network', network, ...labels, ...args], {
    env: engine.env,
    input: opts.input,
    timeoutMs: opts.timeoutMs ?? 180_000,
  });
}

/** `sh -c script` in `image` on the test network. */
const sh = (image: string, script: string, extra: string[] = []) => dockerRun([...extra, image, 'sh', '-c', script]);

beforeAll(async () => {
  engine = await connectEngine({ cacheDir: defaultCacheDir(), log });
  const t = Date.now();
  [index] = await Promise.all([ensurePackageIndexImage(engine, { log }), ensureStandIns(engine, [SLIM, FULL], log)]);
  log(`images ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  await engine.docker.createNetwork({ Name: network, Driver: 'bridge', Labels: runLabels(runId, 'network') });
  const started = await startPackageIndex(engine, { runId, network, image: index.ref, log });
  expect(started.url).toBe(PACKAGE_INDEX_URL);
});

afterAll(async () => {
  if (engine) await removeRun(engine, runId);
});

describe('python:3.13-slim stand-in', () => {
  it("has the official image's CMD and environment", async () => {
    const { Config } = await engine.docker.getImage(SLIM).inspect();
    expect(Config.Cmd).toEqual(['python3']);
    expect(Config.Env).toEqual(
      expect.arrayContaining([
        'PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'LANG=C.UTF-8',
        `PYTHON_VERSION=${TRIXIE_PYTHON_VERSION}`,
      ]),
    );
  });

  it('python --version prints Python 3.13.x, as `docker run --rm python:3.13-slim python --version`', async () => {
    const r = await dockerRun([SLIM, 'python', '--version']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim()).toMatch(/^Python 3\.13\.\d+$/);
    expect(r.stdout.trim()).toBe(`Python ${TRIXIE_PYTHON_VERSION}`);
    const r3 = await dockerRun([SLIM, 'python3', '--version']);
    expect(r3.stdout.trim()).toBe(`Python ${TRIXIE_PYTHON_VERSION}`);
  });

  it('runs python3 when given no command', async () => {
    // Without a terminal python3 reads its program from stdin.
    const r = await dockerRun([SLIM], { input: 'import sys\nprint(sys.version_info[:2])\n' });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim()).toBe('(3, 13)');
  });

  it('has pip and pip3 for Python 3.13', async () => {
    const r = await sh(SLIM, 'pip --version && pip3 --version');
    expect(r.exitCode, r.all).toBe(0);
    for (const line of r.stdout.trim().split('\n')) expect(line).toMatch(/^pip \d+\.\d+(\.\d+)? from \S+ \(python 3\.13\)$/);
  });

  it('lets root pip install (no PEP 668 marker) from the index named in /etc/pip.conf', async () => {
    const r = await sh(SLIM, 'ls /usr/lib/python3.13/EXTERNALLY-MANAGED 2>/dev/null; pip config list');
    expect(r.stdout.trim().split('\n')).toEqual(["global.index-url='http://pypi/simple/'", "global.trusted-host='pypi'"]);
  });

  it('makes virtual environments (python -m venv, with pip)', async () => {
    const r = await sh(SLIM, 'python -m venv /tmp/venv && /tmp/venv/bin/pip --version');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/^pip .* from \/tmp\/venv\//);
  });
});

describe('the package index', () => {
  it('serves a PEP 503 simple index whose #sha256 links match the wheels', async () => {
    // Walks the index as pip does, from another container on the network.
    const check = `
import hashlib, re, urllib.request
base = '${PACKAGE_INDEX_URL}'
get = lambda u: urllib.request.urlopen(u, timeout=10).read()
projects = re.findall(r'href="([^"/]+)/"', get(base).decode())
for p in projects:
    for href, sha in re.findall(r'href="([^"#]+)#sha256=([0-9a-f]{64})"', get(base + p + '/').decode()):
        data = get(urllib.request.urljoin(base + p + '/', href))
        assert hashlib.sha256(data).hexdigest() == sha, href
        print(p, href.rsplit('/', 1)[1])
`;
    const r = await dockerRun([index.ref, 'python3', '-c', check]);
    expect(r.exitCode, r.all).toBe(0);
    const wheels = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')),
    );
    for (const p of [
      'flask',
      'werkzeug',
      'jinja2',
      'markupsafe',
      'itsdangerous',
      'click',
      'blinker',
      'requests',
      'urllib3',
      'idna',
      'certifi',
      'charset-normalizer',
    ]) {
      expect(wheels[p], p).toMatch(/\.whl$/);
    }
    expect(wheels.flask).toMatch(/^flask-3\.1\.\d+-py3-none-any\.whl$/);
    // markupsafe's C speedups are in the Debian package: the wheel says so.
    expect(wheels.markupsafe).toMatch(/-cp313-cp313-linux_x86_64\.whl$/);
  });

  it('lists the Debian packages it was made from', () => {
    expect(index.packages).toEqual(expect.arrayContaining([expect.stringMatching(/^python3-flask=3\.1\./)]));
  });

  it("converter: requires.txt → Requires-Dist, wheel tags, file names (wheel_format.py, deb2wheel.py's pure parts)", async () => {
    const check = `
import sys; sys.path.insert(0, '/usr/local/lib/curso-verify')
import wheel_format as d
reqs, extras = d.requires_txt_to_dist('a>=1\\n\\n[socks]\\nPySocks!=1.5.7\\n\\n[:python_version < "3.10"]\\nimportlib-metadata\\n\\n[x:sys_platform == "win32" or os_name == "nt"]\\ncolorama\\n')
assert reqs == ['a>=1', 'PySocks!=1.5.7; extra == "socks"', 'importlib-metadata; python_version < "3.10"', 'colorama; (sys_platform == "win32" or os_name == "nt") and extra == "x"'], reqs
assert extras == ['socks', 'x'], extras
m = d.parse_metadata(d.metadata_from_egg_info('Metadata-Version: 1.1\\nName: Foo.Bar\\nVersion: 1.0\\n', 'baz\\n[e]\\nqux\\n'))
assert m['Metadata-Version'] == '2.1' and m.get_all('Requires-Dist') == ['baz', 'qux; extra == "e"'] and m['Provides-Extra'] == 'e', m.as_string()
assert d.unconditional_requirements(m.as_string()) == ['baz']
assert d.wheel_tag(['m/__init__.py']) == ('py3-none-any', True)
assert d.wheel_tag(['m/_s.cpython-313-x86_64-linux-gnu.so']) == ('cp313-cp313-linux_x86_64', False)
assert d.wheel_tag(['m/_s.cpython-313-aarch64-linux-gnu.so']) == ('cp313-cp313-linux_aarch64', False)
assert d.escape_name('Foo.Bar-baz') == 'foo_bar_baz' and d.normalize('Foo.Bar_baz') == 'foo-bar-baz'
assert d.escape_version('1.0-1') == '1.0_1'
print('ok')
`;
    const r = await dockerRun([index.ref, 'python3', '-c', check]);
    expect(r.all.trim()).toBe('ok');
  });

  it('pip install flask requests succeeds in python:3.13-slim, with the `flask` command and compiled speedups', async () => {
    const t = Date.now();
    const r = await sh(
      SLIM,
      'pip install flask requests && flask --version && pip check && python -c "from markupsafe import _speedups; import requests; print(requests.get)"',
    );
    log(`pip install flask requests + checks: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/^Looking in indexes: http:\/\/pypi\/simple\/$/m);
    const installed = /^Successfully installed (.*)$/m
      .exec(r.stdout)?.[1]
      ?.split(' ')
      .map((p) => p.replace(/-[^-]+$/, '').toLowerCase());
    expect(installed?.sort()).toEqual(
      [
        'blinker',
        'certifi',
        'charset_normalizer',
        'click',
        'flask',
        'idna',
        'itsdangerous',
        'jinja2',
        'markupsafe',
        'requests',
        'urllib3',
        'werkzeug',
      ].sort(),
    );
    expect(r.stdout).toMatch(
      new RegExp(`^Python ${TRIXIE_PYTHON_VERSION.replace(/\./g, '\\.')}\\nFlask 3\\.1\\.\\d+\\nWerkzeug 3\\.\\d+\\.\\d+$`, 'm'),
    );
    expect(r.stdout).toMatch(/^No broken requirements found\.$/m);
  });

  it('pip install -r requirements.txt works the same', async () => {
    const r = await sh(
      SLIM,
      'printf "flask\\nrequests>=2.30\\n" > /tmp/requirements.txt && pip install -r /tmp/requirements.txt && python -c "import flask, requests"',
    );
    expect(r.exitCode, r.all).toBe(0);
  });

  it('serves a Flask app from python:3.13-slim that curl in another container reaches', async () => {
    const app = `curso-verify-pyapp-${slug(runId, 30)}`;
    const labels = Object.entries(runLabels(runId, 'python-test')).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    const script = `cat > /hello.py <<'EOF'\n${HELLO_PY}EOF\npip install -q flask && exec python /hello.py`;
    const started = await run('docker', ['run', '-d', '--name', app, '--network', network, ...labels, SLIM, 'sh', '-c', script], {
      env: engine.env,
    });
    expect(started.exitCode, started.all).toBe(0);
    // curl from the full image (it has curl, as the official python:3.13 does). The app first
    // runs pip install: on a loaded 2-core machine that alone was seen to take 20 s, so allow 2 min.
    const r = await sh(FULL, `for i in $(seq 1 600); do curl -sf http://${app}:5000/ && exit 0; sleep 0.2; done; exit 1`);
    const logs = await run('docker', ['logs', app], { env: engine.env });
    expect(r.exitCode, logs.all).toBe(0);
    expect(r.stdout).toBe('Hello World!');
    expect(logs.all).toMatch(/"GET \/ HTTP\/1\.1" 200 -/);
  });
});

describe('python:3.13 (full) stand-in', () => {
  it('is the same Python with the build tools of buildpack-deps', async () => {
    const r = await sh(
      FULL,
      'python --version && pip --version && gcc --version && make --version && git --version && curl --version && wget --version && ps --version',
    );
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Python ${TRIXIE_PYTHON_VERSION.replace(/\./g, '\\.')}$`, 'm'));
  });

  it("compiles a C extension against Python's headers and imports it", async () => {
    const ext = `#include <Python.h>
static struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "hello", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_hello(void) { return PyModule_Create(&m); }
`;
    const r = await sh(
      FULL,
      `cd /tmp && cat > hello.c <<'EOF'\n${ext}EOF\ngcc -shared -fPIC $(python3-config --includes) hello.c -o hello$(python3-config --extension-suffix) && python -c "import hello; print(hello.__file__)"`,
    );
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim()).toBe('/tmp/hello.cpython-313-x86_64-linux-gnu.so');
  });
});

// The course's path: the reader's engine in a lab, a plain `docker build` (BuildKit there),
// the RUN step reaching the index by name through the lab's DNS forwarder.
describe('docker build FROM python:3.13-slim in a lab', () => {
  let p: PreparedEngine;
  let lab: Lab;

  beforeAll(async () => {
    p = await prepareEngine({ images: [SLIM], log, handleSignals: false });
    expect(p.packageIndex?.url).toBe(PACKAGE_INDEX_URL);
    lab = await p.createLab('test/python-flask.md');
  });

  afterAll(async () => {
    await p?.dispose();
  });

  it('builds an image with RUN pip install flask and serves it to curl', async () => {
    const dockerfile =
      'FROM python:3.13-slim\nRUN pip install flask\nCOPY hello.py /app/hello.py\nEXPOSE 5000\nCMD ["python", "/app/hello.py"]\n';
    const setup = await lab.exec(`cat > hello.py <<'EOF'\n${HELLO_PY}EOF\ncat > Dockerfile <<'EOF'\n${dockerfile}EOF`);
    expect(setup.exitCode, setup.output).toBe(0);
    const t = Date.now();
    const build = await lab.exec('docker build -t flask .', { timeoutMs: 300_000 });
    log(`docker build in the lab: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    expect(build.exitCode, build.output).toBe(0);
    expect(build.output).toMatch(/Successfully installed .*flask-3\.1\.\d+/);
    const r = await lab.exec(
      'docker run -d -p 5000:5000 flask >/dev/null && for i in $(seq 1 100); do curl -sf localhost:5000/ && exit 0; sleep 0.2; done; exit 1',
    );
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toBe('Hello World!');
  });
});
