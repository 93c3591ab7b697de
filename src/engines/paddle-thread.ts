/**
 * One PaddleOCR engine in a worker thread (src/engines/paddle-pool.ts): onnxruntime-node runs a
 * session synchronously on the thread that calls it, so engines in separate threads are what
 * reads on several cores at once, and what keeps the main thread's event loop free.
 *
 * Messages in: `{ id, image | pixels, options }` (a recognition of an encoded image or grey pixels; options without the AbortSignal, which
 * cannot cross threads: the pool drops an aborted call's answer). Out: `{ id, result }` or
 * `{ id, error: { code, message } }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InocrError } from '../errors.ts';
import { PaddleEngine, type PaddleEngineOptions } from './paddle.ts';
import type { GreyImage, RecognizeOptions } from './types.ts';

/** A recognition asked of the thread: an encoded image, or grey pixels. */
export interface ThreadRequest {
  readonly id: number;
  readonly image?: Uint8Array;
  readonly pixels?: GreyImage;
  readonly options: Omit<RecognizeOptions, 'signal'>;
}

const port = parentPort;
if (!port) throw new Error('paddle-thread runs as a worker thread');
const options = workerData as PaddleEngineOptions;
const ready = PaddleEngine.create(options);
ready.then(
  () => port.postMessage({ ready: true }),
  (err: unknown) => port.postMessage({ ready: false, error: describe(err) }),
);

port.on('message', (msg: ThreadRequest | 'close') => {
  if (msg === 'close') {
    void ready.then((e) => e.close()).finally(() => port.close());
    return;
  }
  void ready
    .then((engine) =>
      msg.pixels
        ? engine.recognizePixels(msg.pixels, msg.options)
        : engine.recognize(Buffer.from(msg.image!.buffer, msg.image!.byteOffset, msg.image!.byteLength), msg.options),
    )
    .then(
      (result) => port.postMessage({ id: msg.id, result }),
      (err: unknown) => port.postMessage({ id: msg.id, error: describe(err) }),
    );
});

function describe(err: unknown): { code: string; message: string } {
  return err instanceof InocrError ? { code: err.code, message: err.message } : { code: 'INOCR007', message: err instanceof Error ? err.message : String(err) };
}
