// Labs made before their page's turn. Creating a lab (a container whose own Docker engine must
// come up and be seeded) takes seconds of waiting that no page's blocks need; while pages run,
// the labs of the next pages in the start order are made in the background, so a page's turn
// begins with its lab ready. Isolation is unchanged: each lab is still made for one page (with
// what that page's reader has on arriving) and discarded after it.

/** What the pool needs of a lab: that it can be removed. */
export interface Disposable {
  dispose(): Promise<void>;
}

export interface LabPool<L extends Disposable> {
  /**
   * The lab for the page at `index` of the run (made now if it was not made ahead), after which
   * the labs of the next `ahead` pages of the order are started. Its failure is the caller's, as
   * a lab made on the spot would be.
   */
  take(index: number): Promise<L>;
  /** Removes every lab made ahead that no page took (the run ended first). Waits for those still being made. */
  dispose(): Promise<void>;
}

/**
 * `order` is the order pages take their labs in (pages with no lab to make are left out);
 * `ahead` how many labs may wait ready beyond those in use (the runner's: one more than
 * `--jobs`, so that each worker finds its next lab made even after a short page; 0 makes each
 * lab on the spot).
 */
export function labPool<L extends Disposable>(make: (index: number) => Promise<L>, order: readonly number[], ahead: number): LabPool<L> {
  const made = new Map<number, Promise<L>>();
  let furthest = -1; // the furthest position of `order` whose lab has been started
  let closed = false;

  const start = (index: number) => {
    if (made.has(index)) return;
    const lab = make(index);
    // A lab made ahead may fail before anyone waits for it: its page will see the failure.
    lab.catch(() => {});
    made.set(index, lab);
  };

  return {
    take(index) {
      if (closed) return Promise.reject(new Error('the run is over: no more labs are made'));
      start(index);
      const lab = made.get(index)!;
      made.delete(index);
      const at = order.indexOf(index);
      furthest = Math.max(furthest, at);
      for (; furthest < Math.min(order.length - 1, at + ahead); ) start(order[++furthest]!);
      return lab;
    },
    async dispose() {
      closed = true;
      const left = [...made.values()];
      made.clear();
      await Promise.all(
        left.map((lab) =>
          lab.then(
            (l) => l.dispose(),
            () => {},
          ),
        ),
      );
    },
  };
}
