/**
 * One card, end to end: files → checks → one decode per image → each image read by the reading
 * strategy (src/reading/) → which image is which side, from what each shows → the judge →
 * the record. `read` never throws for a card: every failure becomes the record's INOCR code
 * (only a run-level RunError, such as refused cloud credentials, goes up to stop the run).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { INOCR, InocrError, toInocrError, UsageError } from '../errors.ts';
import type { Note } from '../evidence.ts';
import type { EngineUsage, OcrEngine } from '../engines/types.ts';
import type { PaddleEngineOptions } from '../engines/paddle.ts';
import type { TextractEngineOptions } from '../engines/textract.ts';
import { extractBack } from '../extract/back.ts';
import { findForeignMrz, ineMrzChecks, looksLikeFront, proseLines } from '../extract/document.ts';
import { extractFront } from '../extract/front.ts';
import { judgeCard, type JudgedCard } from '../judge/card.ts';
import { toRecordNote } from '../judge/notes.ts';
import { reviewCard, toReviewNote } from '../judge/review.ts';
import { decideNamedPair, decideUnsided, describeFinding, isBack, type ImageEvidence, type SidesDecision } from '../judge/sides.ts';
import { emptyFields, newRecord, type CardFields, type CardRecord, type FieldCheck, type FieldName, type RecordNote, type RecordStatus } from '../record.ts';
import { fieldBoxes } from '../reading/boxes.ts';
import { CloudPlan } from '../reading/cloud-plan.ts';
import { toInputCorners } from '../reading/geometry.ts';
import { LocalPlan } from '../reading/local-plan.ts';
import { TesseractPlan } from '../reading/tesseract-plan.ts';
import { newTrace, type BackRead, type FrontRead, type ReadingStrategy, type SideTrace } from '../reading/types.ts';
import { CloudSides } from './cloud.ts';
import { openEngines, type OpenedEngines } from './engines.ts';
import { cropFace, faceBox, formatRegion } from './face.ts';
import { escalate, findBack } from './hybrid.ts';
import { checkImageBytes, decodeToRaster, readImageFile, type DecodedRaster, type ImageInput } from './image.ts';
import { describeProblems, formatQuality, measureQuality, type SideQuality } from './quality.ts';

export type { SideTrace } from '../reading/types.ts';

/**
 * local: offline, PaddleOCR PP-OCRv4 first and tesseract.js where it reads better (names,
 * addresses, re-reads); paddle: offline, PaddleOCR alone; tesseract: offline, tesseract.js
 * alone; textract: AWS Textract, one call per side; hybrid: local, then Textract for the sides
 * that fail validation.
 */
export type EngineChoice = 'local' | 'paddle' | 'tesseract' | 'textract' | 'hybrid';

/**
 * The engine when none is named (the CLI, runBatch): `local`, which the eval shows reading best
 * offline on every condition (README "Engines"); `tesseract` is the lighter one (a third of
 * the memory).
 */
export const DEFAULT_ENGINE: EngineChoice = 'local';

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
  /** PaddleOCR settings (engines local, paddle and hybrid). */
  readonly paddle?: PaddleEngineOptions;
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
  side: 'front' | 'back' | '';
  /** The record's fields; those the other side carries stay empty. */
  fields: CardFields;
  checks: Partial<Record<FieldName, FieldCheck>>;
  warnings: RecordNote[];
  /** Face photo corners (TL, TR, BR, BL) in input-image pixels, front only, when the reader located it. */
  faceRegion?: [number, number][];
}

export interface ReadTrace {
  front?: SideTrace;
  back?: SideTrace;
  /** Keep the OCR results in the side traces. */
  keepPages?: boolean;
}

/** Working sizes (long edge, px): the front's small labels need the room; both sides of an unsided pair are decoded at it. */
const FRONT_LONG_EDGE = 2000;
/** The back is kept at its native size between 1400 and 2000 px (an upscale beyond that only costs CPU). */
const BACK_MIN_LONG_EDGE = 1400;

/** Both sides, as read and told apart. */
interface Sides {
  readonly front: FrontRead;
  readonly back: BackRead;
  readonly frontRaster: DecodedRaster;
  readonly backRaster: DecodedRaster;
  /** Which input image is the front (0: the first given). */
  readonly frontIndex: 0 | 1;
}

export class CardReader {
  private readonly engines: OpenedEngines;
  private readonly options: ReaderOptions;
  private readonly plan: ReadingStrategy;
  /** Hybrid: the cloud plan that re-reads the sides failing validation. */
  private readonly escalation: CloudPlan | undefined;

  private constructor(engines: OpenedEngines, options: ReaderOptions) {
    this.options = options;
    const { primary, secondary } = engines;
    this.engines = { primary, ...(secondary ? { secondary } : {}), ...(primary.profile !== 'cloud' && engines.escalation ? { escalation: engines.escalation } : {}) };
    this.plan = planFor(options.engine, primary, secondary);
    this.escalation = this.engines.escalation ? new CloudPlan(new CloudSides(this.engines.escalation)) : undefined;
  }

  /**
   * Engines given (tests, embedding) are used as they are — `engine` the primary, `escalation`
   * hybrid's cloud engine, `secondary` the local plan's second engine; otherwise they are opened
   * from the options.
   */
  static async create(options: ReaderOptions, engine?: OcrEngine, escalation?: OcrEngine, secondary?: OcrEngine): Promise<CardReader> {
    if (engine) return new CardReader({ primary: engine, ...(escalation ? { escalation } : {}), ...(secondary ? { secondary } : {}) }, options);
    return new CardReader(await openEngines(options), options);
  }

  async close(): Promise<void> {
    await Promise.all([this.engines.primary.close(), this.engines.secondary?.close(), this.engines.escalation?.close()]);
  }

  /** What the cloud engine (textract, or hybrid's escalation) has been asked so far; undefined when there is none. */
  cloudUsage(): (EngineUsage & { readonly engine: string }) | undefined {
    const e = this.engines.primary.profile === 'cloud' ? this.engines.primary : this.engines.escalation;
    return e ? { engine: e.name, ...(e.usage?.() ?? { calls: 0, billed: 0 }) } : undefined;
  }

  async read(input: CardInput, trace: ReadTrace = {}, signal?: AbortSignal): Promise<CardRecord> {
    const record = newRecord(input.id, input.front, input.back);
    return this.guard(record, async () => {
      const frontIn = await readImageFile(input.front, 'front', this.options.maxBytes);
      const backIn = await readImageFile(input.back, 'back', this.options.maxBytes);
      await this.readPair(record, [frontIn, backIn], trace, signal);
    });
  }

  /**
   * One card from bytes in memory: the checks readImageFile makes after reading a file (empty →
   * INOCR008, size → INOCR005, not JPEG/PNG by content → INOCR014; undecodable → INOCR015 at
   * decode), then the same pipeline as read(). Never throws.
   */
  async readBuffers(input: BufferCardInput, trace: ReadTrace = {}, signal?: AbortSignal): Promise<CardRecord> {
    const record = newRecord(input.id, input.front.name, input.back.name);
    return this.guard(record, async () => {
      const frontIn = await checkImageBytes(input.front.bytes, 'front', this.options.maxBytes, input.front.name);
      const backIn = await checkImageBytes(input.back.bytes, 'back', this.options.maxBytes, input.back.name);
      await this.readPair(record, [frontIn, backIn], trace, signal);
    });
  }

  /**
   * Two images whose names do not say which side is which (consecutive camera names): the
   * images say (src/judge/sides.ts). The record's `front`/`back` give the paths as told apart.
   */
  async readUnsided(id: string, files: readonly [string, string], trace: ReadTrace = {}, signal?: AbortSignal): Promise<CardRecord> {
    const [a, b] = files;
    const record = newRecord(id, a, b);
    return this.guard(record, async () => {
      // Side unknown: a missing or bad file is reported as the front for the first, back for the second.
      const aIn = await readImageFile(a, 'front', this.options.maxBytes);
      const bIn = await readImageFile(b, 'back', this.options.maxBytes);
      const notes: Note[] = [];
      const sides = await this.readUnknownSides([aIn, bIn], files, trace, notes, signal);
      if (sides.frontIndex === 1) {
        record.front = b;
        record.back = a;
      }
      await this.finish(record, sides, sides.frontIndex === 0 ? aIn : bIn, notes, trace);
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

  /**
   * A pair whose names say which side is which: each image read as its side, then what each
   * shows checked against its place (src/judge/sides.ts decideNamedPair): swapped sides are
   * read the other way round, two fronts, two backs, a blank side or another document are
   * the card's error, naming the side.
   */
  private async readPair(record: CardRecord, inputs: readonly [ImageInput, ImageInput], trace: ReadTrace, signal?: AbortSignal): Promise<void> {
    const [frontRaster, backRaster] = await Promise.all([decodeToRaster(inputs[0], FRONT_LONG_EDGE), decodeToRaster(inputs[1], FRONT_LONG_EDGE, BACK_MIN_LONG_EDGE)]);
    const frontTrace = (trace.front = newTrace(trace.keepPages));
    const backTrace = (trace.back = newTrace(trace.keepPages));
    const notes: Note[] = [];
    const [front0, back0] = await Promise.all([this.plan.readFront(frontRaster, frontTrace, signal), this.plan.readBack(backRaster, backTrace, signal)]);
    const first = await this.escalate({ front: front0, back: back0, frontRaster, backRaster }, trace, notes, signal);
    const { front, back } = first;
    await Promise.all([measure(frontTrace, frontRaster, front), measure(backTrace, backRaster, back)]);
    this.bothBlank(frontTrace, backTrace);
    // What each image shows beyond what it was read as, read only when in doubt.
    const frontAsBack = !looksLikeFront(front.reading) && !extractBack(front.page).mrz ? await this.plan.readBack(frontRaster, frontTrace, signal) : undefined;
    const backAsFront = !back.reading.mrz ? await this.plan.readFront(backRaster, backTrace, signal) : undefined;
    const decision = decideNamedPair(
      evidence(frontTrace, front.page.text, frontAsBack ?? { reading: extractBack(front.page) }, front.reading),
      evidence(backTrace, back.page.text, back, backAsFront?.reading ?? extractFront(back.page)),
    );
    this.refuse(decision, frontTrace, backTrace);
    const swapped = decision.ok === true && decision.front === 1;
    if (swapped) {
      [trace.front, trace.back] = [backTrace, frontTrace];
      [record.front, record.back] = [record.back, record.front];
    }
    const sides: Sides = swapped
      ? {
          ...(await this.escalate(
            {
              front: backAsFront ?? (await this.plan.readFront(backRaster, backTrace, signal)),
              back: frontAsBack ?? (await this.plan.readBack(frontRaster, frontTrace, signal)),
              frontRaster: backRaster,
              backRaster: frontRaster,
            },
            trace,
            notes,
            signal,
          )),
          frontIndex: 1,
        }
      : { ...first, frontIndex: 0 };
    await this.finish(record, sides, inputs[sides.frontIndex], notes, trace);
  }

  /** Hybrid: the sides failing validation read again by the cloud engine; the better readings kept. */
  private async escalate(
    sides: Omit<Sides, 'frontIndex'>,
    trace: ReadTrace,
    notes: Note[],
    signal?: AbortSignal,
  ): Promise<Omit<Sides, 'frontIndex'>> {
    if (!this.escalation) return sides;
    const done = await escalate(this.escalation, sides, trace, signal);
    notes.push(...done.notes);
    return { ...sides, front: done.front, back: done.back };
  }

  /** Both images of an unsided pair read as backs; which is which from their MRZs, else their fronts, else both ways. */
  private async readUnknownSides(inputs: readonly [ImageInput, ImageInput], names: readonly [string, string], trace: ReadTrace, notes: Note[], signal?: AbortSignal): Promise<Sides> {
    // Either may be the front: both at the front's working size.
    const rasters = (await Promise.all(inputs.map((i) => decodeToRaster(i, FRONT_LONG_EDGE)))) as [DecodedRaster, DecodedRaster];
    const traces = [newTrace(trace.keepPages), newTrace(trace.keepPages)] as const;
    const backs = (await Promise.all(rasters.map((r, i) => this.plan.readBack(r, traces[i]!, signal)))) as [BackRead, BackRead];
    await Promise.all(rasters.map((r, i) => measure(traces[i]!, r, backs[i]!)));
    const fronts: [FrontRead | undefined, FrontRead | undefined] = [undefined, undefined];
    // A front is told by its reading as a front: read each image that is not clearly a back.
    const asFront = async (i: 0 | 1): Promise<FrontRead> => (fronts[i] ??= await this.plan.readFront(rasters[i], traces[i], signal));
    const ev = async (i: 0 | 1): Promise<ImageEvidence> => {
      const probe = evidence(traces[i], backs[i].page.text, backs[i], extractFront(backs[i].page));
      return isBack(probe) ? probe : { ...probe, front: (await asFront(i)).reading };
    };
    // Hybrid: no valid MRZ read locally in either image; the cloud engine may read one, and
    // then it decides (the local engine may have read nothing at all; the other image, the
    // front, is escalated with it below).
    const found = this.escalation && !backs.some((b) => b.reading.mrz?.valid) ? await findBack(this.escalation, rasters, traces, signal) : undefined;
    if (found) backs[found.index] = found.back;
    else this.bothBlank(traces[0], traces[1]);
    const decision: SidesDecision = found ? { ok: true, back: found.index, front: found.index === 0 ? 1 : 0 } : decideUnsided(await ev(0), await ev(1));
    let chosen: { front: 0 | 1; back: 0 | 1 } | undefined = decision.ok === true ? decision : undefined;
    if (decision.ok === 'ambiguous') chosen = await this.bothWays(backs, [await asFront(0), await asFront(1)]);
    const noBack = decision.ok === 'ambiguous' || (decision.ok === false && decision.finding.kind === 'no-back-found');
    if (!chosen) {
      this.refuse(noBack ? { ok: false, code: 'INOCR003', finding: { kind: 'no-back-found' } } : decision, traces[0], traces[1], names);
      throw new InocrError('INOCR001', 'The sides of the pair were neither told apart nor refused (a bug).');
    }
    trace.back = traces[chosen.back];
    trace.front = traces[chosen.front];
    const sides = { front: await asFront(chosen.front), back: backs[chosen.back], frontRaster: rasters[chosen.front], backRaster: rasters[chosen.back] };
    return { ...(await this.escalate(sides, trace, notes, signal)), frontIndex: chosen.front };
  }

  /** Neither image settles which side it is: judge both assignments, keep the one that holds together better. */
  private async bothWays(backs: readonly [BackRead, BackRead], fronts: readonly [FrontRead, FrontRead]): Promise<{ front: 0 | 1; back: 0 | 1 } | undefined> {
    const score = (j: JudgedCard): number => Object.values(j.checks).filter((c) => c?.verdict === 'valid').length - j.bindings.filter((b) => !b.agree).length;
    const ab = score(judgeCard(fronts[0].reading, backs[1].reading));
    const ba = score(judgeCard(fronts[1].reading, backs[0].reading));
    if (ab === ba) return undefined;
    return ab > ba ? { front: 0, back: 1 } : { front: 1, back: 0 };
  }

  /** No text on either image: INOCR012 (checked before anything else is said about the sides). */
  private bothBlank(a: SideTrace, b: SideTrace): void {
    if (a.textChars === 0 && b.textChars === 0) throw new InocrError('INOCR012', INOCR.INOCR012 + advice({ front: a, back: b }));
  }

  /** A decision that the pair cannot be read: the card's error, with the capture advice when a side is poor. */
  private refuse(decision: SidesDecision, front: SideTrace, back: SideTrace, names?: readonly [string, string]): void {
    if (decision.ok !== false) return;
    throw new InocrError(decision.code, describeFinding(decision.finding, names) + advice({ front, back }));
  }

  /** The face, the judge, the review and the boxes: the record of a pair told apart. */
  private async finish(record: CardRecord, read: Sides, frontIn: ImageInput, notes: readonly Note[], trace: ReadTrace): Promise<void> {
    const { front, back } = read;
    record.frontQuality = trace.front?.quality ? formatQuality(trace.front.quality) : '';
    record.backQuality = trace.back?.quality ? formatQuality(trace.back.quality) : '';
    const face = faceBox(front.reading, front.upright.width, front.upright.height);
    if (face && trace.front) trace.front.faceRegion = await toInputCorners(face, front.geometry);
    record.faceRegion = trace.front?.faceRegion ? formatRegion(trace.front.faceRegion) : '';
    await this.saveFace(record.id, frontIn.bytes, trace.front);

    const judged = judgeCard(front.reading, back.reading);
    if (judged.filled === 0) throw new InocrError('INOCR013', INOCR.INOCR013 + advice(trace));
    Object.assign(record, judged.fields);
    record.checks = judged.checks;
    record.warnings = [...judged.notes, ...notes].map(toRecordNote);
    const quality = { ...(trace.front?.quality ? { front: trace.front.quality } : {}), ...(trace.back?.quality ? { back: trace.back.quality } : {}) };
    record.review = reviewCard({ ...judged, quality }).map(toReviewNote);
    record.fieldBoxes = await fieldBoxes(judged.fields, judged.checks, front, back);
  }

  /** With `saveFaceDir`: the photo cut from the front image, as `<dir>/<id>_face.jpg`. */
  private async saveFace(id: string, frontBytes: Buffer, trace: SideTrace | undefined): Promise<void> {
    const dir = this.options.saveFaceDir;
    if (!dir || !trace?.faceRegion) return;
    const name = `${id.replace(/[^\w.-]+/g, '_')}_face.jpg`;
    await writeFile(path.join(dir, name), await cropFace(frontBytes, trace.faceRegion));
  }

  /**
   * One image whose side is not known (the single-side API): the back when it shows an INE MRZ
   * that passes its check digits, else the front when it shows a front's labels and codes; that
   * side's fields, judged as in a record with the other side blank. Another document's zone,
   * prose or nothing: INOCR004 / INOCR012. Never throws.
   */
  async readSide(image: ImageBytes, trace: ReadTrace = {}, signal?: AbortSignal): Promise<SideRecord> {
    const out: SideRecord = { status: 'ok', errorCode: '', errorMessage: '', side: '', fields: emptyFields(), checks: {}, warnings: [] };
    try {
      // checkImageBytes and decodeToRaster name a side in their messages; here it is not known yet.
      const unsided = (err: unknown): never => {
        const e = toInocrError(err);
        throw new InocrError(e.code, e.message.replace(/^The (front|back) image/, 'The image'), { cause: err });
      };
      const input = await checkImageBytes(image.bytes, 'front', this.options.maxBytes, image.name).catch(unsided);
      const raster = await decodeToRaster(input, FRONT_LONG_EDGE).catch(unsided);
      const t = newTrace(trace.keepPages);
      const back = await this.plan.readBack(raster, t, signal);
      const probe = evidence(t, back.page.text, back, extractFront(back.page));
      if (t.textChars === 0) throw new InocrError('INOCR012', 'No text could be read from the image.');
      if (probe.foreignMrz) throw new InocrError('INOCR004', describeFinding({ kind: 'foreign-mrz', side: 'front', mrz: probe.foreignMrz }).replace(/^The front image/, 'The image'));
      let judged: JudgedCard;
      if (isBack(probe)) {
        trace.back = t;
        out.side = 'back';
        judged = judgeCard(extractFront(EMPTY), back.reading);
      } else {
        const front = await this.plan.readFront(raster, t, signal);
        trace.front = t;
        if (!looksLikeFront(front.reading)) {
          throw new InocrError('INOCR004', 'Text was read, but the image is neither side of an INE/IFE voter card (no MRZ that passes its check digits, no card labels with their codes).');
        }
        out.side = 'front';
        judged = judgeCard(front.reading, extractBack(EMPTY));
        const face = faceBox(front.reading, front.upright.width, front.upright.height);
        if (face) out.faceRegion = (await toInputCorners(face, front.geometry)).map((p): [number, number] => [p.x, p.y]);
      }
      if (judged.filled === 0) throw new InocrError('INOCR013');
      out.fields = judged.fields;
      out.checks = judged.checks;
      // The blank other side is not a finding about this image.
      out.warnings = judged.notes.filter((n) => n.code !== 'back-no-mrz').map(toRecordNote);
    } catch (err) {
      const e = toInocrError(err);
      Object.assign(out, { status: 'error', errorCode: e.code, errorMessage: e.message, side: '', fields: emptyFields(), checks: {}, warnings: [] });
      delete out.faceRegion;
    }
    return out;
  }
}

/**
 * The reading strategy for an engine choice: a cloud engine's one call per image; the local
 * plan for an engine that reads any orientation and says which way text runs (paddle, with
 * tesseract beside it for `local` and `hybrid`); tesseract's orientation search otherwise.
 */
function planFor(choice: EngineChoice, primary: OcrEngine, secondary: OcrEngine | undefined): ReadingStrategy {
  if (primary.profile === 'cloud') return new CloudPlan(new CloudSides(primary));
  if (choice === 'tesseract') return new TesseractPlan(primary);
  if (choice === 'paddle' || secondary) return new LocalPlan(primary, secondary);
  // hybrid or local with a single engine given (tests): tesseract's plan reads any engine.
  return new TesseractPlan(primary);
}

/** An OCR result with nothing in it: the blank side of a single-side reading. */
const EMPTY = { text: '', lines: [], width: 0, height: 0, confidence: 0 };

/** What an image shows, from its readings as a back and as a front. */
function evidence(trace: SideTrace, text: string, asBack: { readonly reading: BackRead['reading'] }, asFront: FrontRead['reading']): ImageEvidence {
  const mrz = asBack.reading.mrz;
  return {
    textChars: trace.textChars,
    ineMrz: mrz?.found === true,
    ineMrzChecks: ineMrzChecks(mrz),
    foreignMrz: mrz?.found ? null : findForeignMrz(text),
    front: asFront,
    proseLines: proseLines(text.split('\n')),
  };
}

/** A card that cannot be read says why when the capture is the likely cause. */
function advice(trace: { front?: SideTrace | undefined; back?: SideTrace | undefined }): string {
  const poor = (['front', 'back'] as const).filter((s) => trace[s]?.quality?.verdict === 'poor').map((s) => describeProblems(s, trace[s]!.quality!));
  return poor.length > 0 ? ` Likely cause: ${poor.join('; ')}; a new scan or photo should help.` : '';
}

/** The quality of a side, in its trace. */
async function measure(trace: SideTrace, raster: DecodedRaster, read: FrontRead | BackRead): Promise<void> {
  trace.quality = await sideQuality(raster, read);
}

/** Quality of a side: on the straightened card when its outline was found, else on the whole image. */
async function sideQuality(raster: DecodedRaster, read: FrontRead | BackRead): Promise<SideQuality> {
  const warp = read.geometry.warp;
  if (!warp) return measureQuality(raster, false, Math.max(raster.sourceWidth, raster.sourceHeight));
  const [a, b, c, d] = warp.quad;
  const long = (Math.hypot(b.x - a.x, b.y - a.y) + Math.hypot(c.x - d.x, c.y - d.y)) / 2;
  return measureQuality(read.upright, true, long / raster.scale);
}
