#!/bin/bash
# Entrypoint of the mariadb:11.8 stand-in (Debian's MariaDB 11.8). It offers the interface the
# official image documents: MARIADB_* / MYSQL_* variables (and their *_FILE forms) read on the
# first start only, /docker-entrypoint-initdb.d, a data directory that is initialised once, the
# server run as user mysql and exec'd as PID 1 so that `docker stop` shuts it down cleanly.
# Log lines keep the official wording ("<date> [Note] [Entrypoint]: …"): readers compare them.
set -eo pipefail
shopt -s nullglob

# The functions live beside it, split by job (each file's header says what it holds):
# plumbing (logging, variables, settings, SQL) and the temporary server's first start/upgrade.
# shellcheck source=docker-entrypoint-common.sh
. /usr/local/lib/docker-entrypoint-common.sh
# shellcheck source=docker-entrypoint-setup.sh
. /usr/local/lib/docker-entrypoint-setup.sh

# Options that make mariadbd print something and exit: no setup for those.
wants_info_only() {
	local a
	for a; do
		case "$a" in -'?' | --help | --print-defaults | -V | --version) return 0 ;; esac
	done
	return 1
}

main() {
	if [ "${1:0:1}" = - ]; then set -- mariadbd "$@"; fi
	if { [ "$1" = mariadbd ] || [ "$1" = mysqld ]; } && ! wants_info_only "$@"; then
		: "${MARIADB_VERSION:=$(dpkg-query -W -f='${Version}' mariadb-server 2>/dev/null || true)}"
		note "Entrypoint script for MariaDB Server ${MARIADB_VERSION} started."
		read_settings "$@"
		prepare_directories
		if [ "$(id -u)" = 0 ]; then
			note "Switching to dedicated user 'mysql'"
			exec gosu mysql "${BASH_SOURCE[0]}" "$@"
		fi
		if [ -z "$HAS_DATABASE" ]; then
			require_password_option
			first_start "$@"
		elif upgrade_needed; then
			upgrade "$@"
		fi
		# The server does not need them, and `docker exec … env` should not show them.
		local p
		for p in ROOT_ REPLICATION_ ''; do
			unset "MARIADB_${p}PASSWORD" "MARIADB_${p}PASSWORD_HASH" "MYSQL_${p}PASSWORD"
		done
		unset MYSQL_ROOT_HOST MARIADB_ROOT_HOST
	fi
	exec "$@"
}

# Sourced (`source docker-entrypoint.sh` in a script of one's own, as the official script allows,
# even with arguments in "$@"): the functions only, nothing run. Executed: the entrypoint.
is_sourced() {
	[ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[0]}" = is_sourced ] && [ "${FUNCNAME[1]}" = source ]
}
if ! is_sourced; then
	main "$@"
fi
