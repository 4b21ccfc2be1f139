// The offline package index: what `pip install flask` reaches when no PyPI answers. An image
// holding wheels made from Debian trixie's python3-* packages (stand-ins/files/pypi/deb2wheel.py,
// with wheel_format.py beside it, converts them while the image is built) and a static PEP 503
// simple index, served by `python3 -m http.server` on port 80. One container per run, on the
// run's network under the name `pypi`, which the python stand-ins' /etc/pip.conf names.
//
// The image is built once per recipe hash, like the stand-ins (same builder: mmdebstrap +
// docker import), and tagged curso-verify/pypi:<hash>; older tags are dropped when unused.
import type { Engine } from './engine.ts';
import { withBuildLock } from './build-lock.ts';
import { inspectLocal } from './images.ts';
import { LABEL_RECIPE, runLabels, slug } from './labels.ts';
import { apiExec } from './exec.ts';
import { run, waitFor } from './proc.ts';
import { buildStandIn, describeRecipe, LABEL_PACKAGES, recipeHash } from './stand-ins/build.ts';
import type { StandInRecipe } from './stand-ins/recipe.ts';

export const PACKAGE_INDEX_REPO = 'curso-verify/pypi';
/** The index's name on the run's network; /etc/pip.conf of the python stand-ins uses it. */
export const PACKAGE_INDEX_HOST = 'pypi';
export const PACKAGE_INDEX_URL = `http://${PACKAGE_INDEX_HOST}/simple/`;
const SERVE_DIR = '/srv/pypi';
const CONVERTER_DIR = '/usr/local/lib/curso-verify';
const CONVERTER = `${CONVERTER_DIR}/deb2wheel.py`;

/**
 * Debian packages turned into wheels. Every dependency a wheel declares without a marker must
 * be here too (the converter fails otherwise). Only pure-Python packages or extensions that
 * need nothing beyond libc: a wheel does not carry the shared libraries its Debian package
 * depends on.
 */
export const INDEX_DEBIAN_PACKAGES = [
  // Flask and its dependencies; python-dotenv, which `flask run` reads .env files with
  'python3-flask',
  'python3-werkzeug',
  'python3-jinja2',
  'python3-markupsafe',
  'python3-itsdangerous',
  'python3-click',
  'python3-blinker',
  'python3-dotenv',
  // requests and its dependencies
  'python3-requests',
  'python3-urllib3',
  'python3-idna',
  'python3-certifi',
  'python3-charset-normalizer',
  // a WSGI server and a Redis client, which Docker tutorials pair with Flask. (Not Django:
  // Debian links its admin's JavaScript to other packages, so it needs more than its wheel.)
  'python3-gunicorn',
  'python3-packaging',
  'python3-redis',
] as const;

export const packageIndexRecipe: StandInRecipe = {
  refs: [PACKAGE_INDEX_REPO],
  program: "offline PyPI: wheels of Debian trixie's python3-* packages, PEP 503 simple index",
  suite: 'trixie',
  packages: ['python3', ...INDEX_DEBIAN_PACKAGES],
  reportPackages: [...INDEX_DEBIAN_PACKAGES],
  files: {
    [CONVERTER]: { from: 'pypi/deb2wheel.py', mode: 0o755 },
    // Imported by deb2wheel.py from its own directory.
    [`${CONVERTER_DIR}/wheel_format.py`]: { from: 'pypi/wheel_format.py', mode: 0o644 },
  },
  customize: [`chroot "$1" python3 ${CONVERTER} ${SERVE_DIR} ${INDEX_DEBIAN_PACKAGES.join(' ')}`],
  config: [`CMD ["python3", "-m", "http.server", "80", "--directory", "${SERVE_DIR}"]`, 'EXPOSE 80', `WORKDIR ${SERVE_DIR}`],
  differences: [
    'Only the packages listed in package-index.ts, at the versions Debian trixie ships; no source distributions.',
    'Wheels are rebuilt from installed Debian files: Debian patches are in them (e.g. certifi carries the Debian CA bundle).',
  ],
};

export interface PackageIndexImage {
  ref: string;
  id: string;
  how: string;
  /** "debian-package=version" of every package the index holds wheels of. */
  packages: string[];
}

/** The index image, built if this recipe has not been built on the engine yet. */
export async function ensurePackageIndexImage(engine: Engine, opts: { log: (msg: string) => void }): Promise<PackageIndexImage> {
  const hash = recipeHash(packageIndexRecipe);
  const ref = `${PACKAGE_INDEX_REPO}:${hash}`;
  const how = `${describeRecipe(packageIndexRecipe)}; deb2wheel.py made the wheels`;
  const current = async () => {
    const found = await inspectLocal(engine, ref);
    return found?.Config?.Labels?.[LABEL_RECIPE] === hash ? found : null;
  };
  // One build per recipe on this machine (build-lock.ts): a run that finds another one
  // building it waits, then takes what it built.
  const img =
    (await current()) ??
    (await withBuildLock(
      `package-index-${hash}`,
      async () => {
        const meanwhile = await current();
        if (meanwhile) return meanwhile;
        opts.log(
          `building the package index image ${ref} (${INDEX_DEBIAN_PACKAGES.length} Debian packages → wheels); this happens once per recipe change`,
        );
        await buildStandIn(engine, packageIndexRecipe, ref);
        const built = await inspectLocal(engine, ref);
        if (!built) throw new Error(`built ${ref} but the engine does not know it`);
        return built;
      },
      { onWait: () => opts.log(`waiting for another run that is building the package index image ${ref}`) },
    ));
  await dropOldIndexImages(engine, ref);
  const packages = (img.Config?.Labels?.[LABEL_PACKAGES] ?? '').split(/\s+/).filter(Boolean);
  return { ref, id: img.Id, how, packages };
}

/** Index images of earlier recipes; one still used by a container (another run) stays. */
async function dropOldIndexImages(engine: Engine, keep: string): Promise<void> {
  const images = await engine.docker.listImages({ filters: { reference: [PACKAGE_INDEX_REPO] } });
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      if (tag !== keep) await run('docker', ['rmi', tag], { env: engine.env, timeoutMs: 60_000 });
    }
  }
}

export interface StartPackageIndexOptions {
  runId: string;
  /** The run's user network (the one the labs and the mirror are on). */
  network: string;
  /** The index image ref (ensurePackageIndexImage().ref). */
  image: string;
  log: (msg: string) => void;
}

export interface PackageIndex {
  container: string;
  /** The index as containers on the run's network (and nested containers of its labs) reach it. */
  url: string;
}

/** Starts the run's package index, reachable as http://pypi/simple/ on `network`. */
export async function startPackageIndex(engine: Engine, opts: StartPackageIndexOptions): Promise<PackageIndex> {
  const container = `curso-verify-pypi-${slug(opts.runId)}`;
  const c = await engine.docker.createContainer({
    name: container,
    Image: opts.image,
    Labels: runLabels(opts.runId, 'package-index'),
    HostConfig: { NetworkMode: opts.network },
    NetworkingConfig: { EndpointsConfig: { [opts.network]: { Aliases: [PACKAGE_INDEX_HOST] } } },
  });
  await c.start();
  // Asked from inside the container: the engine may be remote, and the index publishes no port.
  const probe = ['python3', '-c', "import urllib.request; urllib.request.urlopen('http://127.0.0.1/simple/', timeout=2)"];
  const up = await waitFor(async () => (await apiExec(engine, container, probe, { timeoutMs: 5_000 })).exitCode === 0, 30_000, 200);
  if (!up) {
    const logs = await run('docker', ['logs', '--tail', '20', container], { env: engine.env });
    throw new Error(`package index ${container} did not answer on /simple/:\n${logs.all}`);
  }
  opts.log(`package index ${container} serves ${PACKAGE_INDEX_URL} on ${opts.network}`);
  return { container, url: PACKAGE_INDEX_URL };
}
