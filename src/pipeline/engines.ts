/**
 * Opening the OCR engines a reader needs. The AWS SDK is loaded only when a Textract engine
 * is asked for, onnxruntime only when the paddle engine is: the default engine imports neither.
 */
import { TesseractEngine } from '../engines/tesseract.ts';
import type { OcrEngine } from '../engines/types.ts';
import type { ReaderOptions } from './reader.ts';

export interface OpenedEngines {
  readonly primary: OcrEngine;
  /** Hybrid: the cloud engine for the sides that fail validation. */
  readonly escalation?: OcrEngine;
}

export async function openEngines(options: ReaderOptions): Promise<OpenedEngines> {
  const tesseract = (): Promise<TesseractEngine> => TesseractEngine.create({ workers: options.workers, recycleAfter: options.recycleAfter ?? 0 });
  const textract = async (): Promise<OcrEngine> => {
    const { TextractEngine } = await import('../engines/textract.ts');
    return TextractEngine.create({ ...options.textract, concurrency: options.textract?.concurrency ?? options.workers });
  };
  switch (options.engine) {
    case 'tesseract':
      return { primary: await tesseract() };
    case 'paddle': {
      const { PaddleEngine } = await import('../engines/paddle.ts');
      return { primary: await PaddleEngine.create(options.paddle ?? {}) };
    }
    case 'textract':
      return { primary: await textract() };
    case 'hybrid': {
      // Textract first: missing credentials or region stop the run before workers are spawned.
      const escalation = await textract();
      try {
        return { primary: await tesseract(), escalation };
      } catch (err) {
        await escalation.close();
        throw err;
      }
    }
  }
}
