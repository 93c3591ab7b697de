/**
 * Quadrilaterals of text: the rotated rectangles the detector finds, their corners in a fixed
 * order, points inside them, and the reading order of many.
 */
import type { BBox, OcrPoint } from '../types.ts';

/** Four corners. Image frame: top-left, top-right, bottom-right, bottom-left. Text frame: from the text's own top-left, clockwise. */
export type Quad = readonly [OcrPoint, OcrPoint, OcrPoint, OcrPoint];

export const dist = (a: OcrPoint, b: OcrPoint): number => Math.hypot(a.x - b.x, a.y - b.y);

/** The corners of a rotated rectangle as OpenCV's RotatedRect::points computes them (angle in degrees). */
export function rectCorners(cx: number, cy: number, w: number, h: number, angleDeg: number): OcrPoint[] {
  const rad = (angleDeg * Math.PI) / 180;
  const b = Math.cos(rad) * 0.5;
  const a = Math.sin(rad) * 0.5;
  const p0 = { x: cx - a * h - b * w, y: cy + b * h - a * w };
  const p1 = { x: cx + a * h - b * w, y: cy - b * h - a * w };
  return [p0, p1, { x: 2 * cx - p0.x, y: 2 * cy - p0.y }, { x: 2 * cx - p1.x, y: 2 * cy - p1.y }];
}

/**
 * Top-left, top-right, bottom-right, bottom-left in the image frame, as PaddleOCR's
 * order_points_clockwise: the two left-most points (top one first), then the two right-most.
 */
export function orderClockwise(pts: readonly OcrPoint[]): Quad {
  const byX = [...pts].sort((a, b) => a.x - b.x || a.y - b.y);
  const [l0, l1, r0, r1] = byX as [OcrPoint, OcrPoint, OcrPoint, OcrPoint];
  const [tl, bl] = l0.y <= l1.y ? [l0, l1] : [l1, l0];
  const [tr, br] = r0.y <= r1.y ? [r0, r1] : [r1, r0];
  return [tl, tr, br, bl];
}

/** Width (along q0→q1) and height (along q0→q3), the longer of each pair of sides. */
export function quadSize(q: Quad): { width: number; height: number } {
  return { width: Math.max(dist(q[0], q[1]), dist(q[3], q[2])), height: Math.max(dist(q[0], q[3]), dist(q[1], q[2])) };
}

/** The point at (u, v) of the quad, u along q0→q1 and v along q0→q3, both 0–1 (bilinear: exact for a parallelogram). */
export function pointAt(q: Quad, u: number, v: number): OcrPoint {
  const top = { x: q[0].x + (q[1].x - q[0].x) * u, y: q[0].y + (q[1].y - q[0].y) * u };
  const bottom = { x: q[3].x + (q[2].x - q[3].x) * u, y: q[3].y + (q[2].y - q[3].y) * u };
  return { x: top.x + (bottom.x - top.x) * v, y: top.y + (bottom.y - top.y) * v };
}

/** The part of the quad between u0 and u1 along its text direction, full height. */
export function subQuad(q: Quad, u0: number, u1: number): Quad {
  return [pointAt(q, u0, 0), pointAt(q, u1, 0), pointAt(q, u1, 1), pointAt(q, u0, 1)];
}

/** The quad turned by quarter turns: its corner list starts `k` corners later. */
export function rollQuad(q: Quad, k: number): Quad {
  return [q[k % 4]!, q[(k + 1) % 4]!, q[(k + 2) % 4]!, q[(k + 3) % 4]!];
}

export function bboxOf(points: readonly OcrPoint[]): BBox {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** A point of the image seen with the image turned `quarters` quarter turns counter-clockwise (y down). */
export function turnPoint(p: OcrPoint, quarters: number): OcrPoint {
  switch (((quarters % 4) + 4) % 4) {
    case 1:
      return { x: p.y, y: -p.x };
    case 2:
      return { x: -p.x, y: -p.y };
    case 3:
      return { x: -p.y, y: p.x };
    default:
      return p;
  }
}

/**
 * Reading order: top to bottom, and left to right among boxes on the same row (PaddleOCR's
 * sorted_boxes, with "same row" relative to the boxes' height instead of 10 px: our images
 * range from 60-px line crops to 2,000-px pages). `quarters`: how many quarter turns
 * counter-clockwise make the page upright (its text angle / 90), so a sideways or upside-down
 * page is read in its own order.
 */
export function readingOrder<T extends { readonly quad: Quad }>(items: readonly T[], quarters = 0): T[] {
  const boxes = new Map(items.map((t) => [t, bboxOf(t.quad.map((p) => turnPoint(p, quarters)))]));
  const box = (t: T): BBox => boxes.get(t)!;
  const height = (t: T): number => box(t).y1 - box(t).y0;
  const out = [...items].sort((a, b) => box(a).y0 - box(b).y0 || box(a).x0 - box(b).x0);
  for (let i = 0; i < out.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const a = out[j]!;
      const b = out[j + 1]!;
      const sameRow = Math.abs(box(b).y0 - box(a).y0) < 0.5 * Math.min(height(a), height(b));
      if (!sameRow || box(b).x0 >= box(a).x0) break;
      out[j] = b;
      out[j + 1] = a;
    }
  }
  return out;
}
