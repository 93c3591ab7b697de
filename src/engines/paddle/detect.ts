/**
 * Text detection (PP-OCRv4 DB): the image resized so its long side is at most `limitSideLen`
 * and both sides are multiples of 32 (PaddleOCR's DetResizeForTest, limit_type "max"), the
 * probability map, and its boxes in the image's own pixels.
 */
import { dbBoxes, type DbParams, type DetBox, type ProbMap } from './db-postprocess.ts';
import { detTensor, resizeRgb, type Rgb } from './pixels.ts';
import type { Model } from './sessions.ts';

/** The detector's input size for an image: long side ≤ limit, multiples of 32 (never below 32). */
export function detInputSize(width: number, height: number, limitSideLen: number): { width: number; height: number } {
  const ratio = Math.max(width, height) > limitSideLen ? limitSideLen / Math.max(width, height) : 1;
  const snap = (v: number): number => Math.max(32, Math.round((v * ratio) / 32) * 32);
  return { width: snap(width), height: snap(height) };
}

/** The detector's probability map for an image (at the detector's input size). */
export async function detMap(model: Model, img: Rgb, limitSideLen: number): Promise<ProbMap> {
  const size = detInputSize(img.width, img.height, limitSideLen);
  const small = resizeRgb(img, size.width, size.height);
  const out = await model.run(detTensor(small), [1, 3, size.height, size.width]);
  return { data: out.data, width: out.dims[3] ?? size.width, height: out.dims[2] ?? size.height };
}

export async function detect(model: Model, img: Rgb, limitSideLen: number, params: DbParams): Promise<DetBox[]> {
  const map = await detMap(model, img, limitSideLen);
  return dbBoxes(map, img, params);
}
