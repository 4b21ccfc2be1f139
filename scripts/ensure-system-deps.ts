// Run by `npm test` before vitest: the site tests drive Debian's Chromium (never a downloaded
// browser). Installs it when we can (root on Debian), otherwise says how and fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (isRoot && isDebian && !process.env.CHROMIUM_PATH) {
    console.log("[ensure-system-deps] Chromium is missing: installing Debian's chromium (apt-get update && apt-get install -y chromium) …");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', 'chromium']]) {
      const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
      if (result.status !== 0) {
        console.error(`[ensure-system-deps] apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
        process.exit(1);
      }
    }
  } else {
    console.error(
      [
        `[ensure-system-deps] Chromium is needed for the site tests and was not found at ${CHROMIUM}.`,
        'Install it with your system packages, e.g. on Debian/Ubuntu:',
        '  sudo apt-get update && sudo apt-get install -y chromium',
        'or point CHROMIUM_PATH at an installed Chromium/Chrome binary.',
      ].join('\n'),
    );
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`[ensure-system-deps] apt-get finished but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
  console.log(`[ensure-system-deps] Chromium installed at ${CHROMIUM}.`);
}
