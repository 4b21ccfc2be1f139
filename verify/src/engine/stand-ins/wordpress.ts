// wordpress:6.8-apache stand-in: Debian trixie's WordPress 6.8 on Debian's Apache with mod_php
// (PHP 8.4), laid out as the official image is: WordPress in /usr/src/wordpress, copied into the
// /var/www/html volume by the entrypoint on the first start, a wp-config.php that reads the
// WORDPRESS_* variables, Apache in the foreground with its logs on stdout/stderr.
import type { StandInRecipe } from './recipe.ts';

const PHP = '8.4';

const WORDPRESS_TREE = [
  // Debian's tree links into /etc/wordpress, /usr/share/javascript and /usr/share/php: copy it
  // with the links resolved (inside the chroot, so absolute links resolve there), keeping the
  // files this recipe put there first (.htaccess, wp-config-docker.php).
  'chroot "$1" cp -a --dereference --update=none /usr/share/wordpress/. /usr/src/wordpress/',
  // Debian's wp-config.php looks for /etc/wordpress/config-<host>.php: the official tree has
  // none, so the entrypoint or the installer writes one.
  'rm -f "$1/usr/src/wordpress/wp-config.php"',
  'chroot "$1" chown -R www-data:www-data /usr/src/wordpress',
  // The volume's mount point, with wp-content's first level pre-created writable for anyone,
  // so bind-mounted themes and plugins land in directories the web server can use.
  'rm -rf "$1/var/www/html"',
  'mkdir -p "$1/var/www/html/wp-content/plugins" "$1/var/www/html/wp-content/themes" "$1/var/www/html/wp-content/cache"',
  'chroot "$1" chown -R www-data:www-data /var/www/html',
  'chmod 1777 "$1/var/www/html"',
  'chmod -R 1777 "$1/var/www/html/wp-content"',
  'ln -s docker-entrypoint.sh "$1/usr/local/bin/docker-ensure-installed.sh"',
];

const APACHE = [
  // envvars values become defaults the container's environment can override.
  'sed -ri \'s/^export ([^=]+)=(.*)$/: ${\\1:=\\2}\\nexport \\1/\' "$1/etc/apache2/envvars"',
  // mmdebstrap's cleanup of /run is skipped (see `skip` below) to keep /run/apache2: remove
  // here what it would have removed (all but /run/lock).
  'find "$1/run" -mindepth 1 -maxdepth 1 ! -name lock -exec rm -rf --one-file-system {} +',
  // Any user the container runs as (`--user`) can use the run, lock and log directories.
  'for d in /run/apache2 /run/lock/apache2 /var/log/apache2; do mkdir -p "$1$d"; chroot "$1" chown www-data:www-data "$d"; chmod 1777 "$1$d"; done',
  // Logs to the container's output, where `docker logs` reads them.
  'ln -sfT /dev/stderr "$1/var/log/apache2/error.log"',
  'ln -sfT /dev/stdout "$1/var/log/apache2/access.log"',
  'ln -sfT /dev/stdout "$1/var/log/apache2/other_vhosts_access.log"',
  'chroot "$1" chown -h www-data:www-data /var/log/apache2/error.log /var/log/apache2/access.log /var/log/apache2/other_vhosts_access.log',
  'chroot "$1" a2enmod -q rewrite expires remoteip',
  'chroot "$1" a2enconf -q docker-php remoteip',
  // Debian's /javascript alias (javascript-common, pulled in by WordPress's libjs-*) is not in
  // the official image.
  'chroot "$1" a2disconf -q javascript-common',
  // Log the client address (%a, after mod_remoteip) instead of the peer's (%h).
  String.raw`find "$1/etc/apache2" -type f -name "*.conf" -exec sed -ri 's/([[:space:]]*LogFormat[[:space:]]+"[^"]*)%h([^"]*")/\1%a\2/g' {} +`,
];

const PHP_INI = [
  // The official image runs PHP with no php.ini (PHP's built-in defaults: expose_php On,
  // variables_order EGPCS…) and ships php.ini-production/-development in $PHP_INI_DIR for users
  // to copy. Debian installs a production php.ini with its own changes: do as the official does.
  `for sapi in apache2 cli; do rm -f "$1/etc/php/${PHP}/$sapi/php.ini"; ` +
    `cp "$1/usr/lib/php/${PHP}/php.ini-production" "$1/usr/lib/php/${PHP}/php.ini-development" "$1/etc/php/${PHP}/$sapi/"; done`,
];

export const wordpress68Apache: StandInRecipe = {
  refs: ['wordpress:6.8-apache', 'wordpress:6.8'],
  program: `WordPress 6.8 with Apache 2.4 and PHP ${PHP} (Debian trixie)`,
  suite: 'trixie',
  packages: [
    'wordpress',
    // The themes the upstream 6.8 tarball ships (Debian only recommends the newest).
    'wordpress-theme-twentytwentythree',
    'wordpress-theme-twentytwentyfour',
    'wordpress-theme-twentytwentyfive',
    'apache2',
    `libapache2-mod-php${PHP}`,
    `php${PHP}-mysql`,
    // The extensions of the official image that Debian packages separately (WordPress's
    // Site Health asks for them); gd comes with the wordpress package.
    `php${PHP}-bcmath`,
    `php${PHP}-curl`,
    `php${PHP}-intl`,
    `php${PHP}-mbstring`,
    `php${PHP}-sqlite3`,
    `php${PHP}-xml`,
    `php${PHP}-zip`,
    'curl',
    'ca-certificates',
  ],
  reportPackages: ['wordpress', 'apache2', `libapache2-mod-php${PHP}`],
  files: {
    '/usr/local/bin/docker-entrypoint.sh': { from: 'wordpress/docker-entrypoint.sh', mode: 0o755 },
    '/usr/local/bin/apache2-foreground': { from: 'wordpress/apache2-foreground', mode: 0o755 },
    '/usr/src/wordpress/wp-config-docker.php': { from: 'wordpress/wp-config-docker.php', mode: 0o644 },
    '/usr/src/wordpress/.htaccess': { from: 'wordpress/htaccess', mode: 0o644 },
    '/etc/apache2/conf-available/docker-php.conf': { from: 'wordpress/docker-php.conf', mode: 0o644 },
    '/etc/apache2/conf-available/remoteip.conf': { from: 'wordpress/remoteip.conf', mode: 0o644 },
    [`/etc/php/${PHP}/apache2/conf.d/90-wordpress.ini`]: { from: 'wordpress/php-wordpress.ini', mode: 0o644 },
    [`/etc/php/${PHP}/cli/conf.d/90-wordpress.ini`]: { from: 'wordpress/php-wordpress.ini', mode: 0o644 },
  },
  customize: [...WORDPRESS_TREE, ...APACHE, ...PHP_INI],
  // /run/apache2 is part of the image, as in the official one.
  skip: ['cleanup/run'],
  config: [
    // Where `COPY custom.ini $PHP_INI_DIR/conf.d/` (the documented way) reaches Apache's PHP.
    `ENV PHP_INI_DIR=/etc/php/${PHP}/apache2`,
    'ENV APACHE_CONFDIR=/etc/apache2',
    'ENV APACHE_ENVVARS=/etc/apache2/envvars',
    'VOLUME ["/var/www/html"]',
    'WORKDIR /var/www/html',
    'EXPOSE 80',
    // Apache's graceful stop: requests in progress finish.
    'STOPSIGNAL SIGWINCH',
    'ENTRYPOINT ["docker-entrypoint.sh"]',
    'CMD ["apache2-foreground"]',
  ],
  differences: [
    `PHP ${PHP} from Debian (/etc/php/${PHP}, PHP_INI_DIR=/etc/php/${PHP}/apache2, which the CLI does not read) instead of PHP 8.3 built from source under /usr/local (php:8.3-apache): \`php -v\`, the X-Powered-By header, Apache's banner (\`Apache/2.4.71 (Debian) PHP/${PHP}.x\`) and Site Health show ${PHP}. Debian's PHP has a few more extensions enabled (calendar, ffi, gettext, shmop, sockets, sysv*, xsl; pcntl in the CLI).`,
    'No docker-php-ext-install/-enable/-configure, docker-php-source, docker-php-entrypoint or pecl: extensions come from `apt-get install php8.4-<name>`.',
    "WordPress is Debian's 6.8.x package (6.8.12 when written; the official 6.8 tags stopped at 6.8.3), with Debian's patches (bundled getID3, lodash, underscore, cropper are Debian's copies), not the wordpress.org tarball; no Hello Dolly plugin.",
    'No imagick extension (ImageMagick) and no Ghostscript: images are processed with GD, PDF previews are not made.',
    "Debian's wordpress package depends on the MariaDB client, so `mariadb`/`mysql` exist in the image (the official image has no database client).",
    'Offline, WordPress cannot reach api.wordpress.org: the installer skips its language chooser and opens at step 1 in English (the real image does the same without Internet, and shows the chooser with it).',
  ],
};
