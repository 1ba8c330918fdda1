// One async task at a time, in call order; a failed task does not block the next.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Whether a task runs or waits now. */
  get busy(): boolean {
    return this.pending > 0;
  }
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.tail.then(fn, fn);
    const done = (): void => void this.pending--;
    this.tail = next.then(done, done);
    return next;
  }
}
