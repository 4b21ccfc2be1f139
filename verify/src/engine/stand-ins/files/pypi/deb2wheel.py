#!/usr/bin/python3
"""Turn installed Debian python3-* packages into wheels and a PEP 503 simple index.

    deb2wheel.py OUT_DIR DEBIAN_PACKAGE...

Runs inside the package index image while it is built (chroot, after apt installed the
packages), with the standard library only. For each Debian package:

  * `dpkg -L` names its files; those under /usr/lib/python3/dist-packages are the wheel's
    payload (symlinks followed, __pycache__ left out: pip compiles on install);
  * its .dist-info (or .egg-info, older packaging) gives Name, Version, Requires-Dist and
    entry_points.txt, so pip resolves dependencies and writes console scripts (`flask`);
  * compiled modules (*.cpython-313-x86_64-linux-gnu.so) make the wheel cp313-cp313-linux_x86_64,
    otherwise it is py3-none-any.

Output: OUT_DIR/packages/*.whl, OUT_DIR/simple/index.html and OUT_DIR/simple/<name>/index.html
with #sha256= links, and OUT_DIR/wheels.txt ("debian-package version wheel", one a line).
Wheels are reproducible: fixed timestamps and order, so the same packages give the same hashes.
"""

import hashlib
import html
import os
import re
import subprocess
import sys

# The wheel format (names, tags, metadata, RECORD, the zip) is the pure part: it lives in
# wheel_format.py beside this script, whose directory Python puts on sys.path. This file keeps
# what reads the Debian packages (dpkg, dist-packages) and writes the index.
from wheel_format import (
    ConversionError,
    build_wheel,
    escape_name,
    escape_version,
    metadata_from_egg_info,
    normalize,
    parse_metadata,
    unconditional_requirements,
    wheel_tag,
)

SITE = '/usr/lib/python3/dist-packages/'
# Metadata files that describe an installation, not a distribution: never put in a wheel.
INSTALL_ONLY = {'RECORD', 'INSTALLER', 'REQUESTED', 'direct_url.json', 'WHEEL'}


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def dpkg(*args):
    return subprocess.run(['dpkg-query', *args], check=True, capture_output=True, text=True).stdout


def convert(deb):
    """(wheel file name, wheel bytes, METADATA text, project name, version) of a Debian package."""
    listed = [line for line in dpkg('-L', deb).splitlines() if line.startswith(SITE)]
    meta_dirs = sorted({p[len(SITE):].split('/')[0] for p in listed if re.search(r'\.(dist|egg)-info$', p[len(SITE):].split('/')[0])})
    if len(meta_dirs) != 1:
        raise ConversionError(f'{deb}: expected one .dist-info or .egg-info in {SITE}, found {meta_dirs or "none"}')
    meta_name = meta_dirs[0]
    meta_path = SITE + meta_name

    payload = {}
    for path in listed:
        rel = path[len(SITE):]
        if rel == meta_name or rel.startswith(meta_name + '/') or '__pycache__' in rel.split('/'):
            continue
        if os.path.islink(path) and os.path.isdir(path):
            # A directory Debian moved elsewhere (e.g. to /usr/share) and linked back.
            for root, _, names in os.walk(path, followlinks=True):
                for n in names:
                    full = os.path.join(root, n)
                    payload[os.path.relpath(full, SITE)] = read(full)
        elif os.path.isfile(path):
            payload[rel] = read(path)  # follows file symlinks (e.g. certifi's CA bundle)
        elif os.path.islink(path):
            raise ConversionError(f'{deb}: {path} is a dangling symlink')

    dist_info_files = {}
    if meta_name.endswith('.dist-info'):
        metadata = read(f'{meta_path}/METADATA').decode('utf-8')
        for root, _, names in os.walk(meta_path):
            for n in names:
                full = os.path.join(root, n)
                rel = os.path.relpath(full, meta_path)
                if rel not in INSTALL_ONLY and rel != 'METADATA':
                    dist_info_files[rel] = read(full)
    else:
        # .egg-info is a directory (PKG-INFO, requires.txt, entry_points.txt…) or a lone PKG-INFO file.
        if os.path.isdir(meta_path):
            req = f'{meta_path}/requires.txt'
            metadata = metadata_from_egg_info(
                read(f'{meta_path}/PKG-INFO').decode('utf-8'),
                read(req).decode('utf-8') if os.path.exists(req) else None,
            )
            ep = f'{meta_path}/entry_points.txt'
            if os.path.exists(ep):
                dist_info_files['entry_points.txt'] = read(ep)
        else:
            metadata = metadata_from_egg_info(read(meta_path).decode('utf-8'), None)
    dist_info_files['METADATA'] = metadata.encode('utf-8')

    msg = parse_metadata(metadata)
    name, version = msg['Name'], msg['Version']
    if not name or not version:
        raise ConversionError(f'{deb}: {meta_name} has no Name or Version')
    tag, purelib = wheel_tag(payload)
    wheel = build_wheel(name, version, tag, purelib, payload, dist_info_files)
    filename = f'{escape_name(name)}-{escape_version(version)}-{tag}.whl'
    return filename, wheel, metadata, name, version


# --- the index --------------------------------------------------------------------------------

def page(title, links):
    body = '\n'.join(links)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta name="pypi:repository-version" content="1.0">\n'
        f'<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n'
    )


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def main(out, debs):
    projects = {}  # normalized name → [(filename, sha256, requires_python)]
    requirements = {}
    lines = []
    for deb in debs:
        filename, wheel, metadata, name, version = convert(deb)
        write(f'{out}/packages/{filename}', wheel)
        key = normalize(name)
        requires_python = parse_metadata(metadata).get('Requires-Python')
        projects.setdefault(key, []).append((filename, hashlib.sha256(wheel).hexdigest(), requires_python))
        requirements[key] = unconditional_requirements(metadata)
        deb_version = dpkg('-W', '-f=${Version}', deb)
        lines.append(f'{deb} {deb_version} {filename}')
        print(f'{deb} {deb_version} -> {filename}')

    # An index that lacks a dependency makes `pip install` fail in a lesson: fail here instead.
    # (Requirements behind a marker — an extra, an older Python, Windows — are not checked.)
    missing = sorted({f'{p} needs {r}' for p, reqs in requirements.items() for r in reqs if r not in projects})
    if missing:
        raise ConversionError('dependencies missing from the index: ' + '; '.join(missing))

    write(f'{out}/simple/index.html', page('Simple index', [
        f'<a href="{k}/">{k}</a><br>' for k in sorted(projects)
    ]).encode())
    for key, wheels in projects.items():
        links = []
        for filename, sha, requires_python in wheels:
            attr = f' data-requires-python="{html.escape(requires_python)}"' if requires_python else ''
            links.append(f'<a href="../../packages/{filename}#sha256={sha}"{attr}>{filename}</a><br>')
        write(f'{out}/simple/{key}/index.html', page(f'Links for {key}', links).encode())
    write(f'{out}/wheels.txt', ('\n'.join(lines) + '\n').encode())


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    try:
        main(sys.argv[1], sys.argv[2:])
    except (ConversionError, subprocess.CalledProcessError) as err:
        sys.exit(f'deb2wheel: {err}')
