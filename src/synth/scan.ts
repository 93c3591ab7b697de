/**
 * A flatbed scan of a card: the card on a white/grey platen with a small margin, at most a
 * slight skew, soft and slightly noisy, saved as PNG or JPEG with its resolution recorded.
 */
import sharp from 'sharp';
import type { Rng } from './rng.ts';
import type { Captured, CaptureOptions } from './captured.ts';
import { clamp255 } from './texture.ts';

/** Scanners record their resolution; the card is 85.6 mm wide, so dpi follows from its pixel width. */
export async function scanDpi(png: Buffer): Promise<number> {
  const { width = 1012, height = 638 } = await sharp(png).metadata();
  const cardPx = Math.max(width, height) * 0.95;
  return Math.round(((cardPx / 85.6) * 25.4) / 10) * 10;
}

export async function encodeScan(png: Buffer, rng: Rng, opts: CaptureOptions): Promise<Captured> {
  const density = await scanDpi(png);
  if (!opts.forceJpeg && rng.chance(0.5)) {
    return { data: await sharp(png).withMetadata({ density }).png({ compressionLevel: 9 }).toBuffer(), ext: 'png' };
  }
  // forceJpeg is for small files (checked-in samples): a slightly lower, still clean quality.
  const quality = opts.forceJpeg ? rng.int(80, 86) : rng.int(86, 95);
  return { data: await sharp(png).withMetadata({ density }).jpeg({ quality }).toBuffer(), ext: 'jpg' };
}

/**
 * Flatbed scan: the card on a white/grey platen, a small margin, at most a slight skew,
 * resized to `width` px. Returns a PNG (lossless intermediate).
 */
export async function scan(png: Buffer, rng: Rng, width: number): Promise<Buffer> {
  const grey = rng.int(222, 255);
  const bg = { r: grey, g: grey, b: Math.min(255, grey + rng.int(-3, 3)), alpha: 1 };
  let img = png;
  if (rng.chance(0.4)) {
    img = await sharp(img).rotate(rng.float(-1.2, 1.2), { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
  }
  const m = (): number => rng.int(8, 45);
  // Two passes: sharp would otherwise flatten before extending and leave the margin transparent.
  const extended = await sharp(img)
    .extend({ top: m(), bottom: m(), left: m(), right: m(), background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const framed = await sharp(extended).flatten({ background: bg }).png().toBuffer();
  // Scanner sensors are slightly soft and noisy.
  const resized = await sharp(framed).resize({ width, kernel: 'lanczos3' }).blur(rng.float(0.35, 0.6)).raw().toBuffer({ resolveWithObject: true });
  const { data, info } = resized;
  const amp = rng.float(1, 3);
  for (let i = 0; i < data.length; i += info.channels) {
    const n = (rng.next() + rng.next() - 1) * amp * 2;
    for (let c = 0; c < 3; c++) data[i + c] = clamp255((data[i + c] ?? 0) + n);
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
}
