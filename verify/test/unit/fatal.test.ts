import { describe, expect, it } from 'vitest';
import { describeFatal, EngineStoppedError, isExpectedFailure } from '../../src/run/fatal.ts';

// The failures that end a run are told in one line: what happened and where.

const err = (message: string, props: Record<string, string> = {}) => Object.assign(new Error(message), props);
const at = { file: 'content/flask.md', line: 42 };

describe('one line for the failures a machine has', () => {
  it('the engine gone: which engine, and during which block', () => {
    expect(describeFatal(new EngineStoppedError('it no longer answers /_ping'), { engineHost: 'unix:///var/run/docker.sock', at })).toBe(
      'the Docker engine at unix:///var/run/docker.sock stopped answering during content/flask.md:42 (it no longer answers /_ping)',
    );
    expect(describeFatal(err('connect ECONNREFUSED /x.sock\n    at stack', { code: 'ECONNREFUSED' }))).toBe(
      'the Docker engine stopped answering (connect ECONNREFUSED /x.sock)',
    );
  });

  it('a full disk: which file, and what to do', () => {
    const e = err('ENOSPC: no space left on device, write\n    at writeFileSync (node:fs:1:1)', { code: 'ENOSPC', path: '/r/report.json' });
    expect(describeFatal(e, { at })).toBe(
      'the disk is full during content/flask.md:42 (/r/report.json): free some space (df -h; docker system df) and run again — ENOSPC: no space left on device, write',
    );
    // As the docker CLI or mmdebstrap say it.
    expect(describeFatal(err('write /var/lib/docker/tmp/x: no space left on device'))).toMatch(/^the disk is full: /);
  });

  it('a port already in use', () => {
    expect(describeFatal(err('listen EADDRINUSE: address already in use 127.0.0.1:4321', { code: 'EADDRINUSE' }))).toBe(
      'a port the run needs is already in use: listen EADDRINUSE: address already in use 127.0.0.1:4321',
    );
    expect(describeFatal(err('Bind for 127.0.0.1:5000 failed: port is already allocated'))).toMatch(
      /^a port the run needs is already in use: /,
    );
  });

  it("never a stack trace, and other errors keep the harness's own words", () => {
    for (const e of [err('x', { code: 'ENOSPC' }), err('y', { code: 'EADDRINUSE' }), new EngineStoppedError('z')]) {
      expect(isExpectedFailure(e)).toBe(true);
      expect(describeFatal(e)).not.toMatch(/\n|\bat \S+:\d+/);
    }
    expect(isExpectedFailure(new TypeError('x is undefined'))).toBe(false);
    expect(describeFatal(err('building the stand-in python:3.13 failed: …'))).toBe('building the stand-in python:3.13 failed: …');
  });
});
