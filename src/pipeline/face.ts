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
import type { Rotation } from './image.ts';
import { CARD_ASPECT, unwarpPoints, warpRgb, type Point, type Quad } from './locate.ts';

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

/** How the upright image the OCR read relates to the image the user gave. */
export interface FrontGeometry {
  /** Clockwise rotation applied to the working raster before reading. */
  readonly rotation: Rotation;
  /** Size of the working raster before that rotation. */
  readonly width: number;
  readonly height: number;
  /** When the card was straightened: the card's corners in the working raster, and the flat width. */
  readonly warp?: { readonly quad: Quad; readonly flatWidth: number };
  /** Working raster px per input px (decode scaling). */
  readonly scale: number;
}

/** Corners TL, TR, BR, BL of a box in the upright image, in input-image pixels. */
export async function toInputCorners(box: BBox, g: FrontGeometry): Promise<Point[]> {
  const upright: Point[] = [
    { x: box.x0, y: box.y0 },
    { x: box.x1, y: box.y0 },
    { x: box.x1, y: box.y1 },
    { x: box.x0, y: box.y1 },
  ];
  // Undo the rotation: sharp rotates clockwise; (W, H) is the size before rotating.
  const flatW = g.warp ? g.warp.flatWidth : g.width;
  const flatH = g.warp ? Math.round(g.warp.flatWidth / CARD_ASPECT) : g.height;
  const unrotated = upright.map(({ x, y }): Point => {
    switch (g.rotation) {
      case 90:
        return { x: y, y: flatH - 1 - x };
      case 180:
        return { x: flatW - 1 - x, y: flatH - 1 - y };
      case 270:
        return { x: flatW - 1 - y, y: x };
      default:
        return { x, y };
    }
  });
  const inRaster = g.warp ? await unwarpPoints(g.warp.quad, g.warp.flatWidth, unrotated) : unrotated;
  return inRaster.map((p) => ({ x: Math.round(p.x / g.scale), y: Math.round(p.y / g.scale) }));
}

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
