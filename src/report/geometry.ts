/**
 * Where to cut a field's crop, and where to draw its box on a thumbnail: pure arithmetic on
 * the record's quads (corners TL, TR, BR, BL of the upright text, in the input image's pixels
 * with EXIF orientation applied — the convention of `fieldBoxes` and `faceRegion`).
 */
import type { FieldBox, Pixel } from '../record.ts';

export type Quad = FieldBox['quad'];

/** An axis-aligned pixel rectangle, whole pixels. */
export interface Region {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** How a crop is cut: the padded quad, the image region around it, and the output size. */
export interface CropPlan {
  /** The quad grown by the margins, in input pixels (may reach outside the image). */
  readonly quad: Quad;
  /** The part of the image that holds it (clamped to the image). */
  readonly region: Region;
  /** Output size: the text upright, scaled so it is at most TEXT_HEIGHT tall. */
  readonly width: number;
  readonly height: number;
}

/**
 * Crop sizing: text at most 40 px tall is easy to read beside its value and keeps a JPEG crop
 * to a few KB; margins of a third of the text height show what surrounds it (a cut-off digit,
 * a smudge); a crop is never wider than MAX_WIDTH (a whole MRZ line fits).
 */
export const CROP = { textHeight: 40, marginX: 0.5, marginY: 0.35, maxWidth: 960, minSide: 8 } as const;

const dist = (a: Pixel, b: Pixel): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Mean length of the top/bottom sides and of the left/right sides. */
export function quadSize(q: Quad): { width: number; height: number } {
  const [tl, tr, br, bl] = q;
  return { width: (dist(tl, tr) + dist(bl, br)) / 2, height: (dist(tl, bl) + dist(tr, br)) / 2 };
}

/** The quad grown outward by `mx` px along its text direction and `my` px across it. */
export function growQuad(q: Quad, mx: number, my: number): Quad {
  const [tl, tr, br, bl] = q;
  const unit = (a: Pixel, b: Pixel): Pixel => {
    const d = dist(a, b) || 1;
    return [(b[0] - a[0]) / d, (b[1] - a[1]) / d];
  };
  const along = unit(tl, tr);
  const down = unit(tl, bl);
  const move = (p: Pixel, sx: number, sy: number): Pixel => [
    p[0] + sx * mx * along[0] + sy * my * down[0],
    p[1] + sx * mx * along[1] + sy * my * down[1],
  ];
  return [move(tl, -1, -1), move(tr, 1, -1), move(br, 1, 1), move(bl, -1, 1)];
}

/** The whole-pixel rectangle around the points, clamped to a `width`×`height` image; undefined when outside it. */
export function boundingRegion(points: readonly Pixel[], width: number, height: number): Region | undefined {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const left = Math.max(0, Math.floor(Math.min(...xs)));
  const top = Math.max(0, Math.floor(Math.min(...ys)));
  const right = Math.min(width, Math.ceil(Math.max(...xs)) + 1);
  const bottom = Math.min(height, Math.ceil(Math.max(...ys)) + 1);
  if (right - left < 1 || bottom - top < 1) return undefined;
  return { left, top, width: right - left, height: bottom - top };
}

/** How to cut the crop of `q` from a `width`×`height` image; undefined when the box is degenerate or off the image. */
export function planCrop(q: Quad, width: number, height: number): CropPlan | undefined {
  const size = quadSize(q);
  if (!(size.width >= 2 && size.height >= 2)) return undefined;
  const mx = CROP.marginX * size.height;
  const my = CROP.marginY * size.height;
  const grown = growQuad(q, mx, my);
  const region = boundingRegion(grown, width, height);
  if (!region) return undefined;
  const scale = Math.min(1, CROP.textHeight / size.height, CROP.maxWidth / (size.width + 2 * mx));
  return {
    quad: grown,
    region,
    width: Math.max(CROP.minSide, Math.round((size.width + 2 * mx) * scale)),
    height: Math.max(CROP.minSide, Math.round((size.height + 2 * my) * scale)),
  };
}

/** The quad moved into `region`'s coordinates. */
export function quadIn(q: Quad, region: Region): Quad {
  const at = (p: Pixel): Pixel => [p[0] - region.left, p[1] - region.top];
  return [at(q[0]), at(q[1]), at(q[2]), at(q[3])];
}

/** The quad scaled by `k` (input pixels → thumbnail pixels), whole pixels: a box drawn on a thumbnail needs no more. */
export function scaleQuad(q: Quad, k: number): number[] {
  return q.flatMap(([x, y]) => [Math.round(x * k), Math.round(y * k)]);
}

/** Two quads with the same corners (to the pixel) are one crop. */
export function quadKey(side: string, q: Quad): string {
  return `${side}:${q.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).join(' ')}`;
}

/** The `faceRegion` column (`x,y x,y x,y x,y`) as a quad; undefined when empty or malformed. */
export function parseRegion(cell: string): Quad | undefined {
  const points = cell.trim().split(/\s+/).map((p) => p.split(',').map(Number));
  if (points.length !== 4 || !points.every((p) => p.length === 2 && p.every(Number.isFinite))) return undefined;
  const [a, b, c, d] = points as [[number, number], [number, number], [number, number], [number, number]];
  return [a, b, c, d];
}
