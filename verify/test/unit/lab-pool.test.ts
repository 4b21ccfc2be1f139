import { describe, expect, it } from 'vitest';
import { labPool } from '../../src/run/lab-pool.ts';

// The pool with labs that are plain records: which labs are made when, and which are removed.

function labs() {
  const made: number[] = [];
  const disposed: number[] = [];
  const make = async (i: number) => {
    made.push(i);
    if (i === 13) throw new Error('no lab for 13');
    return { i, dispose: async () => void disposed.push(i) };
  };
  return { made, disposed, make };
}

describe('labs made before their turn', () => {
  it('taking a page makes the labs of the next `ahead` pages of the order, once each', async () => {
    const l = labs();
    const pool = labPool(l.make, [4, 2, 7, 1], 2);
    expect((await pool.take(4)).i).toBe(4);
    expect(l.made).toEqual([4, 2, 7]);
    expect((await pool.take(2)).i).toBe(2);
    expect(l.made).toEqual([4, 2, 7, 1]);
    await pool.take(7);
    await pool.take(1);
    expect(l.made).toEqual([4, 2, 7, 1]);
  });

  it('ahead 0 makes each lab on the spot', async () => {
    const l = labs();
    const pool = labPool(l.make, [0, 1, 2], 0);
    await pool.take(0);
    expect(l.made).toEqual([0]);
  });

  it("a lab that failed while made ahead fails its page's take, and nothing else", async () => {
    const l = labs();
    const pool = labPool(l.make, [1, 13, 2], 1);
    await pool.take(1);
    await expect(pool.take(13)).rejects.toThrow('no lab for 13');
    expect((await pool.take(2)).i).toBe(2);
  });

  it('dispose removes the labs no page took, and no lab is made after it', async () => {
    const l = labs();
    const pool = labPool(l.make, [0, 1, 2, 3], 2);
    const first = await pool.take(0);
    await pool.dispose();
    expect(l.disposed.sort()).toEqual([1, 2]);
    await expect(pool.take(3)).rejects.toThrow(/no more labs/);
    expect(l.made).toEqual([0, 1, 2]);
    await first.dispose();
  });
});
