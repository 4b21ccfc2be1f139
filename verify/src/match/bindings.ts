// IDs a page documents (`a842945e2414…`) bound to the IDs the engine really produced, so that
// a later `docker start a842945e2414` runs against the real container and later output is
// compared with the real value. IDs are hex and may be written in full or shortened.

export interface Binding {
  documented: string;
  actual: string;
}

export type Resolution = { exact: string } | { prefix: string } | null;

const COMMAND_ID = /(?<![0-9a-zA-Z])[0-9a-f]{12,64}(?![0-9a-zA-Z])/g;

export class Bindings {
  readonly entries: Binding[];

  constructor(entries: Binding[] = []) {
    this.entries = [...entries];
  }

  clone(): Bindings {
    return new Bindings(this.entries);
  }

  /** What the real value of a documented ID must be, if it (or its prefix) is bound. */
  resolve(documented: string): Resolution {
    for (const e of this.entries) {
      if (e.documented.startsWith(documented) && e.actual.length >= documented.length) {
        return { exact: e.actual.slice(0, documented.length) };
      }
      if (documented.startsWith(e.documented)) return { prefix: e.actual };
    }
    return null;
  }

  /** Checks a documented/actual pair and records it; false when it contradicts a binding. */
  accept(documented: string, actual: string): boolean {
    const r = this.resolve(documented);
    if (r === null) {
      this.entries.push({ documented, actual });
      return true;
    }
    if ('exact' in r) return r.exact === actual;
    if (!actual.startsWith(r.prefix)) return false;
    // Learn the longer form so later full-length mentions resolve exactly.
    this.entries.push({ documented, actual });
    return true;
  }

  /** Replaces documented IDs in a command with the bound real ones. */
  substitute(command: string): string {
    return command.replace(COMMAND_ID, (id) => {
      const r = this.resolve(id);
      return r && 'exact' in r ? r.exact : id;
    });
  }

  /** The reverse, for --update: real IDs in new output go back to the documented ones. */
  restore(text: string): string {
    let out = text;
    const longestFirst = [...this.entries].sort((a, b) => b.actual.length - a.actual.length);
    for (const e of longestFirst) {
      out = out.split(e.actual).join(e.documented);
      const short = e.actual.slice(0, 12);
      if (e.actual.length > 12 && e.documented.length > 12) out = out.split(short).join(e.documented.slice(0, 12));
    }
    return out;
  }
}
