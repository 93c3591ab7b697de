/**
 * The text regions of a binarised DB map and the minimum-area rectangle of each, in plain
 * TypeScript so a paddle thread needs no OpenCV.js: what PaddleOCR gets from cv2.findContours
 * (RETR_LIST, CHAIN_APPROX_SIMPLE) and cv2.minAreaRect per contour. An outer contour of
 * findContours is the border of one 8-connected region of set pixels, traced through pixel
 * centres, and the convex hull of that border is the hull of the region's pixel centres: so
 * each region here is found by labelling runs of set pixels, its hull built from the two ends
 * of its runs (monotone chain), and its rectangle by rotating calipers over the hull's edges
 * (the smallest enclosing rectangle has a side along one of them: Freeman & Shapira 1975).
 * The contours of holes that RETR_LIST also gives are left out: their rectangles cover the
 * hole's low probability, which the box threshold drops.
 */
import type { OcrPoint } from '../types.ts';

/** A rectangle turned by `angle` degrees: `width` along (cos, sin), `height` along (−sin, cos), as geometry.ts's rectCorners reads it. */
export interface RotatedRect {
  readonly center: OcrPoint;
  readonly width: number;
  readonly height: number;
  readonly angle: number;
}

/** A region's points, x and y interleaved, sorted by y then x. */
export type RegionPoints = Int32Array;

/**
 * The 8-connected regions of set pixels of a row-major bitmap (non-zero is set), at most
 * `limit` of them, in the order of their first pixel in a raster scan; each as the ends of its
 * runs of set pixels (pixel coordinates), enough for its convex hull.
 */
export function regions(bitmap: Uint8Array, width: number, height: number, limit = Infinity): RegionPoints[] {
  if (bitmap.length !== width * height) throw new RangeError(`bitmap of ${bitmap.length} pixels is not ${width}×${height}`);
  // Runs of set pixels, row by row: y, first x, last x.
  let runY: Int32Array = new Int32Array(1024);
  let runX0: Int32Array = new Int32Array(1024);
  let runX1: Int32Array = new Int32Array(1024);
  let parent: Int32Array = new Int32Array(1024);
  let n = 0;
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[i] !== r) {
      const next = parent[i]!;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    // The earlier run is the root, so a region's root is its first run.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  let prevStart = 0;
  for (let y = 0; y < height; y++) {
    const rowStart = n;
    const base = y * width;
    let x = 0;
    while (x < width) {
      while (x < width && bitmap[base + x] === 0) x++;
      if (x >= width) break;
      const x0 = x;
      while (x < width && bitmap[base + x] !== 0) x++;
      if (n === runY.length) {
        runY = grow(runY);
        runX0 = grow(runX0);
        runX1 = grow(runX1);
        parent = grow(parent);
      }
      runY[n] = y;
      runX0[n] = x0;
      runX1[n] = x - 1;
      parent[n] = n;
      n++;
    }
    // Runs of this row touch runs of the row above that overlap them or meet them at a corner.
    let p = prevStart;
    for (let c = rowStart; c < n; c++) {
      while (p < rowStart && runX1[p]! < runX0[c]! - 1) p++;
      for (let q = p; q < rowStart && runX0[q]! <= runX1[c]! + 1; q++) union(c, q);
    }
    prevStart = rowStart;
  }
  // Regions numbered by their root, i.e. by their first run (raster order).
  const index = new Int32Array(n).fill(-1);
  const counts: number[] = [];
  const roots = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    roots[i] = r;
    if (index[r] === -1) {
      if (counts.length >= limit) continue;
      index[r] = counts.length;
      counts.push(0);
    }
    counts[index[r]!]! += 1;
  }
  const out = counts.map((c) => new Int32Array(4 * c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < n; i++) {
    const k = index[roots[i]!]!;
    if (k < 0) continue;
    const pts = out[k]!;
    let f = fill[k]!;
    pts[f++] = runX0[i]!;
    pts[f++] = runY[i]!;
    pts[f++] = runX1[i]!;
    pts[f++] = runY[i]!;
    fill[k] = f;
  }
  return out;
}

/** The same numbers in an array twice as long. */
function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}

/**
 * The convex hull of points sorted by y then x (Andrew's monotone chain), its corners in order
 * with a positive signed area (clockwise as seen on the image, y down), collinear points left
 * out. Fewer than three corners when the points are all on one line.
 */
export function convexHull(pts: RegionPoints): OcrPoint[] {
  const m = pts.length / 2;
  const xs: number[] = [];
  const ys: number[] = [];
  // Repeated points (a one-pixel run gives its pixel twice) would stall the chain.
  for (let i = 0; i < m; i++) {
    const x = pts[2 * i]!;
    const y = pts[2 * i + 1]!;
    const k = xs.length - 1;
    if (k >= 0 && xs[k] === x && ys[k] === y) continue;
    xs.push(x);
    ys.push(y);
  }
  const count = xs.length;
  if (count < 3) return xs.map((x, i) => ({ x, y: ys[i]! }));
  const hull = new Int32Array(2 * count + 1);
  let h = 0;
  const cross = (o: number, a: number, b: number): number => (xs[a]! - xs[o]!) * (ys[b]! - ys[o]!) - (ys[a]! - ys[o]!) * (xs[b]! - xs[o]!);
  for (let i = 0; i < count; i++) {
    while (h >= 2 && cross(hull[h - 2]!, hull[h - 1]!, i) <= 0) h--;
    hull[h++] = i;
  }
  for (let i = count - 2, lower = h + 1; i >= 0; i--) {
    while (h >= lower && cross(hull[h - 2]!, hull[h - 1]!, i) <= 0) h--;
    hull[h++] = i;
  }
  // The last point is the first again.
  const out: OcrPoint[] = [];
  for (let i = 0; i < h - 1; i++) out.push({ x: xs[hull[i]!]!, y: ys[hull[i]!]! });
  return out;
}

/**
 * The smallest-area rectangle around a convex polygon (its corners in order, either way
 * round): rotating calipers, one side of the rectangle along each edge in turn, the three
 * other sides' touching corners advanced as the edge turns. Two points give a rectangle of
 * height 0 along them, one point a rectangle of size 0 (as cv2.minAreaRect).
 */
export function minAreaRect(hull: readonly OcrPoint[]): RotatedRect {
  const n = hull.length;
  if (n === 0) return { center: { x: 0, y: 0 }, width: 0, height: 0, angle: 0 };
  if (n === 1) return { center: { ...hull[0]! }, width: 0, height: 0, angle: 0 };
  if (n === 2) {
    const [a, b] = hull as [OcrPoint, OcrPoint];
    return { center: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, width: Math.hypot(b.x - a.x, b.y - a.y), height: 0, angle: (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI };
  }
  const at = (i: number): OcrPoint => hull[i % n]!;
  // Which side of an edge the polygon lies on: +1 left of it (x right, y up), −1 right.
  let area2 = 0;
  for (let i = 0; i < n; i++) area2 += at(i).x * at(i + 1).y - at(i + 1).x * at(i).y;
  const side = area2 >= 0 ? 1 : -1;
  let best = { area: Infinity, rect: { center: { x: 0, y: 0 }, width: 0, height: 0, angle: 0 } as RotatedRect };
  // Corner indices (unwrapped): farthest along the edge, farthest from it, farthest back along it.
  let far = 1;
  let top = 1;
  let back = 1;
  for (let i = 0; i < n; i++) {
    const p = at(i);
    const q = at(i + 1);
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    if (len === 0) continue;
    // u along the edge, v perpendicular to it into the polygon.
    const ux = (q.x - p.x) / len;
    const uy = (q.y - p.y) / len;
    const vx = -uy * side;
    const vy = ux * side;
    const along = (k: number): number => (at(k).x - p.x) * ux + (at(k).y - p.y) * uy;
    const across = (k: number): number => (at(k).x - p.x) * vx + (at(k).y - p.y) * vy;
    if (far < i + 1) far = i + 1;
    while (along(far + 1) >= along(far) && far + 1 < i + 1 + n) far++;
    if (top < far) top = far;
    while (across(top + 1) >= across(top) && top + 1 < i + 1 + n) top++;
    if (back < top) back = top;
    while (along(back + 1) <= along(back) && back + 1 <= i + n) back++;
    const u0 = along(back);
    const u1 = along(far);
    const h = across(top);
    const w = u1 - u0;
    const area = w * h;
    if (area < best.area) {
      const cu = (u0 + u1) / 2;
      const cv = h / 2;
      best = {
        area,
        rect: {
          center: { x: p.x + cu * ux + cv * vx, y: p.y + cu * uy + cv * vy },
          width: w,
          height: h,
          angle: (Math.atan2(uy, ux) * 180) / Math.PI,
        },
      };
    }
  }
  return best.rect;
}
