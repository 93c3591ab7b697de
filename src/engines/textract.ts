/**
 * AWS Textract (DetectDocumentText on image bytes) behind the OcrEngine port.
 *
 * - Credentials and region: the AWS SDK's standard chain (AWS_ACCESS_KEY_ID/…, AWS_PROFILE,
 *   SSO, web identity, container/instance roles; AWS_REGION or the profile's region), checked
 *   once at start-up so a run without them stops before the first card.
 * - Faults: the SDK's standard retry strategy (bounded attempts, exponential backoff with full
 *   jitter, a retry-token bucket that stops retrying when most calls fail) handles throttling,
 *   5xx and timeouts. What is left becomes the card's INOCR007 (call failed) or INOCR009
 *   (response not decodable); a refusal of the credentials becomes a RunError (the run stops).
 * - Limits (Textract set quotas: Document.Bytes ≤ 5 MB, ≤ 10000 px on every side, JPEG or
 *   PNG): an image outside them is re-encoded or downscaled here, never sent to fail.
 * - Cost: one call = one billed page. Requests in flight are bounded (`concurrency`, the
 *   batch's -j) and spaced (`tps`) so a fresh account's quota is not exceeded.
 *
 * Boxes and polygons come back in the pixels of the image the caller passed (Textract's
 * geometry is a ratio of the page size, so a downscaled upload maps back exactly); `textAngle`
 * says which way the text runs, from the LINE polygons, so the caller can turn the boxes
 * upright (and level a tilted photo) without a second call.
 */
import { DetectDocumentTextCommand, TextractClient, type Block, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-textract';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import pLimit, { type LimitFunction } from 'p-limit';
import sharp from 'sharp';
import { InocrError, RunError } from '../errors.ts';
import { IntervalLimiter } from './rate-limit.ts';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TEXTRACT_TPS, TEXTRACT_MAX_BYTES, TEXTRACT_MAX_SIDE } from './textract-limits.ts';
import type { BBox, EngineUsage, OcrEngine, OcrLine, OcrPoint, OcrResult, OcrWord, RecognizeOptions } from './types.ts';

export { DEFAULT_MAX_ATTEMPTS, DEFAULT_TEXTRACT_TPS, TEXTRACT_MAX_BYTES, TEXTRACT_MAX_SIDE };

export interface TextractEngineOptions {
  /** Region; else AWS_REGION / AWS_DEFAULT_REGION… / the profile's region (SDK chain). */
  readonly region?: string;
  /** Endpoint URL (VPC interface endpoint, FIPS, or a local test server). */
  readonly endpoint?: string;
  /** Requests per second, retries included (default DEFAULT_TEXTRACT_TPS). */
  readonly tps?: number;
  /** Requests in flight at once (the batch's -j; default 1). */
  readonly concurrency?: number;
  /** Attempts per call (default: AWS_MAX_ATTEMPTS if set, else DEFAULT_MAX_ATTEMPTS). */
  readonly maxAttempts?: number;
  /** Longest wait for a response to one attempt, ms (default 30 s): then it is retried. */
  readonly requestTimeoutMs?: number;
  /** Longest wait for the connection, ms (default 5 s). */
  readonly connectionTimeoutMs?: number;
}

/** Error names that mean "these credentials will not work": every later call would fail the same way. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
  'NotAuthorized',
  'UnauthorizedOperation',
  'SubscriptionRequiredException',
  'OptInRequired',
]);

const CREDENTIAL_HELP =
  'Check the AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or AWS_PROFILE) ' +
  'and that this identity may call textract:DetectDocumentText in this region.';

interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly $response?: unknown;
}

/**
 * An SDK failure → what it means for the run. Credential refusals (and any HTTP 403) stop the
 * run; a body that is not JSON on a 2xx answer is INOCR009; everything else the SDK gave up on
 * (throttled or 5xx past the retries, timeouts, bad documents, network) is the card's INOCR007.
 * Messages name the error, never the response body (it may hold card text).
 */
export function classifyTextractError(err: unknown): InocrError | RunError {
  if (err instanceof InocrError || err instanceof RunError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : String(err);
  if (CREDENTIAL_ERRORS.has(name) || status === 403) {
    return new RunError(`AWS Textract refused the request: ${name}${status ? ` (HTTP ${status})` : ''}: ${message}. ${CREDENTIAL_HELP}`, { cause: err });
  }
  if (name === 'SyntaxError' && e.$response !== undefined && status !== undefined && status >= 200 && status < 300) {
    return new InocrError('INOCR009', `The Textract response could not be decoded (HTTP ${status}, not valid JSON)`, { cause: err });
  }
  if (name === 'AbortError') return new InocrError('INOCR007', 'The Textract call was cancelled', { cause: err });
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const http = status ? `HTTP ${status} ` : '';
  // A non-JSON error body (a proxy's HTML page): the status says enough.
  const what = name === 'SyntaxError' ? `${http}with a body that is not Textract's` : `${http}${name}: ${message}`;
  return new InocrError('INOCR007', `The Textract call failed${tries}: ${what}`.replace(/\s+$/, ''), { cause: err });
}

/** An image Textract will take, and the size of the caller's image (the frame boxes map to). */
export interface PreparedImage {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  /** The bytes sent are not the caller's (re-encoded or downscaled). */
  readonly reencoded: boolean;
}

/**
 * The caller's image if Textract takes it as it is; otherwise re-encoded as JPEG, downscaled
 * to at most TEXTRACT_MAX_SIDE px and then as far as it takes to fit TEXTRACT_MAX_BYTES.
 * EXIF orientation is applied first, so the frame the boxes refer to is the one a viewer sees.
 */
export async function prepareForTextract(image: Buffer, maxBytes = TEXTRACT_MAX_BYTES, maxSide = TEXTRACT_MAX_SIDE): Promise<PreparedImage> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch (err) {
    throw new InocrError('INOCR015', `The image could not be decoded before sending it to Textract: ${(err as Error).message}`, { cause: err });
  }
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  if (width === 0 || height === 0) throw new InocrError('INOCR015', 'The image has no size: it cannot be sent to Textract');
  const fits = (meta.format === 'jpeg' || meta.format === 'png') && (meta.orientation ?? 1) === 1 && image.length <= maxBytes && Math.max(width, height) <= maxSide;
  if (fits) return { bytes: image, width, height, reencoded: false };

  let scale = Math.min(1, maxSide / Math.max(width, height));
  for (let attempt = 0; attempt < 8; attempt++) {
    const w = Math.max(1, Math.floor(width * scale));
    const h = Math.max(1, Math.floor(height * scale));
    let bytes: Buffer;
    try {
      bytes = await sharp(image)
        .rotate()
        .resize(w, h, { fit: 'fill' })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 90, mozjpeg: false })
        .toBuffer();
    } catch (err) {
      throw new InocrError('INOCR015', `The image could not be re-encoded for Textract: ${(err as Error).message}`, { cause: err });
    }
    if (bytes.length <= maxBytes) return { bytes, width, height, reencoded: true };
    // JPEG size grows about with the pixel count: shrink the area by the excess, with margin.
    scale *= Math.sqrt(maxBytes / bytes.length) * 0.9;
  }
  throw new InocrError('INOCR015', 'The image could not be brought under Textract\'s 5 MB limit');
}

interface Point {
  readonly X: number;
  readonly Y: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function bad(detail: string): InocrError {
  return new InocrError('INOCR009', `The Textract response could not be decoded: ${detail}`);
}

/** Normalised geometry → pixel box (and polygon, when given) of a width × height image. */
function geometryOf(block: Block, width: number, height: number): { bbox: BBox; polygon?: OcrPoint[] } {
  const g = block.Geometry;
  const bb = g?.BoundingBox;
  const poly = Array.isArray(g?.Polygon) && g.Polygon.length >= 3 && g.Polygon.every((p) => isNum(p.X) && isNum(p.Y)) ? (g.Polygon as Point[]) : undefined;
  let x0: number;
  let y0: number;
  let x1: number;
  let y1: number;
  if (bb && isNum(bb.Left) && isNum(bb.Top) && isNum(bb.Width) && isNum(bb.Height)) {
    [x0, y0, x1, y1] = [bb.Left, bb.Top, bb.Left + bb.Width, bb.Top + bb.Height];
  } else if (poly) {
    const xs = poly.map((p) => p.X);
    const ys = poly.map((p) => p.Y);
    [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  } else {
    throw bad(`${block.BlockType} block without geometry`);
  }
  const px = (v: number): number => Math.min(width, Math.max(0, v * width));
  const py = (v: number): number => Math.min(height, Math.max(0, v * height));
  const bbox = { x0: px(x0), y0: py(y0), x1: px(x1), y1: py(y1) };
  return poly ? { bbox, polygon: poly.map((p) => ({ x: p.X * width, y: p.Y * height })) } : { bbox };
}

/** Degrees in [0, 360). */
const norm360 = (d: number): number => ((d % 360) + 360) % 360;

/**
 * Which way the text runs, from the LINE polygons: Textract lists each polygon from the text's
 * own top-left corner, clockwise, whatever the page's rotation, so the first edge points along
 * the text. The quarter turn most of the text (by length) agrees on wins; the angle is then the
 * mean direction of the lines within 45° of it (a photo's tilt). Degrees clockwise from
 * left-to-right, in [0, 360); 0 when no line has a polygon.
 */
export function textAngle(lines: readonly { readonly text: string; readonly polygon?: readonly OcrPoint[] }[]): number {
  const dirs: { deg: number; weight: number }[] = [];
  for (const l of lines) {
    const p = l.polygon;
    if (!p || p.length < 2) continue;
    const dx = p[1]!.x - p[0]!.x;
    const dy = p[1]!.y - p[0]!.y;
    if (dx === 0 && dy === 0) continue;
    // Image y grows downwards, so atan2 gives the clockwise angle: +90 = text running down.
    dirs.push({ deg: norm360((Math.atan2(dy, dx) * 180) / Math.PI), weight: Math.max(1, l.text.length) });
  }
  if (dirs.length === 0) return 0;
  const votes = new Map<number, number>();
  for (const d of dirs) {
    const q = norm360(Math.round(d.deg / 90) * 90);
    votes.set(q, (votes.get(q) ?? 0) + d.weight);
  }
  const quarter = [...votes.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  let sum = 0;
  let weights = 0;
  for (const d of dirs) {
    const off = ((d.deg - quarter + 540) % 360) - 180;
    if (Math.abs(off) <= 45) {
      sum += off * d.weight;
      weights += d.weight;
    }
  }
  return norm360(quarter + (weights > 0 ? sum / weights : 0));
}

/**
 * DetectDocumentText's Blocks → the engine-neutral result: one OcrLine per LINE block with its
 * WORD children, boxes in pixels of a width × height image. Anything not shaped like Textract's
 * answer is INOCR009.
 */
export function blocksToOcrResult(blocks: unknown, width: number, height: number): OcrResult {
  if (!Array.isArray(blocks)) throw bad('no Blocks list');
  const byId = new Map<string, Block>();
  for (const b of blocks as unknown[]) {
    if (typeof b !== 'object' || b === null || typeof (b as Block).BlockType !== 'string') throw bad('a block without a BlockType');
    const id = (b as Block).Id;
    if (typeof id === 'string') byId.set(id, b as Block);
  }
  const lines: OcrLine[] = [];
  let confSum = 0;
  let wordCount = 0;
  for (const b of blocks as Block[]) {
    if (b.BlockType !== 'LINE') continue;
    if (typeof b.Text !== 'string') throw bad('a LINE block without Text');
    const childIds = (b.Relationships ?? []).filter((r) => r.Type === 'CHILD').flatMap((r) => r.Ids ?? []);
    const words: OcrWord[] = [];
    for (const id of childIds) {
      const w = byId.get(id);
      if (!w) throw bad('a LINE refers to a block that is not in the response');
      if (w.BlockType !== 'WORD' || typeof w.Text !== 'string' || w.Text.trim() === '') continue;
      words.push({ text: w.Text, confidence: isNum(w.Confidence) ? w.Confidence : 0, ...geometryOf(w, width, height) });
    }
    const geometry = geometryOf(b, width, height);
    const confidence = isNum(b.Confidence) ? b.Confidence : 0;
    // A LINE without WORD children (not seen from Textract, but allowed by its schema): one word.
    if (words.length === 0 && b.Text.trim() !== '') words.push({ text: b.Text.trim(), confidence, ...geometry });
    if (words.length === 0) continue;
    for (const w of words) {
      confSum += w.confidence;
      wordCount++;
    }
    lines.push({ text: b.Text, confidence, ...geometry, words });
  }
  return {
    text: lines.map((l) => l.text).join('\n'),
    lines,
    width,
    height,
    confidence: wordCount > 0 ? confSum / wordCount : 0,
    textAngle: textAngle(lines),
  };
}

export class TextractEngine implements OcrEngine {
  readonly name = 'textract';
  readonly profile = 'cloud';
  private readonly client: TextractClient;
  private readonly inFlight: LimitFunction;
  private calls = 0;
  private billed = 0;
  private requests = 0;
  private closed = false;
  /** Calls under way: close() lets them finish rather than cutting their sockets (which the SDK would retry). */
  private readonly pending = new Set<Promise<unknown>>();

  private constructor(client: TextractClient, concurrency: number, limiter: IntervalLimiter) {
    this.client = client;
    this.inFlight = pLimit(Math.max(1, Math.floor(concurrency)));
    // Every HTTP attempt (the SDK's retries included) takes a slot: the TPS quota counts them all.
    // Before signing, so a request that waited is signed when it leaves.
    const throttle: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
      await limiter.take();
      this.requests++;
      return next(args);
    };
    client.middlewareStack.addRelativeTo(
      throttle,
      { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'ineOcrRateLimit', override: true },
    );
  }

  /**
   * Builds the client and checks, before any card is read, that a region and credentials can be
   * found (RunError otherwise). Credentials are only resolved here, not validated: a key AWS
   * does not know is found on the first call (and stops the run then).
   */
  static async create(options: TextractEngineOptions = {}): Promise<TextractEngine> {
    const envAttempts = Number(process.env['AWS_MAX_ATTEMPTS']);
    const maxAttempts = options.maxAttempts ?? (Number.isInteger(envAttempts) && envAttempts > 0 ? envAttempts : DEFAULT_MAX_ATTEMPTS);
    const client = new TextractClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      maxAttempts,
      retryMode: 'standard',
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        // Without this the SDK only logs a warning when requestTimeout passes.
        throwOnRequestTimeout: true,
      },
    });
    try {
      await client.config.region();
    } catch (err) {
      client.destroy();
      throw new RunError('No AWS region is set for Textract: set AWS_REGION, a region in your AWS profile, or --textract-region.', { cause: err });
    }
    try {
      await client.config.credentials();
    } catch (err) {
      client.destroy();
      throw new RunError(`No AWS credentials were found for Textract (${(err as Error).message}). ${CREDENTIAL_HELP}`, { cause: err });
    }
    return new TextractEngine(client, options.concurrency ?? 1, new IntervalLimiter(options.tps ?? DEFAULT_TEXTRACT_TPS));
  }

  /** layout and charset are ignored: Textract reads the whole page and cannot be restricted. */
  async recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult> {
    if (this.closed) throw new InocrError('INOCR007', 'The Textract engine is closed');
    const call = this.call(image, options);
    this.pending.add(call);
    void call.catch(() => undefined).finally(() => this.pending.delete(call));
    return call;
  }

  private async call(image: Buffer, options: RecognizeOptions): Promise<OcrResult> {
    const prepared = await prepareForTextract(image);
    return this.inFlight(async () => {
      this.calls++;
      let blocks: unknown;
      try {
        const out = await this.client.send(new DetectDocumentTextCommand({ Document: { Bytes: prepared.bytes } }), options.signal ? { abortSignal: options.signal } : {});
        blocks = out.Blocks;
      } catch (err) {
        throw classifyTextractError(err);
      }
      this.billed++;
      return blocksToOcrResult(blocks, prepared.width, prepared.height);
    });
  }

  usage(): EngineUsage {
    return { calls: this.calls, billed: this.billed, requests: this.requests };
  }

  /** No new call is accepted; calls already made finish (a batch stopping on a RunError may still have a side in flight). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    this.client.destroy();
  }
}
