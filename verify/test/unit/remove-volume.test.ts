import { describe, expect, it } from 'vitest';
import { removeVolume } from '../../src/engine/cleanup.ts';
import type { Engine } from '../../src/engine/engine.ts';

// A volume stays "in use" for a moment after its container is removed: removeVolume retries
// until the engine lets it go. The engine here is scripted: its answers, one per attempt.

function engineAnswering(...answers: ('ok' | 409 | 404)[]) {
  let attempts = 0;
  const engine = {
    docker: {
      getVolume: () => ({
        remove: async () => {
          const a = answers[Math.min(attempts++, answers.length - 1)];
          if (a !== 'ok') throw Object.assign(new Error(`HTTP ${a}`), { statusCode: a });
        },
      }),
    },
  } as unknown as Engine;
  return { engine, attempts: () => attempts };
}

describe('removeVolume', () => {
  it('retries while the volume is in use, then removes it', async () => {
    const e = engineAnswering(409, 409, 'ok');
    await expect(removeVolume(e.engine, 'v')).resolves.toBe(true);
    expect(e.attempts()).toBe(3);
  });

  it('says so when the volume was already gone', async () => {
    const e = engineAnswering(404);
    await expect(removeVolume(e.engine, 'v')).resolves.toBe(false);
    expect(e.attempts()).toBe(1);
  });
});
