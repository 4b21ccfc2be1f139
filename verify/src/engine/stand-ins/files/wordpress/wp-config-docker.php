<?php
/**
 * WordPress configuration of the wordpress:6.8-apache stand-in, read from the environment.
 *
 * The entrypoint copies this file to wp-config.php on the first start when WORDPRESS_*
 * variables are given, replacing each "put your unique phrase here" by a random key. Every
 * setting below is WORDPRESS_<NAME>, or the content of the file named by WORDPRESS_<NAME>_FILE
 * (Docker secrets), or the default shown. The defaults are those of WordPress's installer.
 */

if (!function_exists('getenv_docker')) {
	// Named as in the official image: WORDPRESS_CONFIG_EXTRA snippets written for it call it.
	// Guarded because WP-CLI loads this file twice.
	function getenv_docker($name, $default) {
		$file = getenv($name . '_FILE');
		if ($file) {
			return rtrim(file_get_contents($file), "\r\n");
		}
		$value = getenv($name);
		return $value === false ? $default : $value;
	}
}

// Database: WORDPRESS_DB_HOST may carry a port (db:3306) or a socket (localhost:/path).
define('DB_NAME', getenv_docker('WORDPRESS_DB_NAME', 'wordpress'));
define('DB_USER', getenv_docker('WORDPRESS_DB_USER', 'example username'));
define('DB_PASSWORD', getenv_docker('WORDPRESS_DB_PASSWORD', 'example password'));
define('DB_HOST', getenv_docker('WORDPRESS_DB_HOST', 'mysql'));
define('DB_CHARSET', getenv_docker('WORDPRESS_DB_CHARSET', 'utf8mb4'));
define('DB_COLLATE', getenv_docker('WORDPRESS_DB_COLLATE', ''));

// Keys and salts for cookies and nonces.
define('AUTH_KEY', getenv_docker('WORDPRESS_AUTH_KEY', 'put your unique phrase here'));
define('SECURE_AUTH_KEY', getenv_docker('WORDPRESS_SECURE_AUTH_KEY', 'put your unique phrase here'));
define('LOGGED_IN_KEY', getenv_docker('WORDPRESS_LOGGED_IN_KEY', 'put your unique phrase here'));
define('NONCE_KEY', getenv_docker('WORDPRESS_NONCE_KEY', 'put your unique phrase here'));
define('AUTH_SALT', getenv_docker('WORDPRESS_AUTH_SALT', 'put your unique phrase here'));
define('SECURE_AUTH_SALT', getenv_docker('WORDPRESS_SECURE_AUTH_SALT', 'put your unique phrase here'));
define('LOGGED_IN_SALT', getenv_docker('WORDPRESS_LOGGED_IN_SALT', 'put your unique phrase here'));
define('NONCE_SALT', getenv_docker('WORDPRESS_NONCE_SALT', 'put your unique phrase here'));

// Prefix of every table name: several sites can share one database.
$table_prefix = getenv_docker('WORDPRESS_TABLE_PREFIX', 'wp_');

// Any non-empty value turns debugging on.
define('WP_DEBUG', !!getenv_docker('WORDPRESS_DEBUG', ''));

// Behind a TLS-terminating proxy the request reaches Apache as plain HTTP: trust the proxy's
// header so WordPress builds https:// links.
if (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && strpos($_SERVER['HTTP_X_FORWARDED_PROTO'], 'https') !== false) {
	$_SERVER['HTTPS'] = 'on';
}

// More PHP, evaluated here (e.g. "define('WP_ALLOW_MULTISITE', true);").
$config_extra = getenv_docker('WORDPRESS_CONFIG_EXTRA', '');
if ($config_extra) {
	eval($config_extra);
}

/* That's all, stop editing! Happy publishing. */
// (WordPress's own marker: tools such as WP-CLI add settings above it.)

if (!defined('ABSPATH')) {
	define('ABSPATH', __DIR__ . '/');
}

require_once ABSPATH . 'wp-settings.php';
