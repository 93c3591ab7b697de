/**
 * From the DB detector's probability map to text boxes, as PaddleOCR's DBPostProcess does it
 * (ppocr/postprocess/db_postprocess.py, score_mode "fast", box_type "quad"): binarise the map,
 * take the text regions and the minimum-area rectangle of each (regions.ts, in place of
 * cv2.findContours and cv2.minAreaRect), keep it when the mean probability inside is high
 * enough, grow it back to the text's size (unclip: DB is trained on text regions shrunk by the
 * same offset), and scale it to the image.
 */
import type { OcrPoint } from '../types.ts';
import { orderClockwise, quadSize, rectCorners, type Quad } from './geometry.ts';
import { convexHull, minAreaRect, regions, type RotatedRect } from './regions.ts';

export interface DbParams {
  /** A map pixel is text above this probability (PaddleOCR det_db_thresh). */
  readonly thresh: number;
  /** A region is kept when its mean probability reaches this (det_db_box_thresh). */
  readonly boxThresh: number;
  /** How much a region grows back (det_db_unclip_ratio). */
  readonly unclipRatio: number;
  /** At most this many regions are looked at, the first in a raster scan (PaddleOCR max_candidates). */
  readonly maxCandidates: number;
  /** Regions with a shorter side than this (map px) are noise (PaddleOCR min_size). */
  readonly minSize: number;
}

export const DB_DEFAULTS: DbParams = { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5, maxCandidates: 1000, minSize: 3 };

/** A probability map, row-major, values 0–1. */
export interface ProbMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

export interface DetBox {
  /** Corners in the destination image's pixels: top-left, top-right, bottom-right, bottom-left. */
  readonly quad: Quad;
  /** Mean probability inside the region before unclipping. */
  readonly score: number;
}

/**
 * Text boxes of a probability map, in the pixels of a `dest` image the map was computed for
 * (the detector's input was that image resized): not yet in reading order.
 */
export function dbBoxes(map: ProbMap, dest: { width: number; height: number }, params: DbParams = DB_DEFAULTS): DetBox[] {
  if (map.data.length !== map.width * map.height) throw new RangeError(`probability map of ${map.data.length} values is not ${map.width}×${map.height}`);
  const bitmap = new Uint8Array(map.data.length);
  for (let i = 0; i < bitmap.length; i++) bitmap[i] = map.data[i]! > params.thresh ? 1 : 0;
  const out: DetBox[] = [];
  for (const points of regions(bitmap, map.width, map.height, params.maxCandidates)) {
    const box = regionBox(map, minAreaRect(convexHull(points)), dest, params);
    if (box) out.push(box);
  }
  return out;
}

/** One region's rectangle → its box in `dest`, or null when it is too small or too faint. */
function regionBox(map: ProbMap, rect: RotatedRect, dest: { width: number; height: number }, params: DbParams): DetBox | null {
  const { width: w, height: h } = rect;
  if (Math.min(w, h) < params.minSize) return null;
  const corners = rectCorners(rect.center.x, rect.center.y, w, h, rect.angle);
  const score = meanInside(map, corners);
  if (score < params.boxThresh) return null;
  // Unclip: PaddleOCR offsets the rectangle outwards by d = area × ratio / perimeter (Vatti
  // clipping, round joins) and takes the minimum-area rectangle of the result; for a rectangle
  // that is the same rectangle grown by d on every side.
  const d = (w * h * params.unclipRatio) / (2 * (w + h));
  const grown = { w: w + 2 * d, h: h + 2 * d };
  if (Math.min(grown.w, grown.h) < params.minSize + 2) return null;
  const sx = dest.width / map.width;
  const sy = dest.height / map.height;
  const clip = (v: number, hi: number): number => Math.min(hi, Math.max(0, v));
  const pts = rectCorners(rect.center.x, rect.center.y, grown.w, grown.h, rect.angle).map((p) => ({
    x: clip(p.x * sx, dest.width - 1),
    y: clip(p.y * sy, dest.height - 1),
  }));
  const quad = orderClockwise(pts);
  // PaddleOCR's filter_tag_det_res: boxes of 3 px or less across, once in the image, are dropped.
  const size = quadSize(quad);
  if (size.width <= 3 || size.height <= 3) return null;
  return { quad, score };
}

/**
 * Mean of the map over the pixels inside a convex polygon (PaddleOCR's box_score_fast, which
 * fills the polygon into a mask over its bounding rectangle and takes the masked mean).
 */
export function meanInside(map: ProbMap, poly: readonly OcrPoint[]): number {
  const xs = poly.map((p) => p.x);
  const ys = poly.map((p) => p.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(map.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(map.height - 1, Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideConvex(poly, x, y)) continue;
      sum += map.data[y * map.width + x]!;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/** Inside (or on the edge of) a convex polygon, whichever way round its corners go. */
function insideConvex(poly: readonly OcrPoint[], x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
    if (Math.abs(cross) < 1e-9) continue;
    const s = cross > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}
