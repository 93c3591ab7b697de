'use strict';
/**
 * The script each tesseract.js worker thread runs: tesseract.js's own node worker script, with
 * the thread's console silenced first.
 *
 * Leptonica and tesseract print diagnostics from inside the WebAssembly core
 * ("Error in pixScanForForeground: invalid box", "Detected 12 diacritics") through the
 * Emscripten module's `printErr`, which tesseract.js binds to `console.error` when it loads the
 * core and gives no option to redirect. A worker thread's console is the process's stderr, where
 * the CLI draws its progress. None of these messages is an error the caller could act on:
 * real failures reach the engine as rejected jobs. Set INE_OCR_ENGINE_LOG=1 to see them.
 */
if (process.env.INE_OCR_ENGINE_LOG !== '1') {
  const quiet = () => undefined;
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[method] = quiet;
}
require('tesseract.js/src/worker-script/node/index.js');
