// python:3.13-slim and python:3.13 stand-ins: Debian trixie's CPython 3.13 behind the interface
// the official image documents (python/python3/pip/pip3 on PATH, CMD ["python3"], LANG and
// PYTHON_VERSION in the environment, `pip install` as root with no PEP 668 refusal). pip gets
// its packages from the harness's offline index (package-index.ts), named `pypi` on the run's
// network: no PyPI answers where the course is verified.
import type { StandInRecipe } from './recipe.ts';

/**
 * Debian trixie's python3.13, upstream part. The build fails if the suite moves on (a point
 * release or a security update), so ENV PYTHON_VERSION never says something the image is not.
 */
export const TRIXIE_PYTHON_VERSION = '3.13.5';

// The official Dockerfile's PATH (ENV PATH /usr/local/bin:$PATH on top of debian's), so
// `docker inspect` and `env` show the same; pip puts console scripts in /usr/local/bin here too.
const PYTHON_PATH_ENV = 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const CONFIG = ['CMD ["python3"]', PYTHON_PATH_ENV, 'ENV LANG=C.UTF-8', `ENV PYTHON_VERSION=${TRIXIE_PYTHON_VERSION}`];

const SLIM_PACKAGES = [
  'python3', // CPython 3.13 + the standard library
  'python-is-python3', // /usr/bin/python, as /usr/local/bin/python in the official image
  'python3-pip', // pip, pip3 (Recommends build-essential/python3-dev are not installed)
  'python3-venv', // `python -m venv` with ensurepip, which the official image has
  // the official slim image's runtime dependencies
  'ca-certificates',
  'netbase',
  'tzdata',
];

// The official full image is built on buildpack-deps:trixie (curl, scm, and a C toolchain with
// the -dev libraries Python packages most often compile against). Kept: what a reader relies
// on (compilers, make, git, curl, wget, procps, headers for C extensions); left out: the
// ImageMagick, glib, mercurial and subversion stack (hundreds of MB no lesson uses).
const FULL_EXTRA_PACKAGES = [
  // buildpack-deps:trixie-curl
  'curl',
  'wget',
  'gnupg',
  // buildpack-deps:trixie-scm
  'git',
  'openssh-client',
  'procps',
  // buildpack-deps:trixie
  'autoconf',
  'automake',
  'bzip2',
  'dpkg-dev',
  'file',
  'g++',
  'gcc',
  'libc6-dev',
  'libtool',
  'make',
  'patch',
  'unzip',
  'xz-utils',
  'libbz2-dev',
  'libffi-dev',
  'liblzma-dev',
  'libncurses-dev',
  'libreadline-dev',
  'libsqlite3-dev',
  'libssl-dev',
  'libpq-dev',
  'default-libmysqlclient-dev',
  'libxml2-dev',
  'libxslt1-dev',
  'libyaml-dev',
  'libjpeg-dev',
  'libpng-dev',
  'zlib1g-dev',
  // Python's headers and python3-config (the official image has them in /usr/local)
  'python3-dev',
];

const CUSTOMIZE = [
  // The official image has no PEP 668 marker: `pip install` as root just installs. Debian's
  // python3.13 ships one (/usr/lib/python3.13/EXTERNALLY-MANAGED); without it Debian's pip
  // installs into /usr/local/lib/python3.13/dist-packages, apart from apt's packages.
  'rm -f "$1"/usr/lib/python3.*/EXTERNALLY-MANAGED',
  `v=$(chroot "$1" python3 -c 'import platform; print(platform.python_version())') && ` +
    `{ [ "$v" = ${TRIXIE_PYTHON_VERSION} ] || { echo "trixie now has Python $v: update TRIXIE_PYTHON_VERSION in stand-ins/python.ts" >&2; exit 1; }; }`,
];

const FILES = { '/etc/pip.conf': { from: 'python/pip.conf', mode: 0o644 } } as const;

const SLIM_DIFFERENCES = [
  `CPython ${TRIXIE_PYTHON_VERSION} as Debian trixie builds and patches it (package python3.13), not the latest 3.13.x built from python.org sources: \`python --version\` says ${TRIXIE_PYTHON_VERSION}, and PYTHON_VERSION=${TRIXIE_PYTHON_VERSION}.`,
  'The interpreter and tools live in /usr/bin (python, python3, python3.13, pip, pip3, pydoc, pydoc3), not in /usr/local/bin: `which python` says /usr/bin/python. There is no pip3.13 (Debian ships pip and pip3 only), no idle3 and no python3-config in the slim image.',
  "pip is Debian's python3-pip (trixie's version, Debian-patched), not the one ensurepip bundles with the latest 3.13; `pip --version` names /usr/lib/python3/dist-packages/pip.",
  "Packages that `pip install` adds as root go to /usr/local/lib/python3.13/dist-packages (Debian's scheme), not /usr/local/lib/python3.13/site-packages; their commands still land in /usr/local/bin.",
  "/etc/pip.conf points pip at the harness's offline index (index-url = http://pypi/simple/, trusted-host = pypi): only the packages that index holds can be installed, at the versions Debian trixie ships (e.g. Flask 3.1.x), and `pip install` fails anywhere no `pypi` is reachable. The official image has no /etc/pip.conf and installs from PyPI.",
  "pip's output names the index: an extra `Looking in indexes: http://pypi/simple/` line, and `Downloading http://pypi/packages/flask-3.1.1-py3-none-any.whl (102 kB)` where PyPI shows `Downloading flask-3.1.x-py3-none-any.whl`; no `[notice] A new release of pip` (the index has no pip, so `pip install --upgrade pip` says `Requirement already satisfied`).",
  "Debian's EXTERNALLY-MANAGED marker is removed, as the official image has none; apt-get upgrading python3.13 inside a container brings it back.",
  "`pip list` shows packaging and wheel beside pip (Debian's pip depends on them; the official 3.13 image lists pip alone). python3-venv is installed so `python -m venv` works as in the official image.",
  'No GPG_KEY or PYTHON_SHA256 environment variables (they describe a python.org tarball this image was not built from).',
  'The base is `mmdebstrap --variant=minbase trixie` (what the debian:trixie stand-in is), not debian:trixie-slim; the layer history is one imported layer.',
];

export const python313Slim: StandInRecipe = {
  refs: ['python:3.13-slim'],
  program: `CPython ${TRIXIE_PYTHON_VERSION} + pip (Debian trixie)`,
  suite: 'trixie',
  packages: SLIM_PACKAGES,
  reportPackages: ['python3.13', 'python3-pip'],
  files: FILES,
  customize: CUSTOMIZE,
  config: CONFIG,
  differences: SLIM_DIFFERENCES,
  needs: ['pypi'],
};

export const python313: StandInRecipe = {
  refs: ['python:3.13'],
  program: `CPython ${TRIXIE_PYTHON_VERSION} + pip + build tools (Debian trixie)`,
  suite: 'trixie',
  packages: [...SLIM_PACKAGES, ...FULL_EXTRA_PACKAGES],
  reportPackages: ['python3.13', 'python3-pip', 'gcc', 'git', 'curl'],
  files: FILES,
  customize: CUSTOMIZE,
  config: CONFIG,
  differences: [
    ...SLIM_DIFFERENCES,
    "Of buildpack-deps:trixie's packages it carries the compilers and build tools (gcc, g++, make, autoconf, automake, libtool, dpkg-dev, patch), curl, wget, gnupg, git, openssh-client, procps, file, unzip, bzip2, xz-utils and the -dev libraries most Python packages compile against (libssl, libffi, zlib, libbz2, liblzma, libsqlite3, libreadline, libncurses, libpq, libmysqlclient, libxml2, libxslt, libyaml, libjpeg, libpng), plus python3-dev; not ImageMagick, glib, mercurial or subversion.",
    'Python headers and python3-config come from python3-dev (/usr/include/python3.13, /usr/bin/python3-config), not /usr/local.',
  ],
  needs: ['pypi'],
};
