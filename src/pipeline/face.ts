/**
 * The card photo (the seed's `face_region`): where it is on the upright card, anchored on the
 * text it sits beside, and where that is in the image the user gave.
 *
 * On every INE model since E the photo is the left column of the front, its top level with
 * the NOMBRE block and the text column starting just right of it. So the photo's right edge
 * is found from the left edge of the name and address blocks as read, its top from the
 * NOMBRE label; its size follows from the photo's portrait proportions. Only when no block
 * was read does the layout prior alone place it. No face detection is attempted: the region
 * is the printed photo, whatever it shows.
 */
import sharp from 'sharp';
import type { BBox } from '../engines/types.ts';
import type { FrontReading } from '../extract/front.ts';
import { warpRgb, type Point } from './locate.ts';

/** Printed photo proportions (height / width), ~25 × 31 mm on the card. */
const PHOTO_ASPECT = 1.25;

/** Layout prior, as shares of the card: used only where the text does not say. */
const PRIOR = { left: 0.03, right: 0.28, top: 0.2 } as const;

/**
 * The photo's box in the upright front image the reading came from (`width` × `height`).
 * Returns undefined when the front's text gives nothing to anchor on and the image is not
 * card-shaped (then the prior would be a guess about an unknown image).
 */
export function faceBox(reading: FrontReading, width: number, height: number): BBox | undefined {
  const blocks = [reading.zones.name, reading.zones.address].filter((b): b is BBox => b !== undefined);
  const aspect = width / height;
  if (blocks.length === 0 && (aspect < 1.35 || aspect > 1.85)) return undefined;
  const textLeft = blocks.length > 0 ? Math.min(...blocks.map((b) => b.x0)) : PRIOR.right * width + 0.025 * width;
  const right = textLeft - 0.02 * width;
  const left = Math.max(0, Math.min(PRIOR.left * width, right - 0.15 * width));
  const w = right - left;
  if (w < 0.1 * width) return undefined;
  const top = reading.zones.name ? Math.max(0, reading.zones.name.y0 - 0.03 * height) : PRIOR.top * height;
  const bottom = Math.min(height, top + PHOTO_ASPECT * w);
  return { x0: left, y0: top, x1: right, y1: bottom };
}

/** How the upright image the OCR read relates to the image the user gave (src/reading/geometry.ts). */
export type { SideGeometry as FrontGeometry } from '../reading/geometry.ts';
export { toInputCorners } from '../reading/geometry.ts';

/** `x,y x,y x,y x,y`, as the record carries it. */
export function formatRegion(points: readonly Point[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

/** Cuts the photo out of the input image (colour, upright, JPEG). */
export async function cropFace(input: Buffer, corners: readonly Point[]): Promise<Buffer> {
  const { data, info } = await sharp(input).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const [tl, tr, br, bl] = corners as [Point, Point, Point, Point];
  const w = Math.max(8, Math.round((Math.hypot(tr.x - tl.x, tr.y - tl.y) + Math.hypot(br.x - bl.x, br.y - bl.y)) / 2));
  const h = Math.max(8, Math.round((Math.hypot(bl.x - tl.x, bl.y - tl.y) + Math.hypot(br.x - tr.x, br.y - tr.y)) / 2));
  const rgb = await warpRgb({ data, width: info.width, height: info.height }, [tl, tr, br, bl], w, h);
  return sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}
