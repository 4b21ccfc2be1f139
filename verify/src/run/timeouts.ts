// Every step has a limit so the harness never hangs. Builds, pulls and package installs get
// a long one; everything else a short one, so a command that never ends (a server in the
// foreground, `docker events`) is stopped and reported quickly.

export const DEFAULT_TIMEOUT_S = 60;
export const LONG_TIMEOUT_S = 900;

const LONG =
  /\b(?:docker\s+(?:image\s+)?(?:build|pull|push|commit|save|load|import|export)|docker\s+buildx\b|docker\s+compose\b|apt-get|apt|pip3?|npm|mmdebstrap)\b/;

export function stepTimeoutMs(command: string, annotated: number | undefined, scale = 1): number {
  const seconds = annotated ?? (LONG.test(command) ? LONG_TIMEOUT_S : DEFAULT_TIMEOUT_S);
  return Math.round(seconds * 1000 * scale);
}
