import type { RunEvent } from '../report/events.ts';

/**
 * Events of pages that run at once, delivered grouped by page and in page order: the first
 * unfinished page streams live, later ones are held until every page before them is done.
 */
export class OrderedEvents {
  private head = 0;
  private readonly held: RunEvent[][];
  private readonly finished: boolean[];
  private chain: Promise<void> = Promise.resolve();
  private readonly sink: (e: RunEvent) => Promise<void>;
  constructor(sink: (e: RunEvent) => Promise<void>, count: number) {
    this.sink = sink;
    this.held = Array.from({ length: count }, () => []);
    this.finished = Array.from({ length: count }, () => false);
  }
  emit(page: number, e: RunEvent): Promise<void> {
    if (page !== this.head) {
      this.held[page]!.push(e);
      return Promise.resolve();
    }
    this.chain = this.chain.then(() => this.emitDirect(e));
    return this.chain;
  }
  async done(page: number): Promise<void> {
    this.finished[page] = true;
    while (this.head < this.finished.length && this.finished[this.head]) {
      this.head++;
      const events = this.held[this.head] ?? [];
      this.held[this.head] = [];
      for (const e of events) this.chain = this.chain.then(() => this.emitDirect(e));
    }
    await this.chain;
  }
  async flushAll(): Promise<void> {
    for (; this.head < this.held.length; this.head++) for (const e of this.held[this.head]!) await this.emitDirect(e);
    await this.chain;
  }
  private emitDirect(e: RunEvent): Promise<void> {
    return this.sink(e);
  }
}
