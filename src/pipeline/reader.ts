/**
 * One card, end to end: files → checks → one decode per side → orientation → OCR → extract →
 * merge → record. `read` never throws for a card: every failure becomes the record's INOCR code
 * (only a run-level RunError, such as refused cloud credentials, goes up to stop the run).
 * A cloud engine reads each side with one call (src/pipeline/cloud.ts); hybrid re-reads with it
 * only the sides that fail validation (src/pipeline/hybrid.ts).
 */
import { INOCR, toInocrError, InocrError, UsageError } from '../errors.ts';
import { REPAIRS_BY_CHECK_DIGIT, type Note } from '../evidence.ts';
import type { BBox, EngineUsage, OcrEngine, OcrResult } from '../engines/types.ts';
import type { TextractEngineOptions } from '../engines/textract.ts';
import { CloudSides } from './cloud.ts';
import { openEngines } from './engines.ts';
import { escalate, findBack } from './hybrid.ts';
import { code18, extractFront, FRONT_LABELS, frontScore, type FrontReading } from '../extract/front.ts';
import { parseClave } from '../extract/clave.ts';
import { parseCurp } from '../extract/curp.ts';
import { combineMrzReadings, extractBack, MRZ_CHARSET, scoreMrz, type BackReading } from '../extract/back.ts';
import type { MrzResult } from '../extract/mrz.ts';
import { judgeCard, type JudgedCard } from '../judge/card.ts';
import { toRecordNote } from '../judge/notes.ts';
import { reviewCard, toReviewNote } from '../judge/review.ts';
import { levenshtein } from '../extract/words.ts';
import { emptyFields, newRecord, type CardFields, type CardRecord, type FieldCheck, type FieldName, type RecordNote, type RecordStatus } from '../record.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  checkImageBytes,
  cropRaster,
  type DecodedRaster,
  type ImageInput,
  decodeToRaster,
  encodeForOcr,
  otsuThreshold,
  type EncodeOptions,
  readImageFile,
  rotateRaster,
  type Raster,
  type Rotation,
  type Side,
} from './image.ts';
import { cropFace, faceBox, formatRegion, toInputCorners } from './face.ts';
import { locateCard, rectify, type Point, type Quad } from './locate.ts';
import { describeProblems, formatQuality, measureQuality, type SideQuality } from './quality.ts';

/** tesseract: offline; textract: AWS Textract, one call per side; hybrid: tesseract, then Textract for the sides that fail validation. */
export type EngineChoice = 'tesseract' | 'textract' | 'hybrid';

export interface ReaderOptions {
  readonly engine: EngineChoice;
  /** Parallel OCR workers. */
  readonly workers: number;
  readonly maxBytes: number;
  /** Recycle each OCR worker after this many recognitions (batch runs). */
  readonly recycleAfter?: number;
  /** Write each card's photo, cut from the front, to `<dir>/<id>_face.jpg`. */
  readonly saveFaceDir?: string;
  /** Textract settings (engines textract and hybrid). */
  readonly textract?: TextractEngineOptions;
}

export interface CardInput {
  readonly id: string;
  readonly front: string;
  readonly back: string;
}

/** An image already in memory (an HTTP upload); `name` stands for the path in records and messages. */
export interface ImageBytes {
  readonly bytes: Buffer;
  readonly name: string;
}

export interface BufferCardInput {
  readonly id: string;
  readonly front: ImageBytes;
  readonly back: ImageBytes;
}

/** One image of one side, told apart by its content (readSide): that side's fields only. */
export interface SideRecord {
  status: RecordStatus;
  errorCode: string;
  errorMessage: string;
  /** `back` when an MRZ was read, `front` when card labels were; empty on error. */
  side: Side | '';
  /** The record's fields; those the other side carries stay empty. */
  fields: CardFields;
  checks: Partial<Record<FieldName, FieldCheck>>;
  warnings: RecordNote[];
  /** Face photo corners (TL, TR, BR, BL) in input-image pixels, front only, when the reader located it. */
  faceRegion?: [number, number][];
}

/** What the reader learnt about one side, for diagnostics and the eval. */
export interface SideTrace {
  rotation: Rotation;
  ocrCalls: number;
  textChars: number;
  /** A card outline was found and the image straightened before reading. */
  cardFound?: boolean;
  /** Capture quality of this side. */
  quality?: SideQuality;
  /** Front: the card photo's corners (TL, TR, BR, BL of the upright photo) in input-image px. */
  faceRegion?: Point[];
  /** The OCR results the extraction used (kept only when asked, for golden fixtures). */
  pages?: OcrResult[];
  /** The OCR results whose readings were kept (when pages are kept): for the back, all MRZ band reads combined. */
  chosen?: OcrResult[];
  /** Hybrid: why this side was sent to the cloud engine (its local reading failed validation). */
  escalated?: string;
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
  /** Hybrid: the cloud engine that re-reads the sides failing validation. */
  private readonly escalation: OcrEngine | undefined;
  /** One-call-per-side reads, for a cloud engine (primary or escalation). */
  private readonly cloud: CloudSides | undefined;

  private constructor(engine: OcrEngine, options: ReaderOptions, escalation?: OcrEngine) {
    this.engine = engine;
    this.options = options;
    this.escalation = engine.profile === 'cloud' ? undefined : escalation;
    const cloudEngine = engine.profile === 'cloud' ? engine : escalation;
    this.cloud = cloudEngine ? new CloudSides(cloudEngine) : undefined;
  }

  /** Engines given (tests, embedding) are used as they are; otherwise they are opened from the options. */
  static async create(options: ReaderOptions, engine?: OcrEngine, escalation?: OcrEngine): Promise<CardReader> {
    if (engine) return new CardReader(engine, options, escalation);
    const opened = await openEngines(options);
    return new CardReader(opened.primary, options, opened.escalation);
  }

  async close(): Promise<void> {
    await Promise.all([this.engine.close(), this.escalation?.close()]);
  }

  /** What the cloud engine (textract, or hybrid's escalation) has been asked so far; undefined when there is none. */
  cloudUsage(): (EngineUsage & { readonly engine: string }) | undefined {
    const e = this.cloud?.engine;
    return e ? { engine: e.name, ...(e.usage?.() ?? { calls: 0, billed: 0 }) } : undefined;
  }

  async read(input: CardInput, trace: ReadTrace = {}): Promise<CardRecord> {
    const record = newRecord(input.id, input.front, input.back);
    return this.guard(record, async () => {
      const frontIn = await readImageFile(input.front, 'front', this.options.maxBytes);
      const backIn = await readImageFile(input.back, 'back', this.options.maxBytes);
      await this.readPair(record, frontIn, backIn, trace);
    });
  }

  /** Both sides, checked images in: decode, read, escalate (hybrid), face, merge into the record. */
  private async readPair(record: CardRecord, frontIn: ImageInput, backIn: ImageInput, trace: ReadTrace): Promise<void> {
    const [frontRaster, backRaster] = await Promise.all([decodeToRaster(frontIn, FRONT_LONG_EDGE), decodeToRaster(backIn, FRONT_LONG_EDGE, BACK_MIN_LONG_EDGE)]);
    const [back, front] = await Promise.all([
      this.readBackSide(backRaster, (trace.back = newTrace(trace.keepPages))),
      this.readFrontSide(frontRaster, (trace.front = newTrace(trace.keepPages))),
    ]);
    const sides = await this.escalate(front, frontRaster, back, backRaster, trace);
    await this.saveFace(record.id, frontIn.bytes, trace.front);
    this.finish(record, sides.front, sides.back, trace);
    record.warnings.push(...sides.notes.map(toRecordNote));
  }

  /**
   * A photo's card is found and warped flat first (src/pipeline/locate.ts); when no card
   * outline is found (a scan is the card already), or the straightened image shows no MRZ,
   * the image is read as it is.
   */
  private async readBackSide(raster: DecodedRaster, trace: SideTrace): Promise<BackReading> {
    const card = await straighten(raster, BACK_CARD_WIDTH);
    trace.quality = await sideQuality(raster, card);
    if (this.engine.profile === 'cloud') return this.cloud!.back(raster, trace);
    if (card) {
      trace.cardFound = true;
      const reading = await this.readBack(card.flat, trace);
      if (reading.mrz) return reading;
    }
    return this.readBack(raster, trace);
  }

  private async readFrontSide(raster: DecodedRaster, trace: SideTrace): Promise<FrontReading> {
    const card = await straighten(raster, FRONT_CARD_WIDTH);
    trace.quality = await sideQuality(raster, card);
    if (this.engine.profile === 'cloud') return this.cloud!.front(raster, trace);
    let chosen: { read: FrontRead; warp?: { quad: Quad; flatWidth: number } };
    if (card) {
      trace.cardFound = true;
      const warp = { quad: card.quad, flatWidth: FRONT_CARD_WIDTH };
      // A photo: uneven light and small faint labels, so the page is binarised locally.
      const read = await this.readFront(card.flat, trace, 'local');
      chosen = { read, warp };
      if (frontScore(read.reading) < 5) {
        const asIs = await this.readFront(raster, trace);
        if (frontScore(asIs.reading) > frontScore(read.reading)) chosen = { read: asIs };
      }
    } else {
      chosen = { read: await this.readFront(raster, trace) };
    }
    const { reading, upright, rotation } = chosen.read;
    const box = faceBox(reading, upright.width, upright.height);
    if (box) {
      const unrotated = rotation === 90 || rotation === 270 ? { width: upright.height, height: upright.width } : { width: upright.width, height: upright.height };
      trace.faceRegion = await toInputCorners(box, { rotation, ...unrotated, scale: raster.scale, ...(chosen.warp ? { warp: chosen.warp } : {}) });
    }
    return reading;
  }

  /** With `saveFaceDir`: the photo cut from the front image, as `<dir>/<id>_face.jpg`. */
  private async saveFace(id: string, frontBytes: Buffer, trace: SideTrace | undefined): Promise<void> {
    const dir = this.options.saveFaceDir;
    if (!dir || !trace?.faceRegion) return;
    const name = `${id.replace(/[^\w.-]+/g, '_')}_face.jpg`;
    await writeFile(path.join(dir, name), await cropFace(frontBytes, trace.faceRegion));
  }

  /**
   * Two images whose names do not say which side is which (consecutive camera names): the one
   * in which an MRZ is read is the back. That reading is kept, so no image is decoded or
   * read twice; the record's `front`/`back` give the paths as told apart.
   */
  async readUnsided(id: string, files: readonly [string, string], trace: ReadTrace = {}): Promise<CardRecord> {
    const [a, b] = files;
    const record = newRecord(id, a, b);
    return this.guard(record, async () => {
      // Side unknown: a missing or bad file is reported as the front for the first, back for the second.
      const aIn = await readImageFile(a, 'front', this.options.maxBytes);
      const bIn = await readImageFile(b, 'back', this.options.maxBytes);
      // Either may be the front: both at the front's working size.
      const [aRaster, bRaster] = await Promise.all([decodeToRaster(aIn, FRONT_LONG_EDGE), decodeToRaster(bIn, FRONT_LONG_EDGE)]);
      trace.back = newTrace(trace.keepPages);
      let back = await this.readBackSide(aRaster, trace.back);
      let frontRaster = bRaster;
      if (back.mrz) {
        record.front = b;
        record.back = a;
      } else {
        const other = newTrace(trace.keepPages);
        const backB = await this.readBackSide(bRaster, other);
        // Hybrid: no MRZ read locally in either image; the cloud engine may read one.
        const found = backB.mrz ? { index: 1 as const, back: backB } : this.escalation && this.cloud ? await findBack(this.cloud, [aRaster, bRaster], other) : undefined;
        if (!found) {
          throw new InocrError('INOCR003', `Neither image shows the back of a card (no MRZ found): ${a}, ${b}`);
        }
        trace.back = other;
        back = found.back;
        frontRaster = found.index === 1 ? aRaster : bRaster;
        if (found.index === 0) {
          record.front = b;
          record.back = a;
        }
      }
      const front = await this.readFrontSide(frontRaster, (trace.front = newTrace(trace.keepPages)));
      const sides = await this.escalate(front, frontRaster, back, frontRaster === bRaster ? aRaster : bRaster, trace);
      await this.saveFace(record.id, frontRaster === bRaster ? bIn.bytes : aIn.bytes, trace.front);
      this.finish(record, sides.front, sides.back, trace);
      record.warnings.push(...sides.notes.map(toRecordNote));
    });
  }

  /** Runs one card's work; any failure becomes the record's INOCR code (never throws). */
  private async guard(record: CardRecord, work: () => Promise<void>): Promise<CardRecord> {
    try {
      await work();
    } catch (err) {
      // A run-level failure (the cloud engine refuses the credentials) is not this card's.
      if (err instanceof UsageError) throw err;
      const e = toInocrError(err);
      record.status = 'error';
      record.errorCode = e.code;
      record.errorMessage = e.message;
    }
    return record;
  }

  /** Hybrid: the sides failing validation read again by the cloud engine (src/pipeline/hybrid.ts). */
  private async escalate(front: FrontReading, frontRaster: Raster, back: BackReading, backRaster: Raster, trace: ReadTrace): Promise<{ front: FrontReading; back: BackReading; notes: Note[] }> {
    if (!this.escalation || !this.cloud) return { front, back, notes: [] };
    return escalate(this.cloud, { front, frontRaster, back, backRaster }, trace);
  }

  private finish(record: CardRecord, front: FrontReading, back: BackReading, trace: ReadTrace): void {
    record.faceRegion = trace.front?.faceRegion ? formatRegion(trace.front.faceRegion) : '';
    record.frontQuality = trace.front?.quality ? formatQuality(trace.front.quality) : '';
    record.backQuality = trace.back?.quality ? formatQuality(trace.back.quality) : '';
    // A card that cannot be read says why when the capture is the likely cause.
    const poor = (['front', 'back'] as const)
      .filter((s) => trace[s]?.quality?.verdict === 'poor')
      .map((s) => describeProblems(s, trace[s]!.quality!));
    const advice = poor.length > 0 ? ` Likely cause: ${poor.join('; ')}; a new scan or photo should help.` : '';
    if ((trace.front?.textChars ?? 0) === 0 && (trace.back?.textChars ?? 0) === 0) {
      throw new InocrError('INOCR012', INOCR.INOCR012 + advice);
    }
    if (!back.mrz && front.labels.length < 2) {
      throw new InocrError('INOCR004', 'Text was read, but neither side looks like an INE/IFE voter card (no card labels on the front, no MRZ on the back).' + advice);
    }
    const judged = judgeCard(front, back);
    if (judged.filled === 0) throw new InocrError('INOCR013', INOCR.INOCR013 + advice);
    Object.assign(record, judged.fields);
    record.checks = judged.checks;
    record.warnings = judged.notes.map(toRecordNote);
    const quality = { ...(trace.front?.quality ? { front: trace.front.quality } : {}), ...(trace.back?.quality ? { back: trace.back.quality } : {}) };
    record.review = reviewCard({ ...judged, quality }).map(toReviewNote);
  }


  /** Orientations to try, most likely first: cards are landscape. */
  private static orientations(r: Raster): Rotation[] {
    return r.width >= r.height ? [0, 180, 90, 270] : [90, 270, 0, 180];
  }

  /**
   * Back: find the orientation in which an MRZ is read, then re-read the MRZ band alone.
   * The locating pass runs on a reduced image (long edge ~950 px): OCR-B characters of a
   * card-sized MRZ then sit near tesseract's preferred text height, and it is faster.
   */
  private async readBack(raster: Raster, trace: SideTrace): Promise<BackReading> {
    let best: BackReading | undefined;
    const locScale = Math.min(1, LOCATE_LONG_EDGE / Math.max(raster.width, raster.height));
    for (const rot of CardReader.orientations(raster)) {
      const r = await rotateRaster(raster, rot);
      const page = await this.ocr(r, 'auto', trace, undefined, { scale: locScale });
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
        const b = reading.band;
        const band = { x0: b.x0 / locScale, y0: b.y0 / locScale, x1: b.x1 / locScale, y1: b.y1 / locScale };
        const reread = await this.readMrzBand(r, band, page.text, trace);
        if (reread && reread.reading.score >= best.score) {
          best = { ...reread.reading, band };
          if (trace.pages) trace.chosen = reread.pages;
        }
      }
      break;
    }
    return best ?? extractBack({ text: '', lines: [], width: 0, height: 0, confidence: 0 });
  }

  /**
   * The MRZ band on its own, enlarged, with the MRZ alphabet only; binarised first, then other
   * preprocessing only while the check digits still fail. The locating pass's text takes part
   * in the combination (last, so ties go to the band's readings): a clean first reading is not
   * thrown away for a band reading that gained or lost a character.
   */
  private async readMrzBand(r: Raster, b: BBox, located: string, trace: SideTrace): Promise<{ reading: BackReading; pages: OcrResult[] } | undefined> {
    const h = b.y1 - b.y0;
    const pitch = h / 3;
    // Generous margins: a skewed card's first or last character must not be cut.
    const crop = await cropRaster(r, { left: b.x0 - pitch, top: b.y0 - 0.6 * pitch, width: b.x1 - b.x0 + 2 * pitch, height: h + 1.2 * pitch });
    // Line pitch near 45 px: characters near 28 px high.
    const scale = Math.min(3, Math.max(0.4, 45 / Math.max(8, pitch)));
    const level = otsuThreshold(crop);
    const variants: EncodeOptions[] = [
      { scale, threshold: level },
      { scale, normalise: true },
      { scale: scale * 1.5, threshold: level },
    ];
    const pages: OcrResult[] = [];
    let combined: MrzResult | null = null;
    for (const v of variants) {
      const page = await this.ocr(crop, 'block', trace, MRZ_CHARSET, v);
      pages.push(page);
      combined = combineMrzReadings([...pages.map((p) => p.text), located]);
      if (combined?.valid && combined.repairs.every((r) => !REPAIRS_BY_CHECK_DIGIT.has(r.kind))) break;
    }
    if (!combined) return undefined;
    const best = { reading: { mrz: combined, band: b, score: scoreMrz(combined), textChars: 0 }, pages };
    return best;
  }

  private async ocr(
    r: Raster,
    layout: 'sparse' | 'block' | 'auto' | 'line',
    trace: SideTrace,
    charset?: string,
    encode: EncodeOptions = {},
    binarise: 'global' | 'local' = 'global',
  ): Promise<OcrResult> {
    trace.ocrCalls++;
    const png = await encodeForOcr(r, encode);
    const opts = { layout, binarise, ...(charset === undefined ? {} : { charset }) };
    const page = await this.engine.recognize(png, opts);
    trace.pages?.push(page);
    return page;
  }

  /** Front: the orientation in which the most of a card is read (labels, codes, date, names). */
  private async readFront(raster: Raster, trace: SideTrace, binarise: 'global' | 'local' = 'global'): Promise<FrontRead> {
    let best: { reading: FrontReading; raster: Raster; rotation: Rotation } | undefined;
    for (const rot of CardReader.orientations(raster)) {
      const r = await rotateRaster(raster, rot);
      const page = await this.ocr(r, 'auto', trace, undefined, {}, binarise);
      trace.textChars = Math.max(trace.textChars, page.text.trim().length);
      const reading = extractFront(page);
      if (!best || frontScore(reading) > frontScore(best.reading)) {
        best = { reading, raster: r, rotation: rot };
        trace.rotation = rot;
        if (trace.pages) trace.chosen = [page];
      }
      if (frontScore(reading) >= 5) break;
    }
    let reading = best!.reading;
    // The codes with a structure to check get a second, closer read when the first fails it.
    // Two codes on neighbouring rows: a zone read must not hand one code's text to the other.
    const other = (v: string, code: string): boolean => code.length >= 17 && levenshtein(v.slice(0, 18), code.slice(0, 18)) <= 6;
    for (const [key, valid] of [
      ['curp', (v: string) => parseCurp(v.slice(0, 18)).valid && !other(v, reading.clave)],
      ['clave', (v: string) => parseClave(v.slice(0, 18)).valid && !other(v, reading.curp)],
    ] as const) {
      const zone = reading.zones[key];
      if (!zone || valid(reading[key])) continue;
      const better = await this.rereadCode(best!.raster, zone, valid, trace);
      if (better) reading = { ...reading, [key]: better };
    }
    return { reading, upright: best!.raster, rotation: best!.rotation };
  }

  /** One line of letters and digits, cropped, enlarged and read alone; the first reading that passes. */
  private async rereadCode(r: Raster, zone: BBox, valid: (v: string) => boolean, trace: SideTrace): Promise<string | undefined> {
    const h = zone.y1 - zone.y0;
    const crop = await cropRaster(r, { left: zone.x0 - 0.6 * h, top: zone.y0 - 0.35 * h, width: zone.x1 - zone.x0 + 1.2 * h, height: 1.7 * h });
    const scale = Math.min(3, Math.max(0.5, 36 / Math.max(8, h)));
    const level = otsuThreshold(crop);
    for (const v of [{ scale, threshold: level }, { scale, normalise: true }, { scale: scale * 1.4, threshold: level }] as EncodeOptions[]) {
      const page = await this.ocr(crop, 'line', trace, CODE_CHARSET, v);
      // The crop may hold the end of the label too: look for a window that passes.
      const text = code18(page.text) === undefined ? '' : page.text.toUpperCase().replace(/[^A-Z0-9]/g, '');
      for (let i = 0; i + 18 <= text.length && i <= 16; i++) {
        const code = text.slice(i, i + 18);
        if (valid(code)) return code;
      }
    }
    return undefined;
  }


  // ---- Bytes in memory (ine-ocr serve): the same checks and pipeline as read(), no temp files.

  /**
   * One card from bytes in memory: the checks readImageFile makes after reading a file (empty →
   * INOCR008, size → INOCR005, not JPEG/PNG by content → INOCR014; undecodable → INOCR015 at
   * decode), then the same pipeline as read() (readPair). Never throws.
   */
  async readBuffers(input: BufferCardInput, trace: ReadTrace = {}): Promise<CardRecord> {
    const record = newRecord(input.id, input.front.name, input.back.name);
    return this.guard(record, async () => {
      const frontIn = await checkImageBytes(input.front.bytes, 'front', this.options.maxBytes, input.front.name);
      const backIn = await checkImageBytes(input.back.bytes, 'back', this.options.maxBytes, input.back.name);
      await this.readPair(record, frontIn, backIn, trace);
    });
  }

  /**
   * One image whose side is not known (the single-side API): the back when an MRZ is read in
   * it, else the front when card labels are; that side's fields, merged and checked as in a
   * record with the other side blank. Never throws: failures are the result's INOCR code.
   */
  async readSide(image: ImageBytes, trace: ReadTrace = {}): Promise<SideRecord> {
    const out: SideRecord = { status: 'ok', errorCode: '', errorMessage: '', side: '', fields: emptyFields(), checks: {}, warnings: [] };
    try {
      // checkImageBytes and decodeToRaster name a side in their messages; here it is not known yet.
      const unsided = (err: unknown): never => {
        const e = toInocrError(err);
        throw new InocrError(e.code, e.message.replace(/^The (front|back) image/, 'The image'), { cause: err });
      };
      const input = await checkImageBytes(image.bytes, 'front', this.options.maxBytes, image.name).catch(unsided);
      // Either side: decoded at the front's working size, as readUnsided does.
      const raster = await decodeToRaster(input, FRONT_LONG_EDGE).catch(unsided);
      const backTrace = newTrace(trace.keepPages);
      const frontTrace = newTrace(trace.keepPages);
      // A first look, one OCR pass at the back's locating size: an upright front shows its
      // labels there and is read as a front straight away, without the back's search for an
      // MRZ in four orientations (seconds of OCR). Anything else takes the long way.
      const probe = await this.ocr(raster, 'auto', frontTrace, undefined, { scale: Math.min(1, LOCATE_LONG_EDGE / Math.max(raster.width, raster.height)) });
      frontTrace.textChars = probe.text.trim().length;
      const looksFront = extractFront(probe).labels.filter((k) => FRONT_LABEL_KEYS.has(k)).length >= 3 && !extractBack(probe).mrz;
      let front = looksFront ? await this.readFrontSide(raster, frontTrace) : undefined;
      let back: BackReading | undefined;
      if (!front || front.labels.length < 2) {
        back = await this.readBackSide(raster, backTrace);
        if (!back.mrz && !front) front = await this.readFrontSide(raster, frontTrace);
      }
      let merged: JudgedCard;
      if (back?.mrz) {
        trace.back = backTrace;
        out.side = 'back';
        merged = judgeCard(extractFront(NO_TEXT), back);
      } else {
        trace.front = frontTrace;
        if (!front || front.labels.length < 2) {
          if (backTrace.textChars === 0 && frontTrace.textChars === 0) throw new InocrError('INOCR012', 'No text could be read from the image.');
          throw new InocrError('INOCR004', 'Text was read, but the image is neither side of an INE/IFE voter card (no card labels, no MRZ).');
        }
        out.side = 'front';
        merged = judgeCard(front, extractBack(NO_TEXT));
        if (frontTrace.faceRegion) out.faceRegion = frontTrace.faceRegion.map((p): [number, number] => [p.x, p.y]);
      }
      if (merged.filled === 0) throw new InocrError('INOCR013');
      out.fields = merged.fields;
      out.checks = merged.checks;
      // The blank other side is not a finding about this image.
      out.warnings = merged.notes.filter((n) => n.code !== 'back-no-mrz').map(toRecordNote);
    } catch (err) {
      const e = toInocrError(err);
      Object.assign(out, { status: 'error', errorCode: e.code, errorMessage: e.message, side: '', fields: emptyFields(), checks: {}, warnings: [] });
      delete out.faceRegion;
    }
    return out;
  }
}

/** Width of the straightened card (px): a ~380 dpi front, a ~330 dpi back. */
const FRONT_CARD_WIDTH = 1600;
const BACK_CARD_WIDTH = 1400;

/** A front as read: the reading, the upright image it was read from, and the rotation that made it upright. */
interface FrontRead {
  readonly reading: FrontReading;
  readonly upright: Raster;
  readonly rotation: Rotation;
}

/** The card warped flat, when its outline is found; null otherwise. */
async function straighten(r: Raster, width: number): Promise<{ flat: Raster; quad: Quad } | null> {
  const loc = await locateCard(r);
  return loc ? { flat: await rectify(r, loc.quad, width), quad: loc.quad } : null;
}

/** Quality of a side: on the straightened card when found, else on the whole image. */
async function sideQuality(raster: DecodedRaster, card: { flat: Raster; quad: Quad } | null): Promise<SideQuality> {
  if (!card) return measureQuality(raster, false, Math.max(raster.sourceWidth, raster.sourceHeight));
  const [a, b, c, d] = card.quad;
  const long = (Math.hypot(b.x - a.x, b.y - a.y) + Math.hypot(c.x - d.x, c.y - d.y)) / 2;
  return measureQuality(card.flat, true, long / raster.scale);
}

/** CURP and clave de elector: upper-case letters and digits. */
const CODE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Working sizes (long edge, px). The front's small labels need the room; the back is read at
 * ~950 px to find the MRZ and its band at a fixed line pitch, so it is kept at its native size
 * between 1400 and 2000 px (an upscale beyond that only costs CPU; a photo keeps its detail).
 */
const FRONT_LONG_EDGE = 2000;
const BACK_MIN_LONG_EDGE = 1400;

/** Long edge of the image the back's locating pass reads. */
const LOCATE_LONG_EDGE = 950;

/** Field labels only (not the card markers such as INSTITUTO NACIONAL ELECTORAL, which a back may print too). */
const FRONT_LABEL_KEYS = new Set(FRONT_LABELS.map((l) => l.key));

/** An OCR result with nothing in it: the blank side of a single-side reading. */
const NO_TEXT: OcrResult = { text: '', lines: [], width: 0, height: 0, confidence: 0 };


function newTrace(keepPages = false): SideTrace {
  return keepPages ? { rotation: 0, ocrCalls: 0, textChars: 0, pages: [] } : { rotation: 0, ocrCalls: 0, textChars: 0 };
}
