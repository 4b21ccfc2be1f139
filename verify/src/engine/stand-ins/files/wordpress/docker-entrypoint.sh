#!/bin/bash
# Entrypoint of the wordpress:6.8-apache stand-in (Debian's WordPress 6.8, Apache, PHP 8.4).
# What the official image documents: on a start of Apache (or php-fpm, or when called as
# docker-ensure-installed.sh), copy WordPress from /usr/src/wordpress into the working directory
# (/var/www/html, a volume) if it is not there yet, and write a wp-config.php that reads the
# WORDPRESS_* variables if some are given and there is no wp-config.php. Then exec the command.
# The messages are the official image's, on stderr: readers see them in `docker logs`.
set -Eeuo pipefail

SRC=/usr/src/wordpress

sets_up_wordpress() {
	case "${1-}" in apache2* | php-fpm) return 0 ;; esac
	[ "$(basename "$0")" = docker-ensure-installed.sh ]
}

# Who will own the copied files: Apache's run user when started as root, else the caller.
owner() {
	if [ "$(id -u)" != 0 ]; then
		echo "$(id -u):$(id -g)"
		return
	fi
	local user=www-data group=www-data
	if [[ "${1-}" == apache2* ]]; then
		user="${APACHE_RUN_USER:-www-data}"
		group="${APACHE_RUN_GROUP:-www-data}"
	fi
	# Apache accepts '#1000' for a numeric id; chown and tar want 1000.
	echo "${user#'#'}:${group#'#'}"
}

copy_wordpress() {
	local who="$1"
	if [ "$(id -u)" = 0 ] && [ "$(stat -c %u:%g .)" = 0:0 ]; then
		# A directory Docker just created for a bind mount: let the web server write to it.
		chown "$who" .
	fi
	echo >&2 "WordPress not found in $PWD - copying now..."
	if [ -n "$(find . -mindepth 1 -maxdepth 1 ! -name wp-content)" ]; then
		echo >&2 "WARNING: $PWD is not empty! (copying anyhow)"
	fi
	# Plugins, themes and .htaccess already in the target were put there on purpose (a kept
	# wp-content, a mounted theme): never overwrite them with the image's copy.
	local skip=() path rel
	for path in "$SRC/.htaccess" "$SRC"/wp-content/*/*/; do
		path="${path%/}"
		[ -e "$path" ] || continue
		rel="${path#"$SRC"/}"
		if [ -e "$PWD/$rel" ]; then
			echo >&2 "WARNING: '$PWD/$rel' exists! (not copying the WordPress version)"
			skip+=(--exclude "./$rel")
		fi
	done
	local extract=(--extract --file -)
	if [ "$(id -u)" != 0 ]; then
		# Not root: the directory's own mode and times cannot be changed, and need not be.
		extract+=(--no-overwrite-dir)
	fi
	tar --create --file - --directory "$SRC" --owner "${who%:*}" --group "${who#*:}" "${skip[@]}" . | tar "${extract[@]}"
	echo >&2 "Complete! WordPress has been successfully copied to $PWD"
}

# wp-config.php from the template, each "put your unique phrase here" a different random key.
write_config() {
	local who="$1" template
	local vars=("${!WORDPRESS_@}")
	for template in wp-config-docker.php "$SRC/wp-config-docker.php"; do
		[ -s "$template" ] || continue
		echo >&2 "No 'wp-config.php' found in $PWD, but 'WORDPRESS_...' variables supplied; copying '$template' (${vars[*]})"
		local line key
		while IFS= read -r line || [ -n "$line" ]; do
			while [[ "$line" == *'put your unique phrase here'* ]]; do
				key="$(head -c 1M /dev/urandom | sha1sum | cut -d' ' -f1)"
				line="${line/put your unique phrase here/$key}"
			done
			printf '%s\n' "$line"
		done <"$template" >wp-config.php
		if [ "$(id -u)" = 0 ]; then
			# Some file systems (NFS) refuse chown: the file is still usable.
			chown "$who" wp-config.php || true
		fi
		return
	done
}

if sets_up_wordpress "$@"; then
	who="$(owner "$@")"
	if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
		copy_wordpress "$who"
	fi
	wp_vars=("${!WORDPRESS_@}")
	if [ ! -s wp-config.php ] && [ "${#wp_vars[@]}" -gt 0 ]; then
		write_config "$who"
	fi
fi

exec "$@"
