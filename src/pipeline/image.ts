/**
 * Reading one side's image file, with the checks that give each bad input its INOCR code,
 * and the one decode into a greyscale raster that every later step works from.
 */
import type { Stats } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { fileTypeFromBuffer } from 'file-type';
import { InocrError, type InocrCode } from '../errors.ts';

export type Side = 'front' | 'back';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

// Parallelism is the product's (-j: cards at once, one OCR worker each). libvips' own thread
// pool per operation would oversubscribe the cores under -j N and blur what -j means.
sharp.concurrency(1);

/** Decoded images larger than this many pixels are refused (INOCR015): no card needs more. */
export const MAX_INPUT_PIXELS = 100_000_000;

export interface ImageInput {
  readonly side: Side;
  readonly bytes: Buffer;
  readonly format: 'jpeg' | 'png';
}

/** 8-bit single-channel pixels. */
export interface Raster {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

const MISSING: Record<Side, InocrCode> = { front: 'INOCR002', back: 'INOCR003' };

function sideName(side: Side): string {
  return side === 'front' ? 'front' : 'back';
}

/**
 * Reads and checks a file: exists, is a regular file, not empty, within the size limit, readable,
 * JPEG or PNG by content. Only a regular file is ever opened: a FIFO given as an image would
 * block the run until someone wrote to it.
 */
export async function readImageFile(file: string, side: Side, maxBytes = DEFAULT_MAX_BYTES): Promise<ImageInput> {
  let st: Stats;
  try {
    st = await stat(file);
  } catch (err) {
    throw fileError(err, side, file);
  }
  if (!st.isFile()) {
    throw new InocrError(MISSING[side], `The ${sideName(side)} image is ${notAFile(st)}, not an image file: ${file}`);
  }
  if (st.size === 0) throw new InocrError('INOCR008', `The ${sideName(side)} image file is empty (0 bytes): ${file}`);
  if (st.size > maxBytes) {
    throw new InocrError(
      'INOCR005',
      `The ${sideName(side)} image is ${formatMb(st.size)}, over the ${formatMb(maxBytes)} limit: ${file}`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw fileError(err, side, file);
  }
  return checkImageBytes(bytes, side, maxBytes, file);
}

/** What a path that is not a regular file is, in words. */
function notAFile(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * A file system error reading an image: missing (here or a folder on the way) is the side's
 * "image missing" code; anything else (no permission, an I/O error) is INOCR015 with the reason,
 * never INOCR001, which is kept for this program's own bugs.
 */
function fileError(err: unknown, side: Side, file: string): InocrError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new InocrError(MISSING[side], `The ${sideName(side)} image was not found: ${file}`, { cause: err });
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code || (err as Error).message;
  return new InocrError('INOCR015', `The ${sideName(side)} image cannot be read (${reason}): ${file}`, { cause: err });
}

/** The same checks on bytes already in memory (uploads, tests). */
export async function checkImageBytes(
  bytes: Buffer,
  side: Side,
  maxBytes = DEFAULT_MAX_BYTES,
  label = 'upload',
): Promise<ImageInput> {
  if (bytes.length === 0) throw new InocrError('INOCR008', `The ${sideName(side)} image is empty (0 bytes): ${label}`);
  if (bytes.length > maxBytes) {
    throw new InocrError('INOCR005', `The ${sideName(side)} image is ${formatMb(bytes.length)}, over the ${formatMb(maxBytes)} limit: ${label}`);
  }
  const type = await fileTypeFromBuffer(bytes);
  if (type?.mime !== 'image/jpeg' && type?.mime !== 'image/png') {
    const what = type ? `${type.ext.toUpperCase()} (${type.mime})` : 'not a recognised image';
    throw new InocrError(
      'INOCR014',
      `The ${sideName(side)} image is ${what}; only JPG/JPEG and PNG are supported (by content, not extension): ${label}`,
    );
  }
  return { side, bytes, format: type.mime === 'image/png' ? 'png' : 'jpeg' };
}

/** A decoded side: the working raster and how it relates to the image given. */
export interface DecodedRaster extends Raster {
  /** Working px per input px. */
  readonly scale: number;
  /** The input's size with EXIF orientation applied. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/**
 * Decodes once: EXIF orientation applied, greyscale, scaled so the long edge is near
 * `targetLongEdge` (never upscaled more than 2.5×). Truncated or corrupt data → INOCR015.
 */
export async function decodeToRaster(
  input: ImageInput,
  targetLongEdge = 2000,
  /** Keep the native size when it lies between this and targetLongEdge (no resampling). */
  minLongEdge = targetLongEdge,
): Promise<DecodedRaster> {
  try {
    const img = sharp(input.bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    const meta = await img.metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const w0 = (swap ? meta.height : meta.width) ?? 0;
    const h0 = (swap ? meta.width : meta.height) ?? 0;
    if (w0 < 50 || h0 < 50) throw new InocrError('INOCR015', `The ${sideName(input.side)} image is too small (${w0}×${h0} px) to read`);
    const long = Math.max(w0, h0);
    const scale = long > targetLongEdge ? targetLongEdge / long : long < minLongEdge ? Math.min(2.5, minLongEdge / long) : 1;
    const width = Math.max(1, Math.round(w0 * scale));
    const height = Math.max(1, Math.round(h0 * scale));
    const { data, info } = await img
      .resize(width, height, { kernel: scale > 1 ? 'cubic' : 'lanczos3' })
      .flatten({ background: '#ffffff' })
      .greyscale()
      // One channel whatever the source had (RGB, RGBA, grey+alpha): the raster is 8-bit grey.
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
    return { data, width: info.width, height: info.height, scale, sourceWidth: w0, sourceHeight: h0 };
  } catch (err) {
    if (err instanceof InocrError) throw err;
    throw new InocrError('INOCR015', `The ${sideName(input.side)} image could not be decoded: ${(err as Error).message}`, { cause: err });
  }
}

export type Rotation = 0 | 90 | 180 | 270;

const fromRaster = (r: Raster): sharp.Sharp => sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } });

/** libvips turns one-channel raw input into sRGB on some operations: come back to one channel. */
async function toRaster(img: sharp.Sharp): Promise<Raster> {
  const { data, info } = await img.toColourspace('b-w').extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export async function rotateRaster(r: Raster, deg: Rotation): Promise<Raster> {
  if (deg === 0) return r;
  return toRaster(fromRaster(r).rotate(deg));
}

/**
 * The raster turned clockwise by any angle about its centre, onto a canvas grown to hold it
 * (libvips keeps the centre at the centre); the corners it uncovers are white, as card is.
 */
export async function turnRaster(r: Raster, degrees: number): Promise<Raster> {
  if (degrees % 360 === 0) return r;
  return toRaster(fromRaster(r).rotate(degrees, { background: { r: 255, g: 255, b: 255 } }));
}

export interface CropBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export async function cropRaster(r: Raster, box: CropBox): Promise<Raster> {
  const left = clamp(Math.round(box.left), 0, r.width - 1);
  const top = clamp(Math.round(box.top), 0, r.height - 1);
  const width = clamp(Math.round(box.width), 1, r.width - left);
  const height = clamp(Math.round(box.height), 1, r.height - top);
  return toRaster(fromRaster(r).extract({ left, top, width, height }));
}

export interface EncodeOptions {
  /** Resize factor before encoding. */
  readonly scale?: number;
  /** Local contrast equalisation (CLAHE), for uneven light. */
  readonly clahe?: boolean;
  /** Global stretch of the histogram. */
  readonly normalise?: boolean;
  /** Binarise at this level (0–255). */
  readonly threshold?: number;
  readonly sharpen?: boolean;
}

/** The raster with the preprocessing asked for, or null when none is. */
function preprocessed(r: Raster, opts: EncodeOptions): sharp.Sharp | null {
  const scaled = opts.scale !== undefined && Math.abs(opts.scale - 1) > 0.01;
  if (!scaled && !opts.clahe && !opts.normalise && !opts.sharpen && opts.threshold === undefined) return null;
  let img = fromRaster(r);
  if (scaled) img = img.resize(Math.round(r.width * opts.scale!), Math.round(r.height * opts.scale!), { kernel: 'cubic' });
  if (opts.clahe) img = img.clahe({ width: 64, height: 64, maxSlope: 3 });
  if (opts.normalise) img = img.normalise();
  if (opts.sharpen) img = img.sharpen();
  if (opts.threshold !== undefined) img = img.threshold(opts.threshold);
  return img;
}

/** Raster → PNG bytes for the OCR engine, with the preprocessing asked for. */
export async function encodeForOcr(r: Raster, opts: EncodeOptions = {}): Promise<Buffer> {
  return (preprocessed(r, opts) ?? fromRaster(r)).toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer();
}

/**
 * The raster as grey pixels for an engine that reads pixels (OcrEngine.recognizePixels), with
 * the same preprocessing as encodeForOcr; the raster itself when there is none.
 */
export async function pixelsForOcr(r: Raster, opts: EncodeOptions = {}): Promise<Raster> {
  const img = preprocessed(r, opts);
  return img ? toRaster(img) : r;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Otsu's threshold (1979) over the raster's histogram: the level that best splits ink from paper. */
export function otsuThreshold(r: Raster): number {
  const hist = new Array<number>(256).fill(0);
  for (let i = 0; i < r.data.length; i++) hist[r.data[i]!]!++;
  const total = r.data.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * hist[t]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let level = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      level = t;
    }
  }
  return level;
}
