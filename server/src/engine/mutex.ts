// A promise queue: an engine has one session, and an EXPLAIN's BEGIN … ROLLBACK must not interleave with another request.

export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs fn after everything queued before it has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
