/**
 * One card, end to end: files → checks → one decode per side → orientation → OCR → extract →
 * merge → record. `read` never throws: every failure becomes the record's INOCR code.
 */
import { toInocrError, InocrError } from '../errors.ts';
import type { BBox, OcrEngine, OcrResult } from '../engines/types.ts';
import { TesseractEngine } from '../engines/tesseract.ts';
import { extractFront, type FrontReading } from '../extract/front.ts';
import { combineMrzReadings, extractBack, MRZ_CHARSET, scoreMrz, type BackReading } from '../extract/back.ts';
import type { MrzResult } from '../extract/mrz.ts';
import { mergeCard } from '../extract/merge.ts';
import { emptyFields, type CardRecord } from '../record.ts';
import {
  cropRaster,
  decodeToRaster,
  encodeForOcr,
  otsuThreshold,
  type EncodeOptions,
  readImageFile,
  rotateRaster,
  type Raster,
  type Rotation,
} from './image.ts';

export interface ReaderOptions {
  readonly engine: 'tesseract';
  /** Parallel OCR workers. */
  readonly workers: number;
  readonly maxBytes: number;
  /** Recycle each OCR worker after this many recognitions (batch runs). */
  readonly recycleAfter?: number;
}

export interface CardInput {
  readonly id: string;
  readonly front: string;
  readonly back: string;
}

/** What the reader learnt about one side, for diagnostics and the eval. */
export interface SideTrace {
  rotation: Rotation;
  ocrCalls: number;
  textChars: number;
  /** The OCR results the extraction used (kept only when asked, for golden fixtures). */
  pages?: OcrResult[];
  /** The OCR results whose readings were kept (when pages are kept): for the back, all MRZ band reads combined. */
  chosen?: OcrResult[];
}

export interface ReadTrace {
  front?: SideTrace;
  back?: SideTrace;
  /** Keep the OCR results in the side traces. */
  keepPages?: boolean;
}

export class CardReader {
  private readonly engine: OcrEngine;
  private readonly options: ReaderOptions;

  private constructor(engine: OcrEngine, options: ReaderOptions) {
    this.engine = engine;
    this.options = options;
  }

  static async create(options: ReaderOptions, engine?: OcrEngine): Promise<CardReader> {
    const e =
      engine ??
      (await TesseractEngine.create({ workers: options.workers, recycleAfter: options.recycleAfter ?? 0 }));
    return new CardReader(e, options);
  }

  async close(): Promise<void> {
    await this.engine.close();
  }

  async read(input: CardInput, trace: ReadTrace = {}): Promise<CardRecord> {
    const record: CardRecord = {
      id: input.id,
      front: input.front,
      back: input.back,
      status: 'ok',
      errorCode: '',
      errorMessage: '',
      ...emptyFields(),
      checks: {},
      warnings: [],
    };
    try {
      const frontIn = await readImageFile(input.front, 'front', this.options.maxBytes);
      const backIn = await readImageFile(input.back, 'back', this.options.maxBytes);
      const [frontRaster, backRaster] = await Promise.all([decodeToRaster(frontIn), decodeToRaster(backIn)]);
      const [back, front] = await Promise.all([
        this.readBack(backRaster, (trace.back = newTrace(trace.keepPages))),
        this.readFront(frontRaster, (trace.front = newTrace(trace.keepPages))),
      ]);
      if ((trace.front?.textChars ?? 0) === 0 && (trace.back?.textChars ?? 0) === 0) {
        throw new InocrError('INOCR012');
      }
      if (!back.mrz && front.labels.length < 2) {
        throw new InocrError('INOCR004', 'Text was read, but neither side looks like an INE/IFE voter card (no card labels on the front, no MRZ on the back).');
      }
      const merged = mergeCard(front, back);
      if (merged.filled === 0) throw new InocrError('INOCR013');
      Object.assign(record, merged.fields);
      record.checks = merged.checks;
      record.warnings = merged.warnings;
    } catch (err) {
      const e = toInocrError(err);
      record.status = 'error';
      record.errorCode = e.code;
      record.errorMessage = e.message;
    }
    return record;
  }

  /** Orientations to try, most likely first: cards are landscape. */
  private static orientations(r: Raster): Rotation[] {
    return r.width >= r.height ? [0, 180, 90, 270] : [90, 270, 0, 180];
  }

  /**
   * The MRZ band on its own, enlarged, with the MRZ alphabet only; binarised first, then other
   * preprocessing only while the check digits still fail.
   */
  private async readMrzBand(r: Raster, b: BBox, trace: SideTrace): Promise<{ reading: BackReading; pages: OcrResult[] } | undefined> {
    const h = b.y1 - b.y0;
    const crop = await cropRaster(r, { left: b.x0 - 0.1 * h, top: b.y0 - 0.25 * h, width: b.x1 - b.x0 + 0.2 * h, height: 1.5 * h });
    const lineHeight = h / 3;
    const scale = Math.min(3, Math.max(1, 40 / Math.max(8, lineHeight)));
    const level = otsuThreshold(crop);
    const variants: EncodeOptions[] = [
      { scale, threshold: level },
      { scale, normalise: true },
      { scale: scale * 1.5, threshold: level },
    ];
    const pages: OcrResult[] = [];
    const readings: MrzResult[] = [];
    let combined: MrzResult | null = null;
    for (const v of variants) {
      const page = await this.ocr(crop, 'block', trace, MRZ_CHARSET, v);
      pages.push(page);
      const reading = extractBack(page);
      if (reading.mrz) readings.push(reading.mrz);
      combined = combineMrzReadings(readings);
      if (combined?.valid) break;
    }
    if (!combined) return undefined;
    const best = { reading: { mrz: combined, band: b, score: scoreMrz(combined), textChars: 0 }, pages };
    return best;
  }

  private async ocr(r: Raster, layout: 'sparse' | 'block' | 'auto', trace: SideTrace, charset?: string, encode: EncodeOptions = {}): Promise<OcrResult> {
    trace.ocrCalls++;
    const png = await encodeForOcr(r, encode);
    const opts = charset === undefined ? { layout } : { layout, charset };
    const page = await this.engine.recognize(png, opts);
    trace.pages?.push(page);
    return page;
  }

  /** Back: find the orientation in which an MRZ is read, then re-read the MRZ band alone. */
  private async readBack(raster: Raster, trace: SideTrace): Promise<BackReading> {
    let best: BackReading | undefined;
    for (const rot of CardReader.orientations(raster)) {
      const r = await rotateRaster(raster, rot);
      const page = await this.ocr(r, 'sparse', trace);
      trace.textChars = Math.max(trace.textChars, page.text.trim().length);
      const reading = extractBack(page);
      if (!reading.mrz) {
        best ??= reading;
        continue;
      }
      trace.rotation = rot;
      best = reading;
      if (trace.pages) trace.chosen = [page];
      if (reading.band) {
        const band = await this.readMrzBand(r, reading.band, trace);
        if (band && band.reading.score > best.score) {
          best = { ...band.reading, band: reading.band };
          if (trace.pages) trace.chosen = band.pages;
        }
      }
      break;
    }
    return best ?? extractBack({ text: '', lines: [], width: 0, height: 0, confidence: 0 });
  }

  /** Front: the orientation in which the most field labels are read. */
  private async readFront(raster: Raster, trace: SideTrace): Promise<FrontReading> {
    let best: FrontReading | undefined;
    for (const rot of CardReader.orientations(raster)) {
      const r = await rotateRaster(raster, rot);
      const page = await this.ocr(r, 'auto', trace);
      trace.textChars = Math.max(trace.textChars, page.text.trim().length);
      const reading = extractFront(page);
      if (!best || reading.labels.length > best.labels.length) {
        best = reading;
        trace.rotation = rot;
        if (trace.pages) trace.chosen = [page];
      }
      if (reading.labels.length >= 5) break;
    }
    return best!;
  }
}

function newTrace(keepPages = false): SideTrace {
  return keepPages ? { rotation: 0, ocrCalls: 0, textChars: 0, pages: [] } : { rotation: 0, ocrCalls: 0, textChars: 0 };
}
