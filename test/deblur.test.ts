/**
 * Motion blur estimated blind and undone (src/image/deblur.ts), on a sample card smeared with
 * the generator's own straight blur at a known direction and length.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { deconvolve, estimateMotionBlur } from '../src/image/deblur.ts';
import type { Raster } from '../src/pipeline/image.ts';
import { motionBlur } from '../src/synth/texture.ts';

const WIDTH = 1000;

async function sample(): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data, info } = await sharp('samples/card-01_front.jpg').resize({ width: WIDTH }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

const grey = ({ rgb, width, height }: { rgb: Buffer; width: number; height: number }): Raster => {
  const data = Buffer.alloc(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((rgb[3 * i]! + rgb[3 * i + 1]! + rgb[3 * i + 2]!) / 3);
  return { data, width, height };
};

/** Mean absolute difference, away from the border. */
const distance = (a: Raster, b: Raster): number => {
  let sum = 0;
  let n = 0;
  for (let y = 20; y < a.height - 20; y++) for (let x = 20; x < a.width - 20; x++) (sum += Math.abs(a.data[y * a.width + x]! - b.data[y * a.width + x]!)), n++;
  return sum / n;
};

/** Smallest angle between two directions (a blur has no sense), degrees. */
const apart = (a: number, b: number): number => {
  const d = Math.abs(((a - b) * 180) / Math.PI) % 180;
  return Math.min(d, 180 - d);
};

describe('motion blur', () => {
  it.each([
    [30, 10],
    [100, 8],
    [160, 13],
  ])('a %i° smear of %i px: its direction and length found, and undoing it brings the card back', async (deg, length) => {
    const card = await sample();
    const sharpCard = grey(card);
    const smeared = Buffer.from(card.rgb);
    motionBlur(smeared, card.width, card.height, length, (deg * Math.PI) / 180);
    const blurred = grey({ ...card, rgb: smeared });
    const est = estimateMotionBlur(blurred);
    expect(est.anisotropy).toBeLessThan(0.45);
    expect(apart(est.angle, (deg * Math.PI) / 180)).toBeLessThan(12);
    expect(est.length).toBeGreaterThanOrEqual(length - 2);
    expect(est.length).toBeLessThanOrEqual(length + 5);
    const undone = await deconvolve(blurred, (deg * Math.PI) / 180, length);
    expect(distance(undone, sharpCard)).toBeLessThan(0.75 * distance(blurred, sharpCard));
  });

  it('a sharp card shows no directional blur', async () => {
    expect(estimateMotionBlur(grey(await sample())).anisotropy).toBeGreaterThan(0.45);
  });
});
