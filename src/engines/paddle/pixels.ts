/**
 * Pixels in and tensors out: the image decoded to RGB, line crops warped upright from it
 * (OpenCV.js), and the normalised tensors the three models take, in PaddleOCR's channel order.
 * PaddleOCR reads images with cv2 (BGR) and normalises them as they are, so the models were
 * trained on B, G, R planes (tools/infer/predict_det.py, predict_rec.py, predict_cls.py).
 */
import sharp from 'sharp';
import { InocrError } from '../../errors.ts';
import { loadOpenCv } from '../../image/opencv.ts';
import type { Quad } from './geometry.ts';

/** 8-bit RGB, interleaved, row-major. */
export interface Rgb {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

interface Mat {
  data: Uint8Array;
  delete(): void;
}
interface Cv {
  Mat: new () => Mat;
  Size: new (w: number, h: number) => unknown;
  CV_8UC3: number;
  CV_32FC2: number;
  INTER_LINEAR: number;
  INTER_CUBIC: number;
  BORDER_REPLICATE: number;
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): Mat;
  resize(src: Mat, dst: Mat, size: unknown, fx: number, fy: number, interpolation: number): void;
  getPerspectiveTransform(src: Mat, dst: Mat): Mat;
  warpPerspective(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number): void;
}

const cvReady = (): Promise<{ cv: Cv }> => loadOpenCv<Cv>();

/** An encoded PNG/JPEG → RGB (grey images get three equal channels; alpha on white). */
export async function decodeRgb(image: Buffer): Promise<Rgb> {
  try {
    const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw new InocrError('INOCR015', `The image given to the paddle engine could not be decoded: ${(err as Error).message}`, { cause: err });
  }
}

/** Resized with bilinear interpolation, as cv2.resize does in PaddleOCR's preprocessing. */
export async function resizeRgb(img: Rgb, width: number, height: number): Promise<Rgb> {
  if (img.width === width && img.height === height) return img;
  const { cv } = await cvReady();
  const src = cv.matFromArray(img.height, img.width, cv.CV_8UC3, img.data);
  const dst = new cv.Mat();
  try {
    cv.resize(src, dst, new cv.Size(width, height), 0, 0, cv.INTER_LINEAR);
    return { data: Uint8Array.from(dst.data), width, height };
  } finally {
    src.delete();
    dst.delete();
  }
}

/**
 * The quads of an image warped upright, each to `size` (its text frame: q0 → top-left), as
 * PaddleOCR's get_rotate_crop_image: perspective transform, cubic, edges replicated.
 */
export async function warpCrops(img: Rgb, crops: readonly { quad: Quad; width: number; height: number }[]): Promise<Rgb[]> {
  if (crops.length === 0) return [];
  const { cv } = await cvReady();
  const src = cv.matFromArray(img.height, img.width, cv.CV_8UC3, img.data);
  try {
    return crops.map(({ quad, width, height }) => {
      const from = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
      const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, width, 0, width, height, 0, height]);
      const m = cv.getPerspectiveTransform(from, to);
      const dst = new cv.Mat();
      try {
        cv.warpPerspective(src, dst, m, new cv.Size(width, height), cv.INTER_CUBIC, cv.BORDER_REPLICATE);
        return { data: Uint8Array.from(dst.data), width, height };
      } finally {
        for (const x of [from, to, m, dst]) x.delete();
      }
    });
  } finally {
    src.delete();
  }
}

/** Turned half a turn (the classifier found the line upside down). */
export function rotate180(img: Rgb): Rgb {
  const n = img.width * img.height;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    out[3 * j] = img.data[3 * i]!;
    out[3 * j + 1] = img.data[3 * i + 1]!;
    out[3 * j + 2] = img.data[3 * i + 2]!;
  }
  return { data: out, width: img.width, height: img.height };
}

/** ImageNet statistics, applied by PaddleOCR to the B, G, R planes in this order. */
const DET_MEAN = [0.485, 0.456, 0.406] as const;
const DET_STD = [0.229, 0.224, 0.225] as const;

/** The detector's input: NCHW, B G R planes, (v/255 − mean) / std. */
export function detTensor(img: Rgb): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const src = 2 - c;
    const mean = DET_MEAN[c]!;
    const std = DET_STD[c]!;
    for (let i = 0; i < n; i++) out[c * n + i] = (img.data[3 * i + src]! / 255 - mean) / std;
  }
  return out;
}

/**
 * Line images for the classifier or recogniser: each resized to `height` keeping its aspect
 * ratio (at most `width` wide), (v/255 − 0.5) / 0.5, B G R planes, zero-padded on the right to
 * `width` (PaddleOCR's resize_norm_img). NCHW, one image after another.
 */
export async function lineTensor(crops: readonly Rgb[], height: number, width: number): Promise<{ data: Float32Array; widths: number[] }> {
  const plane = height * width;
  const out = new Float32Array(crops.length * 3 * plane);
  const widths: number[] = [];
  for (let b = 0; b < crops.length; b++) {
    const crop = crops[b]!;
    const w = Math.max(1, Math.min(width, Math.ceil((height * crop.width) / crop.height)));
    widths.push(w);
    const r = await resizeRgb(crop, w, height);
    const base = b * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const src = 2 - c;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < w; x++) out[base + c * plane + y * width + x] = r.data[3 * (y * w + x) + src]! / 127.5 - 1;
      }
    }
  }
  return { data: out, widths };
}
