/**
 * Where a point of the upright image a side was read from lies in the image the user gave:
 * undo the quarter turn that made the side upright (and the tilt levelled with it), the
 * perspective warp that straightened the card (when its outline was found), and the decode's
 * scaling. The record's `faceRegion` and `fieldBoxes` are in those input pixels (EXIF
 * orientation applied).
 */
import type { BBox } from '../engines/types.ts';
import { turnedSize, turnPoint } from '../pipeline/cloud.ts';
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
  /**
   * When the text still ran off level after the quarter turn (a photo's tilt, a card outline
   * found askew): the working image was turned clockwise by `rotation + degrees` about its
   * centre in one, onto a canvas `width` × `height` (the upright image's size).
   */
  readonly level?: { readonly degrees: number; readonly width: number; readonly height: number };
}

/** A point of an image turned clockwise by `degrees` about its centre (from w × h onto W × H), back in the image before the turn. */
function unturnAnyAngle({ x, y }: Point, degrees: number, w: number, h: number, W: number, H: number): Point {
  // Turned back about the centre; that turn grows its canvas again, so the centres are matched.
  const [bx, by] = turnPoint(x, y, -degrees, W, H);
  const back = turnedSize(W, H, -degrees);
  return { x: bx - back.width / 2 + w / 2, y: by - back.height / 2 + h / 2 };
}

/** Points of the upright image, in input-image pixels. */
export async function toInputPoints(points: readonly Point[], g: SideGeometry): Promise<Point[]> {
  // Undo the turn: sharp turns clockwise; (W, H) is the size before turning.
  const w = g.warp ? g.warp.flatWidth : g.width;
  const h = g.warp ? Math.round(g.warp.flatWidth / CARD_ASPECT) : g.height;
  const level = g.level;
  const unturned = points.map(({ x, y }): Point => {
    if (level) return unturnAnyAngle({ x, y }, g.rotation + level.degrees, w, h, level.width, level.height);
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
