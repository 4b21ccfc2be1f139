// mariadb:11.8 stand-in: Debian trixie's MariaDB 11.8 server and clients, behind the interface
// the official image documents (its own entrypoint, with its functions in two files sourced from
// /usr/local/lib, and healthcheck.sh, in files/mariadb/).
import type { StandInRecipe } from './recipe.ts';

// The official image's account is uid/gid 999 (useradd -r on Ubuntu); Debian's package picks
// the next free system id. 999 keeps files on bind mounts and volumes owned the same way.
const MYSQL_IDS = [
  'chroot "$1" sh -ec \'' +
    'u=$(id -u mysql); g=$(id -g mysql); ' +
    'groupmod -g 999 mysql; usermod -u 999 -g 999 -d /var/lib/mysql mysql; ' +
    'find / -xdev -uid "$u" -exec chown -h mysql {} +; find / -xdev -gid "$g" -exec chgrp -h mysql {} +\'',
];

const LAYOUT = [
  // mmdebstrap's cleanup of /run is skipped (see `skip` below) to keep /run/mysqld: remove here
  // what it would have removed (all but /run/lock), before making /run/mysqld.
  'find "$1/run" -mindepth 1 -maxdepth 1 ! -name lock -exec rm -rf --one-file-system {} +',
  // Debian's postinst initialised a data directory at install time: a stand-in starts empty,
  // so the entrypoint's first start runs (and /var/lib/mysql is a volume, as in the original).
  'rm -rf "$1/var/lib/mysql"',
  'mkdir -p "$1/var/lib/mysql" "$1/run/mysqld" "$1/docker-entrypoint-initdb.d"',
  'chroot "$1" chown mysql:mysql /var/lib/mysql /run/mysqld',
  // Any uid the container may run as (`--user`) can create the socket and pid file there.
  'chmod 1777 "$1/run/mysqld"',
];

const CONFIG = [
  // Listen on all addresses (Debian binds 127.0.0.1), and no `user`/`log` lines that would
  // fight the entrypoint's own choices. Regular files only: my.cnf is an absolute link, which
  // the build host would resolve against its own /etc.
  'find "$1/etc/mysql" -type f -name "*.cnf" -exec sed -Ei "s/^(bind-address|log|user\\s)/#&/" {} +',
  // Peers are other containers: no reverse DNS on connect (what the official image sets).
  'printf "[mariadb]\\nhost-cache-size=0\\nskip-name-resolve\\n" > "$1/etc/mysql/mariadb.conf.d/05-skipcache.cnf"',
  // conf.d is the documented mount point for user settings: read it last so it wins.
  'sed -i -e "\\#^!includedir /etc/mysql/conf.d/#d" -e "\\$a !includedir /etc/mysql/conf.d/" "$1/etc/mysql/mariadb.cnf"',
];

export const mariadb118: StandInRecipe = {
  refs: ['mariadb:11.8'],
  program: 'MariaDB 11.8 (Debian trixie)',
  suite: 'trixie',
  packages: [
    'mariadb-server',
    'mariadb-client',
    // mysql, mysqladmin, mysqldump, mysqld… as the official image has them.
    'mariadb-client-compat',
    'mariadb-server-compat',
    'mariadb-backup',
    // Drops root for the server, as the official image does.
    'gosu',
    // Random root and healthcheck passwords.
    'pwgen',
    // Time zone tables loaded on first start.
    'tzdata',
    // .sql.xz and .sql.zst init files, upgrade backups.
    'xz-utils',
    'zstd',
  ],
  reportPackages: ['mariadb-server', 'mariadb-client'],
  files: {
    '/usr/local/bin/docker-entrypoint.sh': { from: 'mariadb/docker-entrypoint.sh', mode: 0o755 },
    // The entrypoint's functions, sourced by it (not commands: no execute bit, not on PATH).
    '/usr/local/lib/docker-entrypoint-common.sh': { from: 'mariadb/docker-entrypoint-common.sh', mode: 0o644 },
    '/usr/local/lib/docker-entrypoint-setup.sh': { from: 'mariadb/docker-entrypoint-setup.sh', mode: 0o644 },
    '/usr/local/bin/healthcheck.sh': { from: 'mariadb/healthcheck.sh', mode: 0o755 },
  },
  customize: [...MYSQL_IDS, ...LAYOUT, ...CONFIG],
  // /run/mysqld is part of the image, as in the official one.
  skip: ['cleanup/run'],
  config: ['ENV LANG=C.UTF-8', 'VOLUME ["/var/lib/mysql"]', 'EXPOSE 3306', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["mariadbd"]'],
  differences: [
    "MariaDB is Debian trixie's build (11.8.x+ds, Debian's patches and options), not MariaDB's own Ubuntu package: `SELECT VERSION()` gives `11.8.9-MariaDB-0+deb13u1 from Debian` (official: `11.8.x-MariaDB-ubu2404`), the server's `Version:` line ends in `from Debian'` instead of `mariadb.org binary distribution`, and the patch level may differ from the tag's.",
    "Base is Debian trixie (minbase), not Ubuntu 24.04: other tools, `apt-get` installs Debian packages; Debian's option files (/etc/mysql/mariadb.conf.d/50-server.cnf…), edited as the official image edits its own.",
    "The entrypoint's first line names the Debian package version (`1:11.8.9+ds-0+deb13u1`); `MARIADB_VERSION` is not in the image's environment.",
    "The entrypoint and healthcheck.sh are the stand-in's own (the entrypoint's functions are in /usr/local/lib/docker-entrypoint-common.sh and docker-entrypoint-setup.sh, which it sources): no replication (`MARIADB_REPLICATION_*`, `MARIADB_MASTER_*`), no restore of a backup archive (`*.tar.gz|xz|zst`) from /docker-entrypoint-initdb.d, no Galera or replication tests in healthcheck.sh.",
    'With `MARIADB_AUTO_UPGRADE`, missing healthcheck users are created after mariadb-upgrade, in the same temporary server start.',
    'No jemalloc/tcmalloc libraries for LD_PRELOAD, no socat (Galera SST).',
  ],
};
