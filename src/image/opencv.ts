/**
 * The one OpenCV.js instance of the process (a WebAssembly build shipped in the
 * `@techstark/opencv-js` npm package). Every user types the few calls it makes locally and
 * asks for the module through here, so it is initialised once whoever asks first.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let cvPromise: Promise<{ cv: unknown }> | undefined;

/**
 * Loads OpenCV.js once per process (~0.2 s). The Emscripten module object is itself a
 * thenable, so it is only ever handed over in a wrapper: resolving a promise with it, or
 * returning it from an async function, makes the promise adopt it, and that never settles.
 * `Cv` is the caller's own typing of the calls it uses.
 */
export function loadOpenCv<Cv>(): Promise<{ cv: Cv }> {
  cvPromise ??= new Promise<{ cv: unknown }>((resolve) => {
    const mod = require('@techstark/opencv-js') as { Mat?: unknown; onRuntimeInitialized?: () => void };
    if (typeof mod.Mat === 'function') resolve({ cv: mod });
    else mod.onRuntimeInitialized = () => resolve({ cv: mod });
  });
  return cvPromise as Promise<{ cv: Cv }>;
}
