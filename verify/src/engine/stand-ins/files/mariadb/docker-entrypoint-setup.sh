# Sourced by docker-entrypoint.sh (mariadb:11.8 stand-in), after docker-entrypoint-common.sh,
# whose functions it uses: the work done on a temporary server without networking before the
# real one starts. A first start (mariadb-install-db, time zones, root and application accounts,
# healthcheck users, /docker-entrypoint-initdb.d) and, with MARIADB_AUTO_UPGRADE, an upgrade of
# a data directory from an older major.minor. Separate because it is the biggest job and runs
# only on those starts; every later start skips it.
# Server without networking, for the first-start setup only.
start_setup_server() {
	"$@" --skip-networking --socket="$SOCKET" --default-time-zone=SYSTEM --wsrep_on=OFF \
		--expire-logs-days=0 --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 \
		--skip-ssl --ssl-cert='' --ssl-key='' --ssl-ca='' &
	SETUP_PID=$!
	note "Waiting for server startup"
	local auth=()
	if [ -z "$HAS_DATABASE" ]; then auth=(--no-password); fi
	local _
	for _ in $(seq 30); do
		if sql "${auth[@]}" --database=mysql --skip-ssl <<<'SELECT 1' >/dev/null 2>&1; then return 0; fi
		kill -0 "$SETUP_PID" 2>/dev/null || break
		sleep 1
	done
	fail "Unable to start server."
}

stop_setup_server() {
	kill "$SETUP_PID"
	wait "$SETUP_PID"
}

initialise_files() {
	note "Initializing database files"
	local extra=() arg
	for arg in "${@:2}"; do
		if [[ "$arg" =~ [[:space:]] ]]; then
			warn "Not passing argument '$arg' to mariadb-install-db because mariadb-install-db does not support arguments with whitespace."
		else
			extra+=("$arg")
		fi
	done
	# The image's own log already says what happens; the tool's long help text would drown it.
	mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
		"${extra[@]}" --cross-bootstrap --skip-test-db --old-mode='UTF8_IS_UTF8MB3' \
		--default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
		--loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
	note "Database files initialized"
}

# SQL for the healthcheck users, and their option file that healthcheck.sh reads.
healthcheck_users() {
	local password
	password="$(pwgen --numerals --capitalize --symbols --remove-chars="=#'\\" -1 32)"
	local quoted
	quoted="$(sql_literal "$password")"
	local grant="${MARIADB_HEALTHCHECK_GRANTS:-USAGE}" host
	for host in 127.0.0.1 ::1 localhost; do
		printf "CREATE USER IF NOT EXISTS healthcheck@'%s' IDENTIFIED BY '%s';\n" "$host" "$quoted"
		printf "SET PASSWORD FOR healthcheck@'%s' = PASSWORD('%s');\n" "$host" "$quoted"
		printf "GRANT %s ON *.* TO healthcheck@'%s';\n" "$grant" "$host"
	done
	(
		umask 077
		printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\n' "$PORT" "$SOCKET" "$password" >"$DATADIR/.my-healthcheck.cnf"
	)
}

create_accounts() {
	if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
		mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo | sql --no-password --database=mysql
	fi
	if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		MARIADB_ROOT_PASSWORD="$(pwgen --numerals --capitalize --symbols --remove-chars="'\\" -1 32)"
		export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD="$MARIADB_ROOT_PASSWORD"
		note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi
	local root_pw root_host="$MARIADB_ROOT_HOST" statements=()
	root_pw="$(sql_literal "$MARIADB_ROOT_PASSWORD")"
	if [ -z "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		statements+=("SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root_pw');")
	fi
	if [ -n "$root_host" ] && [ "$root_host" != localhost ]; then
		if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
			statements+=("CREATE USER 'root'@'$root_host' IDENTIFIED BY PASSWORD '$MARIADB_ROOT_PASSWORD_HASH';")
		else
			statements+=("CREATE USER 'root'@'$root_host' IDENTIFIED BY '$root_pw';")
		fi
		statements+=("GRANT ALL ON *.* TO 'root'@'$root_host' WITH GRANT OPTION;")
		statements+=("GRANT PROXY ON ''@'%' TO 'root'@'$root_host' WITH GRANT OPTION;")
	fi
	if [ -n "$MARIADB_MYSQL_LOCALHOST_USER" ]; then
		statements+=("CREATE USER mysql@localhost IDENTIFIED VIA unix_socket;")
		if [ -n "$MARIADB_MYSQL_LOCALHOST_GRANTS" ]; then
			statements+=("GRANT $MARIADB_MYSQL_LOCALHOST_GRANTS ON *.* TO mysql@localhost;")
		fi
	fi
	statements+=("$(healthcheck_users)")

	local app=()
	if [ -n "$MARIADB_DATABASE" ]; then
		note "Creating database ${MARIADB_DATABASE}"
		app+=("CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;")
	fi
	if [ -n "$MARIADB_USER" ] && [ -n "$MARIADB_PASSWORD$MARIADB_PASSWORD_HASH" ]; then
		note "Creating user ${MARIADB_USER}"
		if [ -n "$MARIADB_PASSWORD_HASH" ]; then
			app+=("CREATE USER '$MARIADB_USER'@'$MARIADB_USER_HOST' IDENTIFIED BY PASSWORD '$MARIADB_PASSWORD_HASH';")
		else
			app+=("CREATE USER '$MARIADB_USER'@'$MARIADB_USER_HOST' IDENTIFIED BY '$(sql_literal "$MARIADB_PASSWORD")';")
		fi
		if [ -n "$MARIADB_DATABASE" ]; then
			note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
			# `_` is a wildcard in a GRANT's database name: escape it to grant exactly this one.
			app+=("GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$MARIADB_USER'@'$MARIADB_USER_HOST';")
		fi
	fi

	note "Securing system users (equivalent to running mysql_secure_installation)"
	# Accounts are not written to the binary log: a replica must not receive them.
	sql --no-password --database=mysql --binary-mode <<-EOSQL
		SET @saved_log_bin = @@SESSION.SQL_LOG_BIN;
		SET @@SESSION.SQL_LOG_BIN = 0;
		SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
		$(printf '%s\n' "${statements[@]}")
		SET @@SESSION.SQL_LOG_BIN = @saved_log_bin;
		$(printf '%s\n' "${app[@]}")
	EOSQL
}

# /docker-entrypoint-initdb.d, in name order: executable .sh files are run, others sourced.
run_init_files() {
	echo
	local f
	for f in "$@"; do
		case "$f" in
		*.sh)
			if [ -x "$f" ]; then
				note "$0: running $f"
				"$f"
			else
				note "$0: sourcing $f"
				# shellcheck disable=SC1090
				. "$f"
			fi
			;;
		*.sql) note "$0: running $f"; sql <"$f"; echo ;;
		*.sql.gz) note "$0: running $f"; gunzip -c "$f" | sql; echo ;;
		*.sql.xz) note "$0: running $f"; xzcat "$f" | sql; echo ;;
		*.sql.zst) note "$0: running $f"; zstd -dc "$f" | sql; echo ;;
		*) warn "$0: ignoring $f" ;;
		esac
		echo
	done
}

first_start() {
	ls /docker-entrypoint-initdb.d/ >/dev/null
	initialise_files "$@"
	note "Starting temporary server"
	start_setup_server "$@"
	note "Temporary server started."
	create_accounts
	run_init_files /docker-entrypoint-initdb.d/*
	if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		note "Setting root@localhost password hash"
		sql --no-password --binary-mode <<<"SET @@SESSION.SQL_LOG_BIN=0; SET PASSWORD FOR 'root'@'localhost' = '$MARIADB_ROOT_PASSWORD_HASH';"
	fi
	note "Stopping temporary server"
	stop_setup_server
	note "Temporary server stopped"
	echo
	note "MariaDB init process done. Ready for start up."
	echo
}

# major.minor of the server and of the data directory (mariadb_upgrade_info, e.g. 11.8.9-MariaDB).
upgrade_needed() {
	local info="$DATADIR/mariadb_upgrade_info" ours theirs
	if [ ! -f "$info" ]; then
		note "MariaDB upgrade information missing, assuming required"
		return 0
	fi
	ours="$(mariadbd --version | grep -oE '[0-9]+\.[0-9]+' | head -n1)"
	theirs="$(grep -oE '^[0-9]+\.[0-9]+' "$info" || true)"
	if [ -z "$theirs" ] || [ "$(printf '%s\n%s\n' "$theirs" "$ours" | sort -V | head -n1)" != "$ours" ]; then
		return 0
	fi
	if [ ! -f "$DATADIR/.my-healthcheck.cnf" ]; then
		note "MariaDB healthcheck configuration file missing, assuming desirable"
		return 0
	fi
	note "MariaDB upgrade not required"
	return 1
}

upgrade() {
	if [ -z "$MARIADB_AUTO_UPGRADE" ] || [ "$MARIADB_AUTO_UPGRADE" = 0 ]; then
		note "MariaDB upgrade (mariadb-upgrade or creating healthcheck users) required, but skipped due to \$MARIADB_AUTO_UPGRADE setting"
		return
	fi
	note "Starting temporary server"
	start_setup_server "$@" --skip-grant-tables --loose-innodb_buffer_pool_dump_at_shutdown=0
	note "Temporary server started."
	if [ "$MARIADB_DISABLE_UPGRADE_BACKUP" != 1 ]; then
		local old backup
		old="$(head -n1 "$DATADIR/mariadb_upgrade_info" 2>/dev/null || true)"
		backup="system_mysql_backup_${old:-unknown_version}.sql.zst"
		note "Backing up system database to $backup"
		mariadb-dump --skip-lock-tables --replace --databases mysql --socket="$SOCKET" | zstd >"$DATADIR/$backup" ||
			fail "Unable backup system database for upgrade from ${old:-unknown_version}."
		note "Backing up complete"
	fi
	note "Starting mariadb-upgrade"
	mariadb-upgrade --upgrade-system-tables --socket="$SOCKET"
	note "Finished mariadb-upgrade"
	if [ ! -f "$DATADIR/.my-healthcheck.cnf" ]; then
		note "Creating healthcheck users"
		{
			echo "SET @@SESSION.SQL_LOG_BIN=0; FLUSH PRIVILEGES;"
			healthcheck_users
		} | sql --no-password --binary-mode
	fi
	note "Stopping temporary server"
	stop_setup_server
	note "Temporary server stopped"
}
