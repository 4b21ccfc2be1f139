// registry:2 stand-in: Debian trixie's docker-registry (the CNCF Distribution registry, 2.8.x)
// laid out as the official image is (docker-library's distribution-library-image, 2.8 releases):
// the binary as /bin/registry, the official config at /etc/docker/registry/config.yml (storage on
// the filesystem under /var/lib/registry, a volume; HTTP on :5000; the storage health check),
// and an /entrypoint.sh that turns a config file argument into `registry serve FILE`.
import type { StandInRecipe } from './recipe.ts';

/** The major.minor the tag stands for: the build fails if trixie's package is another one. */
export const REGISTRY_MAJOR_MINOR = '2.8';

const LAYOUT = [
  `v=$(dpkg-query --admindir="$1/var/lib/dpkg" -W -f='\${Version}' docker-registry) && ` +
    `case "$v" in ${REGISTRY_MAJOR_MINOR}.*) ;; *) echo "trixie now has docker-registry $v, not ${REGISTRY_MAJOR_MINOR}.x: registry:2 needs another source (stand-ins/registry.ts)" >&2; exit 1 ;; esac`,
  // The official image's command is `registry` in /bin; Debian installs the same program as
  // /usr/bin/docker-registry. A hard link gives it the official name (/bin is /usr/bin in trixie).
  'ln "$1/usr/bin/docker-registry" "$1/usr/bin/registry"',
  // The official image runs the registry as root with no account of its own, and keeps its data
  // in /var/lib/registry: drop the account and the directory Debian's postinst made for its
  // service (/var/lib/docker-registry), make the volume's mount point.
  'chroot "$1" userdel docker-registry',
  'chroot "$1" sh -c "! getent group docker-registry >/dev/null || groupdel docker-registry"',
  'rm -rf "$1/var/lib/docker-registry"',
  'mkdir -p "$1/var/lib/registry"',
];

export const registry2: StandInRecipe = {
  refs: ['registry:2'],
  program: `Distribution registry ${REGISTRY_MAJOR_MINOR} (Debian trixie)`,
  suite: 'trixie',
  packages: [
    'docker-registry',
    // As in the official image: TLS to an upstream (a pull-through cache of Docker Hub).
    'ca-certificates',
    // The official (Alpine) image has BusyBox's wget, which healthchecks of registry
    // containers use (`wget -q --spider http://localhost:5000/v2/`).
    'wget',
  ],
  reportPackages: ['docker-registry'],
  files: {
    // Replaces Debian's config (htpasswd auth, /var/lib/docker-registry, deletes enabled).
    '/etc/docker/registry/config.yml': { from: 'registry/config.yml', mode: 0o644 },
    '/entrypoint.sh': { from: 'registry/entrypoint.sh', mode: 0o755 },
  },
  customize: LAYOUT,
  config: ['VOLUME ["/var/lib/registry"]', 'EXPOSE 5000', 'ENTRYPOINT ["/entrypoint.sh"]', 'CMD ["/etc/docker/registry/config.yml"]'],
  differences: [
    "Distribution 2.8.x as Debian trixie builds it (docker-registry 2.8.3+ds1, Debian's Go and Go libraries), not the release binary: `registry --version` prints `registry github.com/docker/distribution 2.8.3+ds1` (official: `… v2.8.3`), and the `go.version=`/`version=` fields of its log lines differ.",
    "Debian's build has the filesystem, inmemory, s3 and swift storage drivers; not azure, gcs or oss (the official binary has them all).",
    'Base is Debian trixie (minbase), not Alpine: /bin/sh is dash, and there are no BusyBox applets; `wget` is GNU Wget (for healthchecks such as `wget -q --spider http://localhost:5000/v2/`).',
    "The program is also /usr/bin/docker-registry (Debian's name); /bin/registry is a hard link to it. Debian's init script and systemd unit (/etc/init.d/docker-registry, /lib/systemd/system/docker-registry.service) are present and unused.",
  ],
};
