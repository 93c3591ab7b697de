/**
 * A request's way through `serve` once its key is checked: a place (OcrQueue: the reading slots
 * and the waiting line) and a clock, `--timeout` from its arrival, that covers the upload, the
 * wait for a slot and the reading. A body still arriving when the clock runs out gets 408, a
 * card not read by then 503; a request still uploading when the server shuts down gets 503 at
 * once, so a client that never finishes its body holds neither a place nor the shutdown.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OcrQueue, Place } from './queue.ts';
import { ApiError } from './responses.ts';

interface InFlight {
  readonly place: Place;
  /** Fires with the answer to give when the time is up, the client has gone, or the server closes. */
  readonly clock: AbortController;
  uploading: boolean;
}

export class Admission {
  private readonly inFlight = new Map<FastifyRequest, InFlight>();

  constructor(
    private readonly queue: OcrQueue,
    private readonly timeoutMs: number,
  ) {}

  /**
   * A place for the request (before its body is read), or 503 BUSY with Retry-After; its clock
   * starts now. The place is given back when the response is over or the client goes away: a
   * reading not yet started is dropped then, one under way finishes first.
   */
  admit(request: FastifyRequest, reply: FastifyReply): void {
    const place = this.queue.admit();
    if (!place) {
      const wait = this.queue.retryAfterSeconds();
      throw new ApiError('BUSY', `The server is reading as many cards as it can hold; retry in ${wait} s.`, 503, wait);
    }
    const flight: InFlight = { place, clock: new AbortController(), uploading: true };
    this.inFlight.set(request, flight);
    const timer = setTimeout(() => flight.clock.abort(this.timeUp(flight.uploading)), this.timeoutMs);
    reply.raw.once('close', () => {
      clearTimeout(timer);
      flight.clock.abort(new ApiError('TIMEOUT', 'The request ended before the card was read.', 503, 1));
      this.inFlight.delete(request);
      place.release();
    });
  }

  /** The request's body, as `reading` gets it, within the request's clock. */
  async upload<T>(request: FastifyRequest, reading: Promise<T>): Promise<T> {
    const f = this.of(request);
    const body = await within(f.clock.signal, reading);
    f.uploading = false;
    return body;
  }

  /** Waits for a reading slot and reads, within what is left of the request's clock. */
  read<T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> {
    const { place, clock } = this.of(request);
    const running = place.run(work, clock.signal);
    // A reading that outlives its response still ends somewhere: never an unhandled rejection.
    running.catch(() => undefined);
    return within(clock.signal, running);
  }

  /** Shutdown: every request still uploading is answered now. */
  closeUploads(): void {
    for (const f of this.inFlight.values()) {
      if (f.uploading) f.clock.abort(new ApiError('BUSY', 'The server is shutting down; retry shortly.', 503, 1));
    }
  }

  private timeUp(uploading: boolean): ApiError {
    const s = Math.round(this.timeoutMs / 1000);
    if (uploading) return new ApiError('TIMEOUT', `The request was not received within ${s} s.`, 408);
    const wait = this.queue.retryAfterSeconds();
    return new ApiError('TIMEOUT', `The card was not read within ${s} s; the server is busy, retry in ${wait} s.`, 503, wait);
  }

  private of(request: FastifyRequest): InFlight {
    const f = this.inFlight.get(request);
    if (!f) throw new Error('no place taken for this request');
    return f;
  }
}

/** `work`, unless the signal fires first: then its reason. `work` is left to end on its own. */
function within<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}
