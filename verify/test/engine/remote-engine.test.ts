import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '../../src/model/report.ts';
import { startRemoteEngine, type RemoteEngine } from './remote-engine.ts';

// A maintainer points the harness at a bigger machine: DOCKER_HOST=tcp://… The engine here
// is a dockerd in a network namespace of its own (remote-engine.ts), so its loopback is not
// the harness's: the stand-ins, the lab image, the registry mirror and the labs must all work
// through the engine alone. The lab seed is off, so the page's `docker pull` really goes
// through the mirror on that engine.

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const page = path.join(import.meta.dirname, 'remote/page.md');
const work = mkdtempSync(path.join(tmpdir(), 'curso-remote-'));

let remote: RemoteEngine;
let report: Report;
let exitCode: number | undefined;
let output = '';

beforeAll(async () => {
  remote = await startRemoteEngine(path.join(work, 'engine'));
  const child = await execa(process.execPath, [cli, '--no-color', '--no-snapshot', page, '--report', path.join(work, 'r.json')], {
    reject: false,
    all: true,
    env: { FORCE_COLOR: '0', DOCKER_HOST: remote.dockerHost, CURSO_VERIFY_LAB_SEED: '0' },
  });
  exitCode = child.exitCode;
  output = child.all ?? '';
  report = ReportSchema.parse(JSON.parse(readFileSync(path.join(work, 'r.json'), 'utf8')));
}, 20 * 60_000);

afterAll(async () => {
  await remote?.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('a remote engine (DOCKER_HOST=tcp://…)', () => {
  it('runs the page there and every block holds', () => {
    expect(exitCode, output).toBe(0);
    expect(report.summary.failed + report.summary.error, output).toBe(0);
    expect(report.summary.passed).toBe(report.blocks.length);
    expect(report.blocks.length).toBeGreaterThan(0);
  });

  it('says in the report which engine it ran on', () => {
    expect(report.run.engine?.host).toContain(remote.dockerHost);
  });

  it("served the lab's pull from the mirror on that engine", () => {
    expect(output).toContain('pushing busybox:latest to the mirror');
  });

  it('leaves nothing of the run on the remote engine', async () => {
    const left = await execa('docker', ['ps', '-aq', '--filter', 'label=curso-verify=1'], { env: { DOCKER_HOST: remote.dockerHost } });
    // The registry container and the labs are the run's; only the caches (volumes) stay.
    expect(left.stdout.trim()).toBe('');
  });
});
