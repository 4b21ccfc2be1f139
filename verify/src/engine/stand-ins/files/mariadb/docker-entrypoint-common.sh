# Sourced by docker-entrypoint.sh (mariadb:11.8 stand-in), which sets `set -eo pipefail` and
# nullglob first: the plumbing every step of the entrypoint uses. Log lines in the official
# wording, MARIADB_*/MYSQL_* variables and their *_FILE forms, the server's settings (datadir,
# socket, port) from `mariadbd --verbose --help`, the data and socket directories, the password
# options' checks, and SQL through the local socket (also docker_process_sql and "${mysql[@]}",
# which sourced init scripts call). Separate from the entry so that file stays short, and from
# docker-entrypoint-setup.sh, which holds what the temporary server does with all this.
log_line() { printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$1" "$2"; }
note() { log_line Note "$*"; }
warn() { log_line Warn "$*" >&2; }
fail() {
	log_line ERROR "$*" >&2
	exit 1
}

# VAR from VAR, or from the file named by VAR_FILE (Docker secrets); never both.
load_var() {
	local name="$1" default="${2:-}" file_name="${1}_FILE"
	if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then
		fail "Both $name and $file_name are set (but are exclusive)"
	fi
	local value="$default"
	if [ -n "${!name:-}" ]; then
		value="${!name}"
	elif [ -n "${!file_name:-}" ]; then
		value="$(<"${!file_name}")"
	fi
	export "$name=$value"
	unset "$file_name"
}

# MARIADB_X and its older alias MYSQL_X end up with the same value, MARIADB_X winning.
load_pair() {
	local old="MYSQL_$1" new="MARIADB_$1"
	load_var "$old" "${2:-}"
	load_var "$new" "${!old}"
	export "$old=${!new}"
}

# A value from `mariadbd --verbose --help` (option files and command line applied): the
# "name   value" lines of its table, not the option descriptions above it. (awk reads to the
# end: an early exit would break the pipe, an error under pipefail.)
option_value() {
	printf '%s\n' "$SERVER_HELP" | awk -v o="$1" '!done && $1 == o && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; done = 1 }'
}

# One run of `mariadbd --verbose --help` checks the configuration and gives the settings (each
# run takes about a second: it starts the server's option parsing and plugin listing).
read_settings() {
	if ! SERVER_HELP="$("$@" --verbose --help 2>/dev/null)"; then
		# Again for its errors alone (no temporary file: the root file system may be read-only).
		local errors
		errors="$("$@" --verbose --help 2>&1 >/dev/null || true)"
		fail $'mariadbd failed while attempting to check config\n\tcommand was: '"$* --verbose --help"$'\n\t'"$errors"
	fi
	DATADIR="$(option_value datadir)"
	SOCKET="$(option_value socket)"
	PORT="$(option_value port)"
	load_pair ROOT_HOST '%'
	load_pair DATABASE
	load_pair USER
	load_pair PASSWORD
	load_pair ROOT_PASSWORD
	load_var MARIADB_PASSWORD_HASH
	load_var MARIADB_ROOT_PASSWORD_HASH
	load_var MARIADB_USER_HOST '%'
	: "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
	: "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
	: "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
	export MARIADB_ALLOW_EMPTY_ROOT_PASSWORD MYSQL_ALLOW_EMPTY_PASSWORD="$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"
	export MARIADB_RANDOM_ROOT_PASSWORD MYSQL_RANDOM_ROOT_PASSWORD="$MARIADB_RANDOM_ROOT_PASSWORD"
	export MARIADB_INITDB_SKIP_TZINFO MYSQL_INITDB_SKIP_TZINFO="$MARIADB_INITDB_SKIP_TZINFO"
	HAS_DATABASE=
	if [ -d "$DATADIR/mysql" ]; then HAS_DATABASE=yes; fi
}

# Run as root: give the data and socket directories to mysql (a fresh volume or bind mount
# belongs to root), and the cgroup's memory.pressure file, which MariaDB 11 watches.
prepare_directories() {
	mkdir -p "$DATADIR"
	[ "$(id -u)" = 0 ] || return 0
	find "$DATADIR" \! -user mysql -exec chown mysql: '{}' +
	if [ "${SOCKET:0:1}" != '@' ]; then
		mkdir -p "${SOCKET%/*}"
		find "${SOCKET%/*}" -maxdepth 0 \! -user mysql -exec chown mysql: '{}' +
	fi
	# The unified (v2) hierarchy's line, "0::/path"; on a v1 host there are others before it.
	local cgroup pressure
	cgroup="$(sed -n 's/^0:://p' /proc/self/cgroup)"
	pressure="/sys/fs/cgroup/${cgroup}/memory.pressure"
	if [ -w "$pressure" ]; then
		chown mysql: "$pressure" || warn "unable to change ownership of $pressure, functionality unavailable to MariaDB"
	else
		warn "$pressure not writable, functionality unavailable to MariaDB"
	fi
}

require_password_option() {
	if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ROOT_PASSWORD_HASH" ] &&
		[ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		fail $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
	fi
	if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ] &&
		[ -n "$MARIADB_ROOT_PASSWORD$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		fail "Cannot specify MARIADB_ROOT_PASSWORD_HASH and another MARIADB_ROOT_PASSWORD* option."
	fi
	if [ -n "$MARIADB_PASSWORD" ] && [ -n "$MARIADB_PASSWORD_HASH" ]; then
		fail "Cannot specify MARIADB_PASSWORD_HASH and MARIADB_PASSWORD option."
	fi
}

# SQL through the local socket as root. The root password is used once it has been set.
sql() {
	local password="$MARIADB_ROOT_PASSWORD"
	if [ "$1" = --no-password ]; then
		password=
		shift
	fi
	local db=()
	if [ -n "$MARIADB_DATABASE" ]; then db=(--database="$MARIADB_DATABASE"); fi
	MYSQL_PWD="$password" mariadb --protocol=socket -uroot -hlocalhost --socket="$SOCKET" "${db[@]}" "$@"
}
# Kept for init scripts written for the official image, which call these names.
docker_process_sql() {
	if [ "$1" = --dont-use-mysql-root-password ]; then
		shift
		sql --no-password "$@"
	else
		sql "$@"
	fi
}
# shellcheck disable=SC2034 # used by sourced init scripts: "${mysql[@]}" < dump.sql
mysql=(docker_process_sql)

# 'it'\''s' → it\'s, for a string literal in SQL.
sql_literal() {
	local s="${1//\\/\\\\}"
	s="${s//$'\n'/\\n}"
	printf '%s' "${s//\'/\\\'}"
}
