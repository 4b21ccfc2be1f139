"""The wheel format, for deb2wheel.py: names, tags, metadata, RECORD and the zip itself.

Imported by deb2wheel.py, which sits beside it in /usr/local/lib/curso-verify/ (a script's own
directory is on sys.path when it is run by path). Separate because this part is pure: it turns
names, metadata text and file bytes into wheel bytes, never reading dpkg or the file system, so
it can be checked on its own (stand-ins-python.test.ts imports it); deb2wheel.py keeps what
reads the Debian packages and writes the index. Standard library only.
"""

import base64
import csv
import email.parser
import email.policy
import hashlib
import io
import re
import sys
import sysconfig
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ConversionError(Exception):
    pass


def normalize(name):
    """PEP 503 project name normalization."""
    return re.sub(r'[-_.]+', '-', name).lower()


def escape_name(name):
    """Name component of a wheel file name (binary distribution format spec)."""
    return re.sub(r'[-_.]+', '_', name).lower()


def escape_version(version):
    """Version component of a wheel file name: no '-', which separates the components."""
    return version.replace('-', '_')


# --- tags -------------------------------------------------------------------------------------

EXT_RE = re.compile(r'\.cpython-(\d)(\d+)([a-z]*)-([a-z0-9_]+)-linux-gnu\.so$')


def wheel_tag(paths):
    """(tag, purelib) for a wheel holding `paths` (relative to dist-packages)."""
    tags = set()
    for p in paths:
        if not p.endswith('.so'):
            continue
        m = EXT_RE.search(p)
        if m:
            major, minor, flags, arch = m.groups()
            py = f'cp{major}{minor}'
            tags.add(f'{py}-{py}{flags}-linux_{arch}')
        elif p.endswith('.abi3.so'):
            arch = sysconfig.get_platform().split('-', 1)[1].replace('-', '_')
            tags.add(f'cp{sys.version_info.major}{sys.version_info.minor}-abi3-linux_{arch}')
        else:
            raise ConversionError(f'{p}: a compiled module whose name says no Python ABI')
    if not tags:
        return 'py3-none-any', True
    if len(tags) > 1:
        raise ConversionError(f'compiled modules for several ABIs: {sorted(tags)}')
    return tags.pop(), False


# --- metadata ---------------------------------------------------------------------------------

def parse_metadata(text):
    return email.parser.Parser(policy=email.policy.compat32).parsestr(text)


def requires_txt_to_dist(text):
    """setuptools' requires.txt → (Requires-Dist values, Provides-Extra values).

    Sections: none (unconditional), [extra], [:marker] or [extra:marker].
    """
    requires, extras = [], []
    extra, marker = None, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('[') and line.endswith(']'):
            section = line[1:-1]
            extra, _, marker = section.partition(':')
            extra, marker = extra.strip() or None, marker.strip() or None
            if extra and extra not in extras:
                extras.append(extra)
            continue
        conditions = []
        if marker:
            conditions.append(f'({marker})' if ' or ' in marker else marker)
        if extra:
            conditions.append(f'extra == "{extra}"')
        requires.append(f'{line}; {" and ".join(conditions)}' if conditions else line)
    return requires, extras


def metadata_from_egg_info(pkg_info, requires_txt):
    """METADATA text from an .egg-info's PKG-INFO and requires.txt."""
    msg = parse_metadata(pkg_info)
    if requires_txt is not None and not msg.get_all('Requires-Dist'):
        requires, extras = requires_txt_to_dist(requires_txt)
        for e in extras:
            if e not in (msg.get_all('Provides-Extra') or []):
                msg['Provides-Extra'] = e
        for r in requires:
            msg['Requires-Dist'] = r
        # Provides-Extra and markers on extras need Metadata-Version 2.1.
        version = msg.get('Metadata-Version', '1.0')
        if tuple(int(x) for x in version.split('.')[:2]) < (2, 1):
            del msg['Metadata-Version']
            msg['Metadata-Version'] = '2.1'
    return msg.as_string()


def unconditional_requirements(metadata_text):
    """Names of the Requires-Dist entries without an environment marker."""
    out = []
    for req in parse_metadata(metadata_text).get_all('Requires-Dist') or []:
        if ';' in req:
            continue
        m = re.match(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)', req)
        if m:
            out.append(normalize(m.group(1)))
    return out


# --- building a wheel -------------------------------------------------------------------------

def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return 'sha256=' + base64.urlsafe_b64encode(digest).rstrip(b'=').decode('ascii')


def build_wheel(name, version, tag, purelib, payload, dist_info_files):
    """Bytes of a wheel. payload: {path in wheel: bytes}; dist_info_files: {file name: bytes}."""
    dist_info = f'{escape_name(name)}-{escape_version(version)}.dist-info'
    files = dict(sorted(payload.items()))
    meta = dict(dist_info_files)
    meta['WHEEL'] = (
        'Wheel-Version: 1.0\n'
        'Generator: curso-verify deb2wheel\n'
        f'Root-Is-Purelib: {"true" if purelib else "false"}\n'
        f'Tag: {tag}\n'
    ).encode()
    for fname, data in sorted(meta.items()):
        files[f'{dist_info}/{fname}'] = data
    record = io.StringIO()
    writer = csv.writer(record, lineterminator='\n')
    for path, data in files.items():
        writer.writerow([path, record_hash(data), len(data)])
    writer.writerow([f'{dist_info}/RECORD', '', ''])
    files[f'{dist_info}/RECORD'] = record.getvalue().encode()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()
