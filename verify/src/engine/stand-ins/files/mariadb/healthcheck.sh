#!/bin/bash
# healthcheck.sh of the mariadb:11.8 stand-in: the tests the official image documents for
# HEALTHCHECK lines, run in the order given; exit 0 only if all pass. It signs in as the
# `healthcheck` user the entrypoint created (credentials in $datadir/.my-healthcheck.cnf).
#   --connect                    the server answers (over TCP if the socket says nothing)
#   --innodb_initialized         InnoDB is available
#   --innodb_buffer_pool_loaded  the buffer pool load at startup has completed
#   --mariadbupgrade             no mariadb-upgrade holds the data directory
#   --su=USER, --su-mysql        run as another Unix user (must come first)
#   --datadir=DIR, --defaults-file=F, --defaults-extra-file=F, --defaults-group-suffix=S,
#   --no-defaults, --no-connect
# Galera and replication tests are not provided by this stand-in.
set -eo pipefail

datadir=/var/lib/mysql
declare -A defaults=()
no_defaults=
connected=

client() {
	local opts=()
	if [ -n "$no_defaults" ]; then opts+=(--no-defaults); fi
	if [ -n "${defaults[file]:-}" ]; then opts+=(--defaults-file="${defaults[file]}"); fi
	if [ -n "${defaults[extra_file]:-}" ]; then opts+=(--defaults-extra-file="${defaults[extra_file]}"); fi
	if [ -n "${defaults[group_suffix]:-}" ]; then opts+=(--defaults-group-suffix="${defaults[group_suffix]}"); fi
	mariadb "${opts[@]}" --skip-ssl --skip-ssl-verify-server-cert "$@"
}

query() { client --protocol socket --batch --skip-column-names -e "$1"; }

connect() {
	local answer
	answer="$(query 'select @@skip_networking' 2>/dev/null || true)"
	if [ "$answer" = 0 ] || [ "$answer" = 1 ]; then
		connected=$answer
		return "$answer"
	fi
	answer="$(client -h localhost --protocol tcp --batch --skip-column-names -e 'select @@skip_networking' 2>&1 || true)"
	case "$answer" in
	0 | 'ERROR 1820 (HY000)'* | 'ERROR 4151 (HY000)'* | 'ERROR 1226 (42000)'* | ERROR\ 1[0-9][0-9][0-9]\ \(28000\)*)
		# The server answered, even if it refused this account: it is up.
		connected=0 ;;
	1 | 'ERROR 2002 (HY000)'*) connected=1 ;;
	*)
		echo "Unknown error $answer" >&2
		connected=1 ;;
	esac
	return "$connected"
}

innodb_initialized() {
	[ "$(query "select 1 from information_schema.ENGINES where engine='innodb' and support in ('YES', 'DEFAULT', 'ENABLED')")" = 1 ]
}

innodb_buffer_pool_loaded() {
	[[ "$(query "select VARIABLE_VALUE from information_schema.GLOBAL_STATUS where VARIABLE_NAME='Innodb_buffer_pool_load_status'")" =~ 'load completed' ]]
}

mariadbupgrade() {
	local f="$datadir/mariadb_upgrade_info"
	[ -r "$f" ] || return 0
	flock --exclusive --nonblock 9 9<"$f"
}

if [ $# -eq 0 ]; then
	echo "At least one argument required" >&2
	exit 1
fi
if [ -f "$datadir/.my-healthcheck.cnf" ]; then defaults[extra_file]="$datadir/.my-healthcheck.cnf"; fi

while [ $# -gt 0 ]; do
	test=
	case "$1" in
	--su=*) u="${1#*=}"; shift; exec gosu "$u" "${BASH_SOURCE[0]}" "$@" ;;
	--su) u="$2"; shift 2; exec gosu "$u" "${BASH_SOURCE[0]}" "$@" ;;
	--su-mysql) shift; exec gosu mysql "${BASH_SOURCE[0]}" "$@" ;;
	--datadir=*) datadir="${1#*=}" ;;
	--datadir) shift; datadir="$1" ;;
	--no-defaults) defaults=(); no_defaults=1 ;;
	--defaults-file=* | --defaults-extra-file=* | --defaults-group-suffix=*)
		key="${1%%=*}"; key="${key#--defaults-}"; key="${key//-/_}"
		defaults[$key]="${1#*=}"; no_defaults= ;;
	--no-connect) connected=0 ;;
	--connect | --innodb_initialized | --innodb_buffer_pool_loaded | --mariadbupgrade) test="${1#--}" ;;
	--*)
		echo "healthcheck unknown option or test '${1#--}'" >&2
		exit 1 ;;
	*)
		echo "Unknown healthcheck option $1" >&2
		exit 1 ;;
	esac
	if [ -n "$test" ] && ! "$test"; then
		echo "healthcheck $test failed" >&2
		exit 1
	fi
	shift
done

# Passing tests without a connection test proves little: end with one, as the official script does.
if [ "$connected" != 0 ]; then
	connect
fi
