/**
 * Requests per second for a cloud engine: each request gets the next free slot, slots
 * 1/rate seconds apart. No burst: a provider's TPS quota (Textract: per account and region)
 * is enforced over short windows, and a burst of N requests at once is what gets throttled.
 * Hand-written: the whole need is "the next slot, then wait for it, abortable"; a package
 * would bring more API than that.
 */
export class IntervalLimiter {
  private readonly intervalMs: number;
  private next = 0;

  /** perSecond: requests per second (fractions allowed: 0.5 = one every 2 s). */
  constructor(perSecond: number) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate must be a positive number, got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves at this request's slot; rejects with the signal's reason if aborted first (the slot is not given back). */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    const wait = slot - now;
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
