// Calls that must not run twice at once for the same key (a double click on "Retry" or "Confirm"
// in the same window): the second caller gets the first one's promise. A key is forgotten as soon
// as its call settles, so a later attempt runs again. One per kind of call per set of services
// (held on the context, registries.ts), never shared between two sets (two accounts' ids collide).

export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** The call already running for `key`, or `start()` run now and shared until it settles. */
  async share(key: string, start: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const call = start();
    this.running.set(key, call);
    try {
      return await call;
    } finally {
      this.running.delete(key);
    }
  }
}
