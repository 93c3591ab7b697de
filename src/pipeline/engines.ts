/**
 * Opening the OCR engines a reader needs. The AWS SDK is loaded only when a Textract engine
 * is asked for, onnxruntime only when PaddleOCR is: `--engine tesseract` imports neither.
 */
import { TesseractEngine } from '../engines/tesseract.ts';
import type { OcrEngine } from '../engines/types.ts';
import type { ReaderOptions } from './reader.ts';

export interface OpenedEngines {
  readonly primary: OcrEngine;
  /** Local plan: the second engine, for what the first reads worse (tesseract beside PaddleOCR). */
  readonly secondary?: OcrEngine;
  /** Hybrid: the cloud engine for the sides that fail validation. */
  readonly escalation?: OcrEngine;
}

export async function openEngines(options: ReaderOptions): Promise<OpenedEngines> {
  const tesseract = (): Promise<TesseractEngine> => TesseractEngine.create({ workers: options.workers, recycleAfter: options.recycleAfter ?? 0 });
  // One engine per card read at once, each in its own thread (src/engines/paddle-pool.ts).
  const paddle = async (): Promise<OcrEngine> => {
    const { PaddlePool } = await import('../engines/paddle-pool.ts');
    return PaddlePool.create({ ...(options.paddle ?? {}), workers: options.workers });
  };
  const textract = async (): Promise<OcrEngine> => {
    const { TextractEngine } = await import('../engines/textract.ts');
    return TextractEngine.create({ ...options.textract, concurrency: options.textract?.concurrency ?? options.workers });
  };
  /** Engines opened in order; on a failure, the ones already open are closed. */
  const all = async (...open: (() => Promise<OcrEngine>)[]): Promise<OcrEngine[]> => {
    const done: OcrEngine[] = [];
    try {
      for (const o of open) done.push(await o());
      return done;
    } catch (err) {
      await Promise.allSettled(done.map((e) => e.close()));
      throw err;
    }
  };
  switch (options.engine) {
    case 'tesseract':
      return { primary: await tesseract() };
    case 'paddle':
      return { primary: await paddle() };
    case 'local': {
      const [primary, secondary] = await all(paddle, tesseract);
      return { primary: primary!, secondary: secondary! };
    }
    case 'textract':
      return { primary: await textract() };
    case 'hybrid': {
      // Textract first: missing credentials or region stop the run before workers are spawned.
      const [escalation, primary, secondary] = await all(textract, paddle, tesseract);
      return { primary: primary!, secondary: secondary!, escalation: escalation! };
    }
  }
}
