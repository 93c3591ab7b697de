/**
 * Admission and bounded OCR concurrency for `ine-ocr serve`.
 *
 * A request takes a place when it arrives (before its body is read) and keeps it until its
 * response is over and any reading it started has finished. Places = concurrency + queue: at
 * most `concurrency` cards are read at once, the others wait their turn in arrival order, and
 * a request that finds every place taken is turned away at once (503 + Retry-After) without
 * its body being buffered. So memory is bounded by places × the largest upload, however many
 * clients call.
 */

export class AbortedError extends Error {
  override name = 'AbortedError';
}

export interface Place {
  /**
   * Runs the work when a reading slot is free (FIFO). Rejects with AbortedError, without running
   * it, when the signal fires while it waits; once started, the work runs to its end.
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The response is over (sent, or the client went away). Idempotent. */
  release(): void;
}

export interface QueueStats {
  /** Cards being read now. */
  readonly reading: number;
  /** Requests waiting for a reading slot. */
  readonly waiting: number;
  /** Places taken: requests uploading, waiting, being read or finishing. */
  readonly taken: number;
  readonly places: number;
  readonly concurrency: number;
}

export class OcrQueue {
  readonly concurrency: number;
  readonly places: number;
  private reading = 0;
  private taken = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  /** Moving average of a card's reading time, for Retry-After. */
  private avgMs: number;

  constructor(concurrency: number, queue: number, initialEstimateMs = 3000) {
    this.concurrency = Math.max(1, Math.floor(concurrency));
    this.places = this.concurrency + Math.max(0, Math.floor(queue));
    this.avgMs = initialEstimateMs;
  }

  stats(): QueueStats {
    return { reading: this.reading, waiting: this.waiting.length, taken: this.taken, places: this.places, concurrency: this.concurrency };
  }

  /** A place for a new request, or null when every place is taken. */
  admit(): Place | null {
    if (this.taken >= this.places) return null;
    this.taken++;
    let released = false;
    let active = 0;
    const free = (): void => {
      if (released && active === 0) {
        this.taken--;
        this.checkIdle();
      }
    };
    return {
      run: async <T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
        active++;
        try {
          await this.slot(signal);
          const t0 = performance.now();
          try {
            return await work();
          } finally {
            this.avgMs = 0.8 * this.avgMs + 0.2 * (performance.now() - t0);
            this.reading--;
            this.next();
          }
        } finally {
          active--;
          free();
        }
      },
      release: (): void => {
        if (released) return;
        released = true;
        free();
      },
    };
  }

  /** Seconds a turned-away client should wait: the queue ahead at the average reading time. */
  retryAfterSeconds(): number {
    const ahead = this.reading + this.waiting.length + 1;
    return Math.min(300, Math.max(1, Math.ceil(((this.avgMs / 1000) * ahead) / this.concurrency)));
  }

  /** Resolves when nothing is being read or waiting (shutdown: before the OCR engine closes). */
  idle(): Promise<void> {
    if (this.reading === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private slot(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError('aborted before reading started'));
    if (this.reading < this.concurrency && this.waiting.length === 0) {
      this.reading++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiting.indexOf(start);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new AbortedError('aborted while waiting to be read'));
        this.checkIdle();
      };
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.reading++;
        resolve();
      };
      this.waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private next(): void {
    const start = this.waiting.shift();
    if (start) start();
    else this.checkIdle();
  }

  private checkIdle(): void {
    if (this.reading !== 0 || this.waiting.length !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
