/**
 * PaddleOCR on several cores: a fixed pool of worker threads, each with its own engine and its
 * onnxruntime sessions on one thread (src/engines/paddle-thread.ts), behind the one OcrEngine
 * port. A recognition goes to the thread with the fewest calls in hand. One thread per card read
 * at once (`-j`): onnxruntime-node's sessions are synchronous, so one process thread would take
 * the calls in turns, and would stall the event loop the rest of the reader runs on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InocrError, type InocrCode } from '../errors.ts';
import type { PaddleEngineOptions } from './paddle.ts';
import type { ThreadRequest } from './paddle-thread.ts';
import type { GreyImage, OcrEngine, OcrResult, RecognizeOptions } from './types.ts';

/**
 * The worker script, compiled: beside this module in dist/, or dist/'s copy when this module
 * runs from src/ (the tests, after `npm test`'s build).
 */
function threadScript(): string {
  const beside = fileURLToPath(new URL('./paddle-thread.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = beside.replace(/([\\/])src([\\/]engines[\\/]paddle-thread\.js)$/, '$1dist$1src$2');
  if (existsSync(built)) return built;
  throw new InocrError('INOCR007', 'The paddle engine is not built: run npm run build');
}

interface Pending {
  readonly resolve: (r: OcrResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

export interface PaddlePoolOptions extends PaddleEngineOptions {
  /** Worker threads: recognitions run at once (each engine's onnxruntime `threads` default to 1). */
  readonly workers: number;
}

export class PaddlePool implements OcrEngine {
  readonly name = 'paddle';
  readonly profile = 'local';
  private next = 0;
  private closed = false;
  /** Recognitions under way: close() lets them finish. */
  private readonly running = new Set<Promise<unknown>>();

  private constructor(private readonly threads: Thread[]) {}

  static async create(options: PaddlePoolOptions): Promise<PaddlePool> {
    const { workers: count, onStage: _onStage, ...engine } = options;
    const script = threadScript();
    const threads: Thread[] = [];
    try {
      for (let i = 0; i < Math.max(1, count); i++) threads.push(await PaddlePool.spawn(script, { ...engine, threads: engine.threads ?? 1 }));
    } catch (err) {
      await Promise.allSettled(threads.map((t) => t.worker.terminate()));
      throw err;
    }
    return new PaddlePool(threads);
  }

  private static spawn(script: string, options: PaddleEngineOptions): Promise<Thread> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(script, { workerData: options });
      const thread: Thread = { worker, pending: new Map() };
      const fail = (err: unknown): void => {
        for (const p of thread.pending.values()) p.reject(toError(err));
        thread.pending.clear();
      };
      worker.once('message', (m: { ready: boolean; error?: { code: string; message: string } }) => {
        if (m.ready) resolve(thread);
        else reject(toError(m.error));
        worker.on('message', (msg: { id: number; result?: OcrResult; error?: { code: string; message: string } }) => {
          const p = thread.pending.get(msg.id);
          if (!p) return;
          thread.pending.delete(msg.id);
          if (msg.error) p.reject(toError(msg.error));
          else p.resolve(msg.result!);
        });
      });
      worker.on('error', (err) => {
        reject(toError(err));
        fail(err);
      });
      worker.on('exit', (code) => fail(new Error(`the paddle thread exited (${code})`)));
    });
  }

  recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult> {
    // The image's bytes are copied into the message: the caller keeps its buffer.
    return this.posted({ image: new Uint8Array(image) }, options);
  }

  recognizePixels(image: GreyImage, options: RecognizeOptions): Promise<OcrResult> {
    return this.posted({ pixels: { data: new Uint8Array(image.data), width: image.width, height: image.height } }, options);
  }

  private posted(input: Pick<ThreadRequest, 'image' | 'pixels'>, options: RecognizeOptions): Promise<OcrResult> {
    if (this.closed) return Promise.reject(new InocrError('INOCR007', 'The paddle engine is closed'));
    const { signal, ...rest } = options;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new InocrError('INOCR007', 'aborted'));
    const thread = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.next++;
    const work = new Promise<OcrResult>((resolve, reject) => {
      const onAbort = (): void => {
        thread.pending.delete(id);
        reject(signal?.reason ?? new InocrError('INOCR007', 'aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = <T>(f: (v: T) => void) => (v: T): void => {
        signal?.removeEventListener('abort', onAbort);
        f(v);
      };
      thread.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      const request: ThreadRequest = { id, ...input, options: rest };
      thread.worker.postMessage(request);
    });
    this.running.add(work);
    const forget = (): void => void this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Lets the calls under way finish, then stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.running]);
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

function toError(err: unknown): InocrError {
  if (err instanceof InocrError) return err;
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const e = err as { code: string; message: string };
    return new InocrError(/^INOCR\d{3}$/.test(e.code) ? (e.code as InocrCode) : 'INOCR007', e.message);
  }
  return new InocrError('INOCR007', `The paddle engine failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
