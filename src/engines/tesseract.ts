/**
 * tesseract.js behind the OcrEngine port.
 *
 * A fixed pool of workers, created once and reused (tesseract.js docs/performance.md: a worker
 * per image "is never the correct option"); each worker is recycled after `recycleAfter` jobs so
 * a long batch keeps flat memory. Language data comes from the @tesseract.js-data/* npm
 * packages: nothing is downloaded and nothing is cached to disk.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorker, OEM, PSM, type Worker, type Page } from 'tesseract.js';
import { InocrError } from '../errors.ts';
import type { BBox, OcrEngine, OcrLine, OcrResult, RecognizeOptions } from './types.ts';

const require = createRequire(import.meta.url);

/** Our worker entry: tesseract.js's worker script with the thread's console silenced. */
const WORKER_PATH = fileURLToPath(new URL('./tesseract-worker.cjs', import.meta.url));

export type TesseractModel = 'best_int' | 'standard';

export interface TesseractEngineOptions {
  /** Number of workers (= parallel recognitions). */
  readonly workers: number;
  /** tesseract language code(s) with an installed @tesseract.js-data package. */
  readonly lang?: string;
  /** `best_int`: LSTM tessdata_best (integer); `standard`: tessdata (larger, legacy + LSTM). */
  readonly model?: TesseractModel;
  /** Recreate a worker after this many recognitions (0 = never). */
  readonly recycleAfter?: number;
  /** Starts one worker (default: tesseract.js's, set up as below). Tests inject fakes that fail. */
  readonly startWorker?: () => Promise<PoolWorker>;
}

/** What the pool uses of a tesseract.js worker. */
export type PoolWorker = Pick<Worker, 'setParameters' | 'recognize' | 'terminate'>;

/** Path of the traineddata folder shipped by @tesseract.js-data/<lang>. */
export function langDataPath(lang: string, model: TesseractModel): string {
  let pkg: { langPath: string };
  try {
    pkg = require(`@tesseract.js-data/${lang}`) as { langPath: string };
  } catch (err) {
    throw new InocrError('INOCR007', `Language data @tesseract.js-data/${lang} is not installed`, { cause: err });
  }
  return model === 'best_int' ? path.join(path.dirname(pkg.langPath), '4.0.0_best_int') : pkg.langPath;
}

const PSM_FOR_LAYOUT: Record<RecognizeOptions['layout'], PSM> = {
  auto: PSM.AUTO,
  block: PSM.SINGLE_BLOCK,
  sparse: PSM.SPARSE_TEXT,
  line: PSM.SINGLE_LINE,
};

/**
 * One place in the pool. `worker` is null when the place lost its worker (a restart failed):
 * the next job there starts a new one first, and fails with INOCR007 if that fails too.
 */
interface PooledWorker {
  worker: PoolWorker | null;
  jobs: number;
  /** Parameters currently set, to skip redundant setParameters calls. */
  psm: PSM | undefined;
  charset: string | undefined;
  binarise: RecognizeOptions['binarise'];
}

/** tesseract's thresholding_method: 0 Otsu over the page, 2 Sauvola (local). */
const THRESHOLDING: Record<NonNullable<RecognizeOptions['binarise']>, string> = { global: '0', local: '2' };

export class TesseractEngine implements OcrEngine {
  readonly name = 'tesseract';
  readonly profile = 'local';
  private readonly lang: string;
  private readonly langPath: string;
  private readonly recycleAfter: number;
  private readonly startWorker: () => Promise<PoolWorker>;
  private readonly idle: PooledWorker[] = [];
  private readonly waiting: Array<(w: PooledWorker) => void> = [];
  private readonly all = new Set<PooledWorker>();
  private closed = false;

  private constructor(options: TesseractEngineOptions) {
    this.lang = options.lang ?? 'spa';
    this.langPath = langDataPath(this.lang.split('+')[0] ?? 'spa', options.model ?? 'best_int');
    this.recycleAfter = options.recycleAfter ?? 0;
    this.startWorker = options.startWorker ?? (() => this.startTesseractWorker());
  }

  static async create(options: TesseractEngineOptions): Promise<TesseractEngine> {
    const engine = new TesseractEngine(options);
    const count = Math.max(1, Math.floor(options.workers));
    try {
      const workers = await Promise.all(Array.from({ length: count }, () => engine.spawn()));
      for (const w of workers) engine.release(w);
    } catch (err) {
      await engine.close();
      throw err;
    }
    return engine;
  }

  /** A new place with a started worker. */
  private async spawn(): Promise<PooledWorker> {
    const pooled: PooledWorker = { worker: await this.start(), jobs: 0, psm: undefined, charset: undefined, binarise: undefined };
    this.all.add(pooled);
    return pooled;
  }

  private async start(): Promise<PoolWorker> {
    try {
      return await this.startWorker();
    } catch (err) {
      // tesseract.js rejects with strings: wrap them.
      throw err instanceof InocrError ? err : new InocrError('INOCR007', `tesseract.js worker could not start: ${String(err)}`, { cause: err });
    }
  }

  private async startTesseractWorker(): Promise<PoolWorker> {
    const worker = await createWorker(this.lang, OEM.LSTM_ONLY, {
      langPath: this.langPath,
      workerPath: WORKER_PATH,
      gzip: true,
      cacheMethod: 'none',
    });
    // Our rasters are scaled to a known working size; a fixed DPI stops tesseract
    // estimating one (and printing about it on the console).
    // debug_file: tesseract's own diagnostics ("Detected N diacritics", ...) go nowhere
    // instead of to the console of a CLI whose stdout is data.
    try {
      await worker.setParameters({ user_defined_dpi: '300', debug_file: '/dev/null' });
    } catch (err) {
      await worker.terminate().catch(() => undefined);
      throw err;
    }
    return worker;
  }

  private acquire(): Promise<PooledWorker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: PooledWorker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  async recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult> {
    if (this.closed) throw new InocrError('INOCR007', 'The tesseract engine is closed');
    const w = await this.acquire();
    try {
      const worker = w.worker === null || (this.recycleAfter > 0 && w.jobs >= this.recycleAfter) ? await this.renew(w) : w.worker;
      const psm = PSM_FOR_LAYOUT[options.layout];
      const charset = options.charset ?? '';
      const binarise = options.binarise ?? 'global';
      if (w.psm !== psm || w.charset !== charset || w.binarise !== binarise) {
        await worker.setParameters({ tessedit_pageseg_mode: psm, tessedit_char_whitelist: charset, thresholding_method: THRESHOLDING[binarise] });
        w.psm = psm;
        w.charset = charset;
        w.binarise = binarise;
      }
      w.jobs++;
      let page: Page;
      try {
        ({ data: page } = await worker.recognize(image, {}, { text: true, blocks: true }));
      } catch (err) {
        throw new InocrError('INOCR007', `tesseract.js could not read the image: ${String(err)}`, { cause: err });
      }
      return toOcrResult(page);
    } finally {
      this.release(w);
    }
  }

  /**
   * A fresh worker for this place (recycling, or a place that lost its worker). The old one is
   * terminated first and never used again: if the new one fails to start, the place is left
   * empty (the next job there tries again) and this job fails with INOCR007.
   */
  private async renew(w: PooledWorker): Promise<PoolWorker> {
    const old = w.worker;
    w.worker = null;
    w.jobs = 0;
    w.psm = undefined;
    w.charset = undefined;
    w.binarise = undefined;
    await old?.terminate().catch(() => undefined);
    const worker = await this.start();
    w.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.allSettled(workers.map((w) => w.worker?.terminate()));
  }
}

function bboxOf(b: { x0: number; y0: number; x1: number; y1: number }): BBox {
  return { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 };
}

/** tesseract.js Page → engine-neutral OcrResult (lines with word boxes). */
export function toOcrResult(page: Page): OcrResult {
  const lines: OcrLine[] = [];
  let confSum = 0;
  let wordCount = 0;
  let width = 0;
  let height = 0;
  for (const block of page.blocks ?? []) {
    width = Math.max(width, block.bbox.x1);
    height = Math.max(height, block.bbox.y1);
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const words = line.words
          .filter((wd) => wd.text.trim() !== '')
          .map((wd) => ({ text: wd.text, confidence: wd.confidence, bbox: bboxOf(wd.bbox) }));
        if (words.length === 0) continue;
        for (const wd of words) {
          confSum += wd.confidence;
          wordCount++;
        }
        lines.push({
          text: words.map((wd) => wd.text).join(' '),
          confidence: line.confidence,
          bbox: bboxOf(line.bbox),
          words,
        });
      }
    }
  }
  return {
    text: page.text ?? '',
    lines,
    width,
    height,
    confidence: wordCount > 0 ? confSum / wordCount : 0,
  };
}
