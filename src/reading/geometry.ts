/**
 * Where a point of the upright image a side was read from lies in the image the user gave:
 * undo the quarter turn that made the side upright, the perspective warp that straightened the
 * card (when its outline was found), and the decode's scaling. The record's `faceRegion` and
 * `fieldBoxes` are in those input pixels (EXIF orientation applied).
 */
import type { BBox } from '../engines/types.ts';
import type { Rotation } from '../pipeline/image.ts';
import { CARD_ASPECT, unwarpPoints, type Point, type Quad } from '../pipeline/locate.ts';
import type { FieldBox, Pixel } from '../record.ts';

/** How the upright image a side was read from relates to the image the user gave. */
export interface SideGeometry {
  /** Clockwise quarter turn applied to the working image (the flat card, or the decoded raster) before reading. */
  readonly rotation: Rotation;
  /** Size of the working image before that turn. */
  readonly width: number;
  readonly height: number;
  /** When the card was straightened: its corners in the decoded raster, and the flat width. */
  readonly warp?: { readonly quad: Quad; readonly flatWidth: number };
  /** Decoded raster px per input px. */
  readonly scale: number;
}

/** Points of the upright image, in input-image pixels. */
export async function toInputPoints(points: readonly Point[], g: SideGeometry): Promise<Point[]> {
  // Undo the turn: sharp turns clockwise; (W, H) is the size before turning.
  const w = g.warp ? g.warp.flatWidth : g.width;
  const h = g.warp ? Math.round(g.warp.flatWidth / CARD_ASPECT) : g.height;
  const unturned = points.map(({ x, y }): Point => {
    switch (g.rotation) {
      case 90:
        return { x: y, y: h - 1 - x };
      case 180:
        return { x: w - 1 - x, y: h - 1 - y };
      case 270:
        return { x: w - 1 - y, y: x };
      default:
        return { x, y };
    }
  });
  const inRaster = g.warp ? await unwarpPoints(g.warp.quad, g.warp.flatWidth, unturned) : unturned;
  return inRaster.map((p) => ({ x: Math.round(p.x / g.scale), y: Math.round(p.y / g.scale) }));
}

/** Corners TL, TR, BR, BL of a box in the upright image, in input-image pixels. */
export async function toInputCorners(box: BBox, g: SideGeometry): Promise<Point[]> {
  return toInputPoints(
    [
      { x: box.x0, y: box.y0 },
      { x: box.x1, y: box.y0 },
      { x: box.x1, y: box.y1 },
      { x: box.x0, y: box.y1 },
    ],
    g,
  );
}

/** A box of the upright image as a record's quad in input pixels. */
export async function toInputQuad(box: BBox, g: SideGeometry): Promise<FieldBox['quad']> {
  const [a, b, c, d] = (await toInputCorners(box, g)).map((p): Pixel => [p.x, p.y]);
  return [a!, b!, c!, d!];
}
