/** Node turns longer timeouts into 1 ms. */
const MAX_TIMEOUT = 2_147_483_647;

/** Every timer of the simulator goes through one Scheduler, so stop() can clear them all at once. */
export class Scheduler {
  private readonly handles = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** `scale` compresses or stretches every simulated delay (not rate limits, which are real rates). */
  constructor(readonly scale = 1) {}

  /** Runs `fn` after `ms` simulated milliseconds; returns a cancel function. Errors are reported, never thrown. */
  after(ms: number, fn: () => void | Promise<void>, onError: (error: unknown) => void = () => {}): () => void {
    if (this.stopped) return () => {};
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      Promise.resolve()
        .then(fn)
        .catch(onError);
    }, Math.min(MAX_TIMEOUT, Math.max(0, ms * this.scale)));
    this.handles.add(handle);
    return () => {
      clearTimeout(handle);
      this.handles.delete(handle);
    };
  }

  /** Like `after`, with a real (unscaled) delay: used for rate-limited dequeue times. */
  at(epochMs: number, fn: () => void | Promise<void>, onError?: (error: unknown) => void): () => void {
    return this.after((epochMs - Date.now()) / this.scale, fn, onError);
  }

  get stoppedAlready(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
  }
}
