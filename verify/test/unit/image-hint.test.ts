import { describe, expect, it } from 'vitest';
import { missingImageHint } from '../../src/engine-session.ts';
import { STAND_INS } from '../../src/engine/stand-ins/table.ts';
import { noteWords } from '../../src/report/cause-words.ts';

// What the reader's engine (Docker 28.5 in a lab) prints when an image is nowhere to be pulled,
// as captured in a lab; the harness notes the reference and the stand-ins it has.

const images = [
  { ref: 'busybox:latest', source: 'stand-in' },
  { ref: 'python:3.13-slim', source: 'stand-in' },
];

describe('missing image hint', () => {
  it('names the reference of a docker run that found no image, and the stand-ins', () => {
    const out = `Unable to find image 'nginx:1.27' locally\ndocker: Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: no such host\n\nRun 'docker run --help' for more information`;
    const hint = missingImageHint(out, images);
    expect(hint).toEqual({ image: 'nginx:1.27', standIns: Object.keys(STAND_INS) });
    expect(hint!.standIns).toEqual(expect.arrayContaining(['busybox:latest', 'python:3.13-slim']));
    expect(noteWords({ kind: 'missing-image', ...hint! })).toMatch(
      /^nginx:1\.27: no registry answers and the harness has no stand-in for it \(stand-ins: busybox:latest, .*python:3\.13-slim/,
    );
  });

  it('names the base image of a build that could not resolve it', () => {
    const out =
      'ERROR: failed to build: failed to solve: node:22: failed to resolve source metadata for docker.io/library/node:22: docker.io/library/node:22: not found';
    expect(missingImageHint(out, images)).toMatchObject({ image: 'node:22' });
  });

  it('says nothing for an image the run has, or for other failures', () => {
    expect(missingImageHint(`Unable to find image 'python:3.13-slim' locally\nError: pull access denied`, images)).toBeNull();
    expect(missingImageHint('bash: foo: command not found', images)).toBeNull();
  });
});
