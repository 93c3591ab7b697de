/**
 * Pixels in and tensors out: the image decoded to RGB, line crops warped upright from it
 * (raster.ts: cv2's warp and resize, without OpenCV), and the normalised tensors the three
 * models take, in PaddleOCR's channel order. PaddleOCR reads images with cv2 (BGR) and
 * normalises them as they are, so the models were trained on B, G, R planes
 * (tools/infer/predict_det.py, predict_rec.py, predict_cls.py).
 */
import sharp from 'sharp';
import { InocrError } from '../../errors.ts';
import type { GreyImage } from '../types.ts';
import type { Quad } from './geometry.ts';
import { rectToQuad, resizeRgb, warp, type Rgb } from './raster.ts';

export { resizeRgb, type Rgb };

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

/** Grey pixels as the three equal channels the models take. */
export function greyToRgb(image: GreyImage): Rgb {
  const n = image.width * image.height;
  if (image.data.length < n) throw new InocrError('INOCR015', `The image given to the paddle engine has ${image.data.length} bytes for ${image.width}×${image.height} pixels`);
  const data = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const g = image.data[i]!;
    data[3 * i] = g;
    data[3 * i + 1] = g;
    data[3 * i + 2] = g;
  }
  return { data, width: image.width, height: image.height };
}

/**
 * The quads of an image warped upright, each to `size` (its text frame: q0 → top-left), as
 * PaddleOCR's get_rotate_crop_image: perspective transform, cubic, edges replicated.
 */
export function warpCrops(img: Rgb, crops: readonly { quad: Quad; width: number; height: number }[]): Rgb[] {
  return crops.map(({ quad, width, height }) => warp(img, rectToQuad(quad, width, height), width, height));
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
export function lineTensor(crops: readonly Rgb[], height: number, width: number): { data: Float32Array; widths: number[] } {
  const plane = height * width;
  const out = new Float32Array(crops.length * 3 * plane);
  const widths: number[] = [];
  for (let b = 0; b < crops.length; b++) {
    const crop = crops[b]!;
    const w = Math.max(1, Math.min(width, Math.ceil((height * crop.width) / crop.height)));
    widths.push(w);
    const r = resizeRgb(crop, w, height);
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
