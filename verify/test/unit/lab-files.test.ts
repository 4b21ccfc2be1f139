import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAB_USER, MIRROR_HOST, MIRROR_PORT, SEED_MARKER } from '../../src/engine/lab-image.ts';

// The lab's files are real files (verify/src/engine/lab-files/); the names they share with the
// harness's code must agree, or labs would pull from nowhere or ignore their seed.

const dir = path.resolve(import.meta.dirname, '../../src/engine/lab-files');
const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');

describe('the lab files agree with the harness', () => {
  it('the entrypoint points the nested dockerd at the mirror the run starts', () => {
    expect(read('lab-entrypoint.sh')).toContain(`"registry-mirrors": ["http://${MIRROR_HOST}:${MIRROR_PORT}"]`);
    expect(read('lab-entrypoint.sh')).toContain(`"insecure-registries": ["${MIRROR_HOST}:${MIRROR_PORT}"]`);
  });

  it('the entrypoint copies only a complete seed, and removes its marker', () => {
    expect(read('lab-entrypoint.sh')).toContain(`[ -f "$2/${SEED_MARKER}" ]`);
    expect(read('lab-entrypoint.sh')).toContain(`rm -f /var/lib/docker/${SEED_MARKER}`);
  });

  it('the mirror listens on the port the harness talks to', () => {
    expect(read('registry.yml')).toMatch(new RegExp(`^  addr: :${MIRROR_PORT}$`, 'm'));
  });

  it('the sudo rule is for the reader', () => {
    expect(read('sudoers-lector')).toMatch(new RegExp(`^${LAB_USER} ALL=\\(ALL:ALL\\) NOPASSWD: ALL$`, 'm'));
  });
});
