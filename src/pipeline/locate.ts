/**
 * Card localisation and rectification for phone photos: the card's quadrilateral is found
 * with OpenCV (OpenCV.js, a WebAssembly build shipped in an npm package) the way document
 * scanners do: edges (Canny) and bright regions (Otsu), outer contours, polygon
 * approximation to four corners, then a perspective warp to a flat card of ID-1 proportions
 * (ISO/IEC 7810: 85.60 × 53.98 mm). Nothing is guessed: no quadrilateral of card proportions
 * and size → null, and the caller reads the image as it is (a scan is already the card).
 */
import { loadOpenCv } from '../image/opencv.ts';
import type { Raster } from './image.ts';

/** The few OpenCV.js calls used here, typed locally. */
interface Mat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data32S: Int32Array;
  delete(): void;
}
interface MatVector {
  size(): number;
  get(i: number): Mat;
  delete(): void;
}
interface Cv {
  Mat: new (rows?: number, cols?: number, type?: number) => Mat;
  MatVector: new () => MatVector;
  Size: new (w: number, h: number) => unknown;
  CV_8UC1: number;
  CV_8UC3: number;
  CV_32FC2: number;
  INTER_AREA: number;
  INTER_CUBIC: number;
  BORDER_REPLICATE: number;
  RETR_EXTERNAL: number;
  CHAIN_APPROX_SIMPLE: number;
  THRESH_BINARY: number;
  THRESH_OTSU: number;
  MORPH_RECT: number;
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): Mat;
  resize(src: Mat, dst: Mat, size: unknown, fx: number, fy: number, interpolation: number): void;
  GaussianBlur(src: Mat, dst: Mat, size: unknown, sigma: number): void;
  Canny(src: Mat, dst: Mat, t1: number, t2: number): void;
  threshold(src: Mat, dst: Mat, thresh: number, max: number, type: number): number;
  getStructuringElement(shape: number, size: unknown): Mat;
  dilate(src: Mat, dst: Mat, kernel: Mat): void;
  morphologyEx(src: Mat, dst: Mat, op: number, kernel: Mat): void;
  MORPH_CLOSE: number;
  findContours(src: Mat, contours: MatVector, hierarchy: Mat, mode: number, method: number): void;
  contourArea(c: Mat): number;
  arcLength(c: Mat, closed: boolean): number;
  approxPolyDP(c: Mat, out: Mat, eps: number, closed: boolean): void;
  convexHull(c: Mat, out: Mat): void;
  isContourConvex(c: Mat): boolean;
  getPerspectiveTransform(src: Mat, dst: Mat): Mat & { data64F: Float64Array };
  warpPerspective(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number): void;
}

/** OpenCV.js, loaded once per process (src/image/opencv.ts), with the calls used here typed. */
export function loadCv(): Promise<{ cv: Cv }> {
  return loadOpenCv<Cv>();
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Corners in the raster's coordinates, clockwise from the top-left of the card's long side. */
export type Quad = readonly [Point, Point, Point, Point];

/** ID-1 card proportions. */
export const CARD_ASPECT = 85.6 / 53.98;

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Orders four corners clockwise starting top-left, then rolls them so the first side is a long side. */
export function orderCorners(pts: readonly Point[]): Quad {
  const c = { x: pts.reduce((s, p) => s + p.x, 0) / 4, y: pts.reduce((s, p) => s + p.y, 0) / 4 };
  const sorted = [...pts].sort((a, b) => Math.atan2(a.y - c.y, a.x - c.x) - Math.atan2(b.y - c.y, b.x - c.x));
  // atan2 order from -π: starts near the left, goes top → right → bottom (clockwise on screen).
  let start = 0;
  let best = Number.POSITIVE_INFINITY;
  sorted.forEach((p, i) => {
    if (p.x + p.y < best) {
      best = p.x + p.y;
      start = i;
    }
  });
  let q = [0, 1, 2, 3].map((k) => sorted[(start + k) % 4]!);
  if (dist(q[0]!, q[1]!) + dist(q[2]!, q[3]!) < dist(q[1]!, q[2]!) + dist(q[3]!, q[0]!)) q = [q[1]!, q[2]!, q[3]!, q[0]!];
  return [q[0]!, q[1]!, q[2]!, q[3]!];
}

/** Long/short side ratio and area share of a quad, to judge whether it is a card. */
function quadShape(q: Quad, imgArea: number): { aspect: number; share: number } {
  const long = (dist(q[0], q[1]) + dist(q[2], q[3])) / 2;
  const short = (dist(q[1], q[2]) + dist(q[3], q[0])) / 2;
  let area = 0;
  for (let i = 0; i < 4; i++) area += q[i]!.x * q[(i + 1) % 4]!.y - q[(i + 1) % 4]!.x * q[i]!.y;
  return { aspect: long / Math.max(1, short), share: Math.abs(area) / 2 / imgArea };
}

export interface CardLocation {
  readonly quad: Quad;
  /** Share of the image the card covers. */
  readonly share: number;
}

/**
 * The card's quadrilateral, or null. Candidates come from edges and from bright regions; a
 * candidate must be convex, cover 2–92% of the image (a scan of the card alone is left as
 * it is), and have card proportions within perspective tolerance.
 */
export function locateCard(r: Raster): Promise<CardLocation | null> {
  // Once per raster: the reader (quality, reading) and a cloud engine's framing ask for the
  // same image's card.
  let found = located.get(r);
  if (!found) located.set(r, (found = findCard(r)));
  return found;
}

const located = new WeakMap<Raster, Promise<CardLocation | null>>();

/**
 * The least share of the image a card may cover: a card ~450 px wide in a 2,000–3,000 px phone
 * photo covers 2–5% (at 12%, such cards were read unflattened and small, their fronts mostly
 * lost). Smaller boxes printed on a card itself fail the card's proportions or the size filter
 * among candidates. Not lower: at 1.2%, a 456-px card in a 2,941-px photo (1.9%) was found, but
 * so were boxes of 1.8–2.0% printed on the sample scans' backs, with more print inside than
 * around them; a card that small is lost (its front read whole gives no text: INOCR012).
 */
const MIN_CARD_SHARE = 0.02;

async function findCard(r: Raster): Promise<CardLocation | null> {
  const { cv } = await loadCv();
  const scale = Math.min(1, 640 / Math.max(r.width, r.height));
  const src = cv.matFromArray(r.height, r.width, cv.CV_8UC1, r.data);
  const small = new cv.Mat();
  const blur = new cv.Mat();
  const edges = new cv.Mat();
  const bright = new cv.Mat();
  const band = new cv.Mat();
  const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(5, 5));
  const wide = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(9, 9));
  const found: CardLocation[] = [];
  try {
    cv.resize(src, small, new cv.Size(Math.round(r.width * scale), Math.round(r.height * scale)), 0, 0, cv.INTER_AREA);
    cv.GaussianBlur(small, blur, new cv.Size(5, 5), 0);
    cv.Canny(blur, edges, 40, 120);
    cv.dilate(edges, edges, kernel);
    // Where the image has edges, widely: both masks' outlines of a card lie in it.
    cv.dilate(edges, band, wide);
    cv.threshold(blur, bright, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU);
    cv.morphologyEx(bright, bright, cv.MORPH_CLOSE, kernel);
    const imgArea = small.rows * small.cols;
    for (const mask of [edges, bright]) {
      const contours = new cv.MatVector();
      const hierarchy = new cv.Mat();
      try {
        cv.findContours(mask, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
        for (let i = 0; i < contours.size(); i++) {
          const c = contours.get(i);
          const hull = new cv.Mat();
          const poly = new cv.Mat();
          try {
            if (cv.contourArea(c) < MIN_CARD_SHARE * 0.75 * imgArea) continue;
            cv.convexHull(c, hull);
            const peri = cv.arcLength(hull, true);
            // Rounded card corners: widen the tolerance until four corners remain.
            for (const eps of [0.02, 0.03, 0.045, 0.06]) {
              cv.approxPolyDP(hull, poly, eps * peri, true);
              if (poly.rows <= 4) break;
            }
            if (poly.rows !== 4) continue;
            const corners: Point[] = [];
            for (let k = 0; k < 4; k++) corners.push({ x: poly.data32S[2 * k]!, y: poly.data32S[2 * k + 1]! });
            const quad = orderCorners(corners.map((p) => ({ x: p.x / scale, y: p.y / scale })));
            const { aspect, share } = quadShape(quad, r.width * r.height);
            if (share < MIN_CARD_SHARE || share > 0.92) continue;
            if (aspect < CARD_ASPECT * 0.75 || aspect > CARD_ASPECT * 1.3) continue;
            if (edgeSupport(band, corners) < MIN_EDGE_SUPPORT) continue;
            if (share < 0.12 && !printInside(edges, corners)) continue;
            found.push({ quad, share });
          } finally {
            c.delete();
            hull.delete();
            poly.delete();
          }
        }
      } finally {
        contours.delete();
        hierarchy.delete();
      }
    }
  } finally {
    for (const m of [src, small, blur, edges, bright, band, kernel, wide]) m.delete();
  }
  if (found.length === 0) return null;
  // Among the large candidates (a printed box inside the card is much smaller), the one
  // closest to ID-1 proportions: the card, not the card merged with its shadow.
  const largest = Math.max(...found.map((f) => f.share));
  const off = (f: CardLocation): number => Math.abs(Math.log(quadShape(f.quad, 1).aspect / CARD_ASPECT));
  return found.filter((f) => f.share >= 0.6 * largest).reduce((a, b) => (off(b) < off(a) ? b : a));
}

/**
 * Share of a quadrilateral's outline that runs along an edge of the image: a card's four sides
 * are edges all along; a blob of a textured table or of light that happens to have a card's
 * proportions is not.
 */
function edgeSupport(edges: Mat, corners: readonly Point[]): number {
  const SAMPLES = 40;
  let on = 0;
  for (let k = 0; k < 4; k++) {
    const a = corners[k]!;
    const b = corners[(k + 1) % 4]!;
    for (let i = 0; i < SAMPLES; i++) {
      const x = Math.round(a.x + ((b.x - a.x) * (i + 0.5)) / SAMPLES);
      const y = Math.round(a.y + ((b.y - a.y) * (i + 0.5)) / SAMPLES);
      if (x >= 0 && y >= 0 && x < edges.cols && y < edges.rows && edges.data[y * edges.cols + x]! > 0) on++;
    }
  }
  return on / (4 * SAMPLES);
}

/**
 * A small candidate is a card when it holds more print than what lies around it (a card's
 * text against a table), not less: a box printed on a scanned card itself (the photo, with the
 * card's text around it) has the card's proportions too.
 */
function printInside(edges: Mat, corners: readonly Point[]): boolean {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [w, h] = [x1 - x0, y1 - y0];
  const density = (ax: number, ay: number, bx: number, by: number, hole?: readonly number[]): number => {
    let on = 0;
    let n = 0;
    for (let y = Math.max(0, Math.round(ay)); y < Math.min(edges.rows, Math.round(by)); y++) {
      for (let x = Math.max(0, Math.round(ax)); x < Math.min(edges.cols, Math.round(bx)); x++) {
        if (hole && x >= hole[0]! && x < hole[1]! && y >= hole[2]! && y < hole[3]!) continue;
        n++;
        if (edges.data[y * edges.cols + x]! > 0) on++;
      }
    }
    return n === 0 ? 0 : on / n;
  };
  const inside = density(x0 + 0.15 * w, y0 + 0.15 * h, x1 - 0.15 * w, y1 - 0.15 * h);
  const around = density(x0 - 0.3 * w, y0 - 0.3 * h, x1 + 0.3 * w, y1 + 0.3 * h, [x0 - 0.05 * w, x1 + 0.05 * w, y0 - 0.05 * h, y1 + 0.05 * h]);
  return inside > around;
}

/** The least edgeSupport of a card's outline (corners are rounded, a side may be in glare). */
const MIN_EDGE_SUPPORT = 0.6;

/** Warps the quadrilateral to a flat landscape card `width` px wide. */
export async function rectify(r: Raster, quad: Quad, width = 1600): Promise<Raster> {
  const height = Math.round(width / CARD_ASPECT);
  return { data: await warpQuad(r, 1, quad, width, height), width, height };
}

/**
 * Points of the flat card `width` px wide (as `rectify` made it) back in the raster the
 * quadrilateral was found in: the inverse of the warp.
 */
export async function unwarpPoints(quad: Quad, width: number, points: readonly Point[]): Promise<Point[]> {
  const { cv } = await loadCv();
  const height = Math.round(width / CARD_ASPECT);
  const flat = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, width - 1, 0, width - 1, height - 1, 0, height - 1]);
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
  const m = cv.getPerspectiveTransform(flat, to);
  try {
    const h = Array.from(m.data64F);
    return points.map(({ x, y }) => {
      const w = h[6]! * x + h[7]! * y + h[8]!;
      return { x: (h[0]! * x + h[1]! * y + h[2]!) / w, y: (h[3]! * x + h[4]! * y + h[5]!) / w };
    });
  } finally {
    for (const x of [flat, to, m]) x.delete();
  }
}

/** Warps the quadrilateral `quad` of an RGB image to an upright `width`×`height` RGB image. */
export function warpRgb(rgb: Raster, quad: Quad, width: number, height: number): Promise<Buffer> {
  return warpQuad(rgb, 3, quad, width, height);
}

/** The quadrilateral of an 8-bit image (`channels` per pixel) warped to an upright `width`×`height` one. */
async function warpQuad(img: Raster, channels: 1 | 3, quad: Quad, width: number, height: number): Promise<Buffer> {
  const { cv } = await loadCv();
  const src = cv.matFromArray(img.height, img.width, channels === 1 ? cv.CV_8UC1 : cv.CV_8UC3, img.data);
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, width - 1, 0, width - 1, height - 1, 0, height - 1]);
  const m = cv.getPerspectiveTransform(from, to);
  const dst = new cv.Mat();
  try {
    cv.warpPerspective(src, dst, m, new cv.Size(width, height), cv.INTER_CUBIC, cv.BORDER_REPLICATE);
    return Buffer.from(dst.data);
  } finally {
    for (const x of [src, from, to, m, dst]) x.delete();
  }
}
