// The mariadb:11.8 and wordpress:6.8-apache stand-ins against the real engine (no mocks): the
// images are built (or reused, same recipe hash) as the harness makes them (ensureImages), then
// used the way the official images' documentation and the course use them: a MariaDB with a
// database, a user and init scripts, reached by the `mariadb` client from another container on a
// user network; a second start on the same volume; the documented error without a password;
// WordPress on the same kind of network serving its installation page to `curl -L` from another
// container. Everything created carries the run's labels and is removed at the end (removeRun).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/engine/cache-dir.ts';
import { removeRun } from '../../src/engine/cleanup.ts';
import { connectEngine, type Engine } from '../../src/engine/engine.ts';
import { runLabels, slug } from '../../src/engine/labels.ts';
import { run, sleep, type RunResult } from '../../src/engine/proc.ts';
import { ensureStandIns } from './stand-ins.ts';

const log = (msg: string) => console.log(`[stand-ins-db] ${msg}`);
const MARIADB = 'mariadb:11.8';
const WORDPRESS = 'wordpress:6.8-apache';

let engine: Engine;
const runId = `db-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const name = (what: string) => `curso-verify-${slug(runId)}-${what}`;
const network = name('net');
const labelArgs = () => Object.entries(runLabels(runId, 'stand-in-test')).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

const docker = (args: string[], timeoutMs = 120_000): Promise<RunResult> => run('docker', args, { env: engine.env, timeoutMs });

/** `docker run --rm` on the test network: a client container. */
function client(image: string, cmd: string[]): Promise<RunResult> {
  return docker(['run', '--rm', '--network', network, ...labelArgs(), image, ...cmd]);
}

async function logsOf(container: string): Promise<string> {
  return (await docker(['logs', container])).all;
}

/** Waits until the container's log matches `re`; ms since `since`. Fails if it exits first. */
async function waitForLog(container: string, re: RegExp, since: number, timeoutMs = 180_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (re.test(await logsOf(container))) return Date.now() - since;
    const state = await engine.docker.getContainer(container).inspect();
    if (!state.State.Running) throw new Error(`${container} exited (${state.State.ExitCode}):\n${await logsOf(container)}`);
    if (Date.now() > deadline) throw new Error(`${container}: no ${re} within ${timeoutMs} ms:\n${await logsOf(container)}`);
    await sleep(250);
  }
}

/** A labelled volume (one `-v` would create unlabelled, which cleanup would not find). */
async function ensureVolume(volume: string): Promise<void> {
  if ((await docker(['volume', 'inspect', volume])).exitCode === 0) return;
  const r = await docker(['volume', 'create', ...labelArgs(), volume]);
  expect(r.exitCode, r.all).toBe(0);
}

/** A MariaDB container on the test network, created (not started), data on `volume`. */
async function createMariadb(container: string, alias: string, volume: string, env: Record<string, string>): Promise<void> {
  await ensureVolume(volume);
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const r = await docker([
    'create',
    '--name',
    container,
    '--network',
    network,
    '--network-alias',
    alias,
    ...labelArgs(),
    '-v',
    `${volume}:/var/lib/mysql`,
    ...envArgs,
    MARIADB,
  ]);
  expect(r.exitCode, r.all).toBe(0);
}

/** The second server line with port 3306 is the real server (the first-start one has port 0). */
const SERVING = /ready for connections\.\nVersion: '[^']*'\s+socket: '[^']*'\s+port: 3306/;

// Init scripts of every documented kind: .sql, .sql.gz, a sourced (non-executable) .sh using the
// official helper names, an executable .sh, and a file the entrypoint ignores.
const initDir = mkdtempSync(join(tmpdir(), 'curso-verify-test-initdb-'));
writeFileSync(join(initDir, '10-schema.sql'), "CREATE TABLE seeded (v VARCHAR(20));\nINSERT INTO seeded VALUES ('from-sql');\n");
writeFileSync(join(initDir, '20-more.sql.gz'), gzipSync("INSERT INTO seeded VALUES ('from-gz');\n"));
writeFileSync(join(initDir, '30-sourced.sh'), `"\${mysql[@]}" <<<"INSERT INTO seeded VALUES ('from-sourced-sh');"\n`);
writeFileSync(join(initDir, '40-run.sh'), '#!/bin/sh\necho "init script ran as $(id -un)"\n');
chmodSync(join(initDir, '40-run.sh'), 0o755);
writeFileSync(join(initDir, 'notes.txt'), 'not a script\n');

beforeAll(async () => {
  engine = await connectEngine({ cacheDir: defaultCacheDir(), log });
  await ensureStandIns(engine, [MARIADB, WORDPRESS], log);
  const r = await docker(['network', 'create', ...labelArgs(), network]);
  expect(r.exitCode, r.all).toBe(0);
});

afterAll(async () => {
  rmSync(initDir, { recursive: true, force: true });
  if (engine) await removeRun(engine, runId);
});

describe('mariadb:11.8', () => {
  const db = name('db');
  const volume = name('dbdata');
  let firstStartLog = '';

  beforeAll(async () => {
    await createMariadb(db, 'db', volume, {
      MARIADB_DATABASE: 'appdb',
      MARIADB_USER: 'app',
      MARIADB_PASSWORD: 'app-secret',
      MARIADB_ROOT_PASSWORD: 'root-secret',
    });
    const cp = await docker(['cp', `${initDir}/.`, `${db}:/docker-entrypoint-initdb.d/`]);
    expect(cp.exitCode, cp.all).toBe(0);
    const t = Date.now();
    expect((await docker(['start', db])).exitCode).toBe(0);
    log(`first start: ready for connections after ${(await waitForLog(db, SERVING, t)) / 1000} s`);
    firstStartLog = await logsOf(db);
  });

  it('logs the first start as the official entrypoint does', () => {
    for (const line of [
      /\[Note\] \[Entrypoint\]: Entrypoint script for MariaDB Server 1:11\.8\.[^ ]+ started\./,
      /\[Note\] \[Entrypoint\]: Switching to dedicated user 'mysql'/,
      /\[Note\] \[Entrypoint\]: Initializing database files/,
      /\[Note\] \[Entrypoint\]: Creating database appdb/,
      /\[Note\] \[Entrypoint\]: Creating user app/,
      /\[Note\] \[Entrypoint\]: Giving user app access to schema appdb/,
      /\[Note\] \[Entrypoint\]: MariaDB init process done\. Ready for start up\./,
      /\[Note\] mariadbd: ready for connections\./,
    ]) {
      expect(firstStartLog).toMatch(line);
    }
  });

  it('answers the user from another container on the network, with the mariadb client', async () => {
    const r = await client(MARIADB, [
      'mariadb',
      '-h',
      'db',
      '-u',
      'app',
      '-papp-secret',
      'appdb',
      '-N',
      '-B',
      '-e',
      'SELECT DATABASE(), CURRENT_USER(), VERSION()',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/^appdb\tapp@%\t11\.8\.\d+-MariaDB/);
  });

  it('lets root in from the network with MARIADB_ROOT_PASSWORD', async () => {
    const r = await client(MARIADB, ['mysql', '-h', 'db', '-uroot', '-proot-secret', '-N', '-B', '-e', 'SELECT CURRENT_USER()']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim()).toBe('root@%');
  });

  it('ran every kind of init script in /docker-entrypoint-initdb.d, in the database, in order', async () => {
    const r = await client(MARIADB, [
      'mariadb',
      '-h',
      'db',
      '-u',
      'app',
      '-papp-secret',
      'appdb',
      '-N',
      '-B',
      '-e',
      'SELECT v FROM seeded',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['from-sql', 'from-gz', 'from-sourced-sh']);
    expect(firstStartLog).toMatch(
      /\[Note\] \[Entrypoint\]: \/usr\/local\/bin\/docker-entrypoint\.sh: running \/docker-entrypoint-initdb\.d\/10-schema\.sql/,
    );
    expect(firstStartLog).toMatch(/sourcing \/docker-entrypoint-initdb\.d\/30-sourced\.sh/);
    expect(firstStartLog).toMatch(/init script ran as mysql/);
    expect(firstStartLog).toMatch(
      /\[Warn\] \[Entrypoint\]: \/usr\/local\/bin\/docker-entrypoint\.sh: ignoring \/docker-entrypoint-initdb\.d\/notes\.txt/,
    );
  });

  it('runs mariadbd as PID 1 and user mysql, with the clients under both names and healthcheck.sh', async () => {
    const r = await docker([
      'exec',
      db,
      'bash',
      '-c',
      'cat /proc/1/comm; stat -c %U /proc/1; for c in mariadb mysql mariadb-admin mysqladmin mariadb-dump mysqldump; do command -v $c >/dev/null || echo "missing $c"; done; ' +
        'healthcheck.sh --connect --innodb_initialized && echo healthy; ' +
        'mysqladmin -uroot -proot-secret ping; mysqldump -uapp -papp-secret appdb seeded | grep -c "CREATE TABLE"',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['mariadbd', 'mysql', 'healthy', 'mysqld is alive', '1']);
  });

  it('stops cleanly on docker stop (the server gets the signal)', async () => {
    const t = Date.now();
    const r = await docker(['stop', db]);
    expect(r.exitCode, r.all).toBe(0);
    log(`docker stop: ${Date.now() - t} ms`);
    expect(Date.now() - t).toBeLessThan(9_000); // not the 10 s kill
    expect((await engine.docker.getContainer(db).inspect()).State.ExitCode).toBe(0);
    expect(await logsOf(db)).toMatch(/\[Note\] mariadbd: Shutdown complete/);
  });

  it('keeps the data on the volume and skips initialisation on a second start', async () => {
    const again = name('db-again');
    // No variables at all, and init scripts present: an existing data directory needs neither.
    await createMariadb(again, 'db', volume, {});
    expect((await docker(['cp', `${initDir}/.`, `${again}:/docker-entrypoint-initdb.d/`])).exitCode).toBe(0);
    const t = Date.now();
    expect((await docker(['start', again])).exitCode).toBe(0);
    log(`second start: ready for connections after ${(await waitForLog(again, SERVING, t)) / 1000} s`);
    const logs = await logsOf(again);
    expect(logs).not.toMatch(/Initializing database files|docker-entrypoint-initdb\.d|password option is not specified/);
    const r = await client(MARIADB, [
      'mariadb',
      '-h',
      'db',
      '-u',
      'app',
      '-papp-secret',
      'appdb',
      '-N',
      '-B',
      '-e',
      'SELECT COUNT(*) FROM seeded',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim()).toBe('3');
  });

  it('starts as a non-root user given with --user (the socket directory is writable)', async () => {
    const asMysql = name('db-user');
    const r = await docker([
      'run',
      '-d',
      '--name',
      asMysql,
      '--user',
      'mysql',
      ...labelArgs(),
      '-e',
      'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1',
      MARIADB,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    await waitForLog(asMysql, SERVING, Date.now());
    const q = await docker(['exec', asMysql, 'mariadb', '-uroot', '-N', '-B', '-e', 'SELECT CURRENT_USER()']);
    expect(q.stdout.trim(), q.all).toBe('root@localhost');
  });

  it('refuses to initialise without a password option, with the documented error', async () => {
    const r = await docker(['run', '--rm', ...labelArgs(), MARIADB]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified');
    expect(r.stderr).toContain(
      'You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD',
    );
  });
});

describe('wordpress:6.8-apache', () => {
  const wpdb = name('wpdb');
  const wp = name('wp');
  const wpVolume = name('wpdata');

  beforeAll(async () => {
    // As the image's documented compose file: MYSQL_* names and a random root password.
    await createMariadb(wpdb, 'wpdb', name('wpdbdata'), {
      MYSQL_DATABASE: 'exampledb',
      MYSQL_USER: 'exampleuser',
      MYSQL_PASSWORD: 'examplepass',
      MYSQL_RANDOM_ROOT_PASSWORD: '1',
    });
    const tdb = Date.now();
    expect((await docker(['start', wpdb])).exitCode).toBe(0);
    await waitForLog(wpdb, SERVING, tdb);
    expect(await logsOf(wpdb)).toMatch(/\[Note\] \[Entrypoint\]: GENERATED ROOT PASSWORD: .{32}\n/);

    await ensureVolume(wpVolume);
    const r = await docker([
      'run',
      '-d',
      '--name',
      wp,
      '--network',
      network,
      '--network-alias',
      'wordpress',
      ...labelArgs(),
      '-v',
      `${wpVolume}:/var/www/html`,
      '-e',
      'WORDPRESS_DB_HOST=wpdb:3306',
      '-e',
      'WORDPRESS_DB_USER=exampleuser',
      '-e',
      'WORDPRESS_DB_PASSWORD=examplepass',
      '-e',
      'WORDPRESS_DB_NAME=exampledb',
      '-e',
      'WORDPRESS_TABLE_PREFIX=curso_',
      WORDPRESS,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    const t = Date.now();
    // First HTTP answer of any kind, asked from inside: Apache is up and PHP runs.
    for (;;) {
      const probe = await docker(['exec', wp, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://localhost/']);
      if (/^[1-5]\d\d$/.test(probe.stdout)) break;
      if (Date.now() - t > 120_000) throw new Error(`no HTTP answer:\n${await logsOf(wp)}`);
      await sleep(100);
    }
    log(`wordpress: first HTTP answer ${(Date.now() - t) / 1000} s after docker run returned`);
  });

  it('copies WordPress into the volume and writes wp-config.php from the variables', async () => {
    const logs = await logsOf(wp);
    expect(logs).toContain('WordPress not found in /var/www/html - copying now...');
    expect(logs).toContain('Complete! WordPress has been successfully copied to /var/www/html');
    expect(logs).toMatch(
      /No 'wp-config\.php' found in \/var\/www\/html, but 'WORDPRESS_\.\.\.' variables supplied; copying 'wp-config-docker\.php' \(WORDPRESS_DB_HOST WORDPRESS_DB_NAME WORDPRESS_DB_PASSWORD WORDPRESS_DB_USER WORDPRESS_TABLE_PREFIX\)/,
    );
    const r = await docker([
      'exec',
      wp,
      'bash',
      '-c',
      'find . -type l | wc -l; stat -c %U wp-config.php wp-includes/version.php; grep -c "put your unique phrase here" wp-config.php; ' +
        'php -r \'include "wp-includes/version.php"; echo $wp_version, "\\n";\'',
    ]);
    expect(r.stdout.trim().split('\n')).toEqual(['0', 'www-data', 'www-data', '0', expect.stringMatching(/^6\.8\.\d+$/)]);
  });

  it('serves the installation page to curl -L from another container', async () => {
    const r = await client(WORDPRESS, ['curl', '-sSL', '-w', '\n%{url_effective}', 'http://wordpress/']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('<title>WordPress &rsaquo; Installation</title>');
    expect(r.stdout.trim().split('\n').pop()).toBe('http://wordpress/wp-admin/install.php');
    // Apache's access log is the container's stdout.
    expect(await logsOf(wp)).toMatch(/"GET \/wp-admin\/install\.php HTTP\/1\.1" 200 /);
  });

  it('installs into the database with WORDPRESS_TABLE_PREFIX', async () => {
    const form = [
      'weblog_title=Curso',
      'user_name=admin',
      'admin_password=Secreto-123-abc',
      'admin_password2=Secreto-123-abc',
      'pw_weak=1',
      'admin_email=admin@example.com',
      'blog_public=0',
    ].flatMap((f) => ['--data-urlencode', f]);
    const post = await client(WORDPRESS, [
      'curl',
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      ...form,
      'http://wordpress/wp-admin/install.php?step=2',
    ]);
    expect(post.stdout, post.all).toBe('200');
    const tables = await client(MARIADB, [
      'mariadb',
      '-h',
      'wpdb',
      '-u',
      'exampleuser',
      '-pexamplepass',
      'exampledb',
      '-N',
      '-B',
      '-e',
      'SHOW TABLES',
    ]);
    expect(tables.stdout.trim().split('\n')).toContain('curso_options');
    expect(tables.stdout).not.toMatch(/^wp_/m);
    const home = await client(WORDPRESS, ['curl', '-sS', 'http://wordpress/']);
    expect(home.stdout).toMatch(/<title>Curso/);
  });

  it("runs as www-data given with --user (the image's Apache directories are writable)", async () => {
    const asUser = name('wp-user');
    // The same database, another table prefix: not installed yet, so / redirects to the installer.
    const r = await docker([
      'run',
      '-d',
      '--name',
      asUser,
      '--network',
      network,
      '--user',
      '33:33',
      ...labelArgs(),
      '-e',
      'WORDPRESS_DB_HOST=wpdb',
      '-e',
      'WORDPRESS_DB_USER=exampleuser',
      '-e',
      'WORDPRESS_DB_PASSWORD=examplepass',
      '-e',
      'WORDPRESS_DB_NAME=exampledb',
      '-e',
      'WORDPRESS_TABLE_PREFIX=other_',
      WORDPRESS,
    ]);
    expect(r.exitCode, r.all).toBe(0);
    await waitForLog(asUser, /AH00094: Command line: 'apache2 -D FOREGROUND'/, Date.now(), 60_000);
    const probe = await docker([
      'exec',
      asUser,
      'bash',
      '-c',
      'curl -s -o /dev/null -w "%{http_code}" http://localhost/; echo; stat -c %U wp-config.php',
    ]);
    expect(probe.stdout.trim().split('\n'), probe.all).toEqual(['302', 'www-data']);
  });

  it('stops gracefully on docker stop (STOPSIGNAL SIGWINCH)', async () => {
    const r = await docker(['stop', wp]);
    expect(r.exitCode, r.all).toBe(0);
    expect((await engine.docker.getContainer(wp).inspect()).State.ExitCode).toBe(0);
    expect(await logsOf(wp)).toMatch(/AH00170: caught SIGWINCH, shutting down gracefully/);
  });
});
