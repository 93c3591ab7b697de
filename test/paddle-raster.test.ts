/**
 * The paddle engine's own resampling and region finding (src/engines/paddle/raster.ts,
 * regions.ts) against the OpenCV.js calls they replace (cv.resize, cv.warpPerspective,
 * cv.findContours + cv.minAreaRect: OpenCV.js stays a dependency of the card locator, so it is
 * the reference here), on random images and drawn bitmaps, and on shapes whose answer is known.
 */
import { describe, expect, it } from 'vitest';
import { rectCorners, type Quad } from '../src/engines/paddle/geometry.ts';
import { applyHomography, rectToQuad, resizeRgb, warp, type Rgb } from '../src/engines/paddle/raster.ts';
import { convexHull, minAreaRect, regions, type RotatedRect } from '../src/engines/paddle/regions.ts';
import { loadOpenCv } from '../src/image/opencv.ts';

interface Mat {
  data: Uint8Array;
  data32S: Int32Array;
  rows: number;
  delete(): void;
}
interface MatVector {
  size(): number;
  get(i: number): Mat;
  delete(): void;
}
interface Cv {
  Mat: new () => Mat;
  MatVector: new () => MatVector;
  Size: new (w: number, h: number) => unknown;
  CV_8UC1: number;
  CV_8UC3: number;
  CV_32FC2: number;
  INTER_LINEAR: number;
  INTER_CUBIC: number;
  BORDER_REPLICATE: number;
  RETR_EXTERNAL: number;
  CHAIN_APPROX_SIMPLE: number;
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): Mat;
  resize(src: Mat, dst: Mat, size: unknown, fx: number, fy: number, interpolation: number): void;
  getPerspectiveTransform(src: Mat, dst: Mat): Mat;
  warpPerspective(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number): void;
  findContours(src: Mat, contours: MatVector, hierarchy: Mat, mode: number, method: number): void;
  minAreaRect(points: Mat): { center: { x: number; y: number }; size: { width: number; height: number }; angle: number };
}

/** OpenCV.js is a thenable: it is only ever handled inside loadOpenCv's wrapper, never returned from an async function. */
const opencv = (): Promise<{ cv: Cv }> => loadOpenCv<Cv>();

/** A small seeded generator (mulberry32): the same "random" images every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Noise (the hardest case for interpolation) with smooth gradients under it, so both are exercised. */
function randomImage(width: number, height: number, seed: number): Rgb {
  const r = rng(seed);
  const data = new Uint8Array(3 * width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      data[i] = Math.floor(r() * 256);
      data[i + 1] = Math.min(255, Math.floor((255 * x) / width + 40 * r()));
      data[i + 2] = Math.min(255, Math.floor((255 * y) / height + 40 * r()));
    }
  }
  return { data, width, height };
}

function diff(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.length };
}

async function cvResize(img: Rgb, width: number, height: number): Promise<Uint8Array> {
  const { cv: c } = await opencv();
  const src = c.matFromArray(img.height, img.width, c.CV_8UC3, img.data);
  const dst = new c.Mat();
  try {
    c.resize(src, dst, new c.Size(width, height), 0, 0, c.INTER_LINEAR);
    return Uint8Array.from(dst.data);
  } finally {
    src.delete();
    dst.delete();
  }
}

async function cvWarp(img: Rgb, quad: Quad, width: number, height: number): Promise<Uint8Array> {
  const { cv: c } = await opencv();
  const src = c.matFromArray(img.height, img.width, c.CV_8UC3, img.data);
  const from = c.matFromArray(4, 1, c.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
  const to = c.matFromArray(4, 1, c.CV_32FC2, [0, 0, width, 0, width, height, 0, height]);
  const m = c.getPerspectiveTransform(from, to);
  const dst = new c.Mat();
  try {
    c.warpPerspective(src, dst, m, new c.Size(width, height), c.INTER_CUBIC, c.BORDER_REPLICATE);
    return Uint8Array.from(dst.data);
  } finally {
    for (const x of [src, from, to, m, dst]) x.delete();
  }
}

describe('resizeRgb against cv.resize(INTER_LINEAR)', () => {
  it.each([
    [2000, 1300, 960, 640],
    [211, 133, 96, 64],
    [640, 96, 320, 48],
    [37, 23, 120, 48],
    [300, 60, 241, 48],
    [5, 3, 17, 11],
    [1, 1, 4, 3],
    [90, 1, 30, 48],
  ])('%i×%i → %i×%i: at most 1 apart on any channel, and nearly always equal', async (sw, sh, dw, dh) => {
    const img = randomImage(sw, sh, sw * 31 + sh);
    const ours = resizeRgb(img, dw, dh);
    expect([ours.width, ours.height]).toEqual([dw, dh]);
    const d = diff(ours.data, await cvResize(img, dw, dh));
    // OpenCV.js 4.5.2 gives the same bytes; the margin is for another build's rounding.
    expect(d.max).toBeLessThanOrEqual(1);
    expect(d.mean).toBeLessThan(0.001);
  });

  it('leaves an image of the asked size as it is', () => {
    const img = randomImage(10, 10, 1);
    expect(resizeRgb(img, 10, 10)).toBe(img);
  });
});

describe('rectToQuad', () => {
  it('takes the rectangle’s corners onto the quad’s', () => {
    const quad: Quad = [
      { x: 12.5, y: 30 },
      { x: 250, y: 18 },
      { x: 260, y: 80 },
      { x: 8, y: 71 },
    ];
    const m = rectToQuad(quad, 240, 50);
    const corners = [
      [0, 0],
      [240, 0],
      [240, 50],
      [0, 50],
    ] as const;
    corners.forEach(([x, y], i) => {
      const p = applyHomography(m, x, y);
      expect(p.x).toBeCloseTo(quad[i]!.x, 9);
      expect(p.y).toBeCloseTo(quad[i]!.y, 9);
    });
  });

  it('is affine for a parallelogram, and survives a quad with no area', () => {
    const m = rectToQuad(
      [
        { x: 10, y: 10 },
        { x: 110, y: 20 },
        { x: 105, y: 50 },
        { x: 5, y: 40 },
      ],
      100,
      30,
    );
    expect(m[6]).toBe(0);
    expect(m[7]).toBe(0);
    const flat = rectToQuad(
      [
        { x: 0, y: 0 },
        { x: 50, y: 0 },
        { x: 50, y: 0 },
        { x: 0, y: 0 },
      ],
      50,
      1,
    );
    expect(flat.every(Number.isFinite)).toBe(true);
  });
});

describe('warp against cv.getPerspectiveTransform + cv.warpPerspective(INTER_CUBIC, BORDER_REPLICATE)', () => {
  const img = randomImage(320, 200, 42);
  const r = rng(7);
  const jitter = (v: number, by: number): number => v + (r() - 0.5) * 2 * by;
  // Random text-line-like quads: a rotated, perspective-jittered box, some running off the image.
  const quads = Array.from({ length: 8 }, (_, k) => {
    const w = 40 + r() * 200;
    const h = 12 + r() * 40;
    const cx = -10 + r() * 340;
    const cy = -10 + r() * 220;
    const angle = (r() - 0.5) * (k % 3 === 0 ? 180 : 20);
    const c = rectCorners(cx, cy, w, h, angle).map((p) => ({ x: jitter(p.x, 4), y: jitter(p.y, 4) }));
    return { quad: c as unknown as Quad, width: Math.round(w), height: Math.round(h) };
  });
  // On noise, a source position a rounding away from the next 1/32 px step would differ by
  // several levels; OpenCV's own rounding (float32 corners, fixed-point weights) keeps it to 1.
  it.each(quads.map((q, i) => [i, q] as const))('quad %i: at most 1 apart, and nearly always equal', async (_, { quad, width, height }) => {
    const ours = warp(img, rectToQuad(quad, width, height), width, height);
    const d = diff(ours.data, await cvWarp(img, quad, width, height));
    expect(d.mean).toBeLessThanOrEqual(0.005);
    expect(d.max).toBeLessThanOrEqual(1);
  });

  it('an axis-aligned quad of the crop’s own size copies the pixels', () => {
    const quad: Quad = [
      { x: 20, y: 30 },
      { x: 120, y: 30 },
      { x: 120, y: 70 },
      { x: 20, y: 70 },
    ];
    const out = warp(img, rectToQuad(quad, 100, 40), 100, 40);
    for (const [x, y] of [
      [0, 0],
      [57, 13],
      [99, 39],
    ] as const) {
      const o = 3 * (y * 100 + x);
      const s = 3 * ((30 + y) * 320 + 20 + x);
      expect([...out.data.subarray(o, o + 3)]).toEqual([...img.data.subarray(s, s + 3)]);
    }
  });
});

/** A bitmap with shapes drawn: `inside(x, y)` per shape. */
function bitmap(width: number, height: number, shapes: ((x: number, y: number) => boolean)[]): Uint8Array {
  const b = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (shapes.some((s) => s(x, y))) b[y * width + x] = 1;
  return b;
}

const box =
  (x0: number, y0: number, x1: number, y1: number) =>
  (x: number, y: number): boolean =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** Inside a rectangle of centre (cx, cy), size w × h, turned `deg` degrees. */
const turned =
  (cx: number, cy: number, w: number, h: number, deg: number) =>
  (x: number, y: number): boolean => {
    const a = (deg * Math.PI) / 180;
    const u = (x - cx) * Math.cos(a) + (y - cy) * Math.sin(a);
    const v = -(x - cx) * Math.sin(a) + (y - cy) * Math.cos(a);
    return Math.abs(u) <= w / 2 && Math.abs(v) <= h / 2;
  };

const ring =
  (cx: number, cy: number, r0: number, r1: number) =>
  (x: number, y: number): boolean => {
    const d = Math.hypot(x - cx, y - cy);
    return d >= r0 && d <= r1;
  };

const ours = (bits: Uint8Array, width: number, height: number): RotatedRect[] => regions(bits, width, height).map((p) => minAreaRect(convexHull(p)));

async function theirs(bits: Uint8Array, width: number, height: number): Promise<RotatedRect[]> {
  const { cv: c } = await opencv();
  const src = c.matFromArray(height, width, c.CV_8UC1, Array.from(bits, (v) => v * 255));
  const contours = new c.MatVector();
  const hierarchy = new c.Mat();
  try {
    c.findContours(src, contours, hierarchy, c.RETR_EXTERNAL, c.CHAIN_APPROX_SIMPLE);
    const out: RotatedRect[] = [];
    for (let i = 0; i < contours.size(); i++) {
      const m = contours.get(i);
      const r = c.minAreaRect(m);
      m.delete();
      out.push({ center: r.center, width: r.size.width, height: r.size.height, angle: r.angle });
    }
    return out;
  } finally {
    for (const m of [src, contours, hierarchy]) m.delete();
  }
}

/** Each of our rectangles has OpenCV's counterpart: centre within 1 px, area within 3 % (or 1 px²), same shorter side ± 0.5. */
function expectSameRects(a: readonly RotatedRect[], b: readonly RotatedRect[]): void {
  expect(a.length).toBe(b.length);
  const left = [...b];
  for (const r of a) {
    const k = left.findIndex((o) => Math.hypot(o.center.x - r.center.x, o.center.y - r.center.y) < 1);
    expect(k, `a region at (${r.center.x.toFixed(1)}, ${r.center.y.toFixed(1)}) has no OpenCV counterpart`).toBeGreaterThanOrEqual(0);
    const o = left.splice(k, 1)[0]!;
    const area = r.width * r.height;
    const want = o.width * o.height;
    expect(Math.abs(area - want)).toBeLessThanOrEqual(Math.max(1, 0.03 * want));
    expect(Math.abs(Math.min(r.width, r.height) - Math.min(o.width, o.height))).toBeLessThan(0.5);
  }
}

describe('regions + minAreaRect against cv.findContours + cv.minAreaRect', () => {
  const cases: [string, number, number, ((x: number, y: number) => boolean)[]][] = [
    ['rotated bars', 300, 200, [turned(80, 60, 120, 14, 12), turned(200, 140, 150, 20, -33), turned(240, 40, 60, 9, 71)]],
    ['several blobs, one on the border', 200, 120, [box(0, 0, 30, 10), box(50, 50, 120, 70), ring(160, 30, 0, 12), box(190, 100, 199, 119)]],
    ['blocks touching only at a corner are one region', 100, 60, [box(10, 10, 29, 19), box(30, 20, 59, 29), box(70, 10, 80, 40)]],
    ['a blob with a hole', 120, 120, [ring(60, 60, 15, 40)]],
    ['specks and lines', 80, 40, [box(5, 5, 5, 5), box(10, 5, 11, 5), box(20, 5, 20, 30), box(30, 30, 70, 30), turned(55, 15, 30, 1.2, 45)]],
  ];
  it.each(cases)('%s', async (_, width, height, shapes) => {
    const bits = bitmap(width, height, shapes);
    expectSameRects(ours(bits, width, height), await theirs(bits, width, height));
  });

  it.each([1, 2, 3, 4, 5])('random blots (seed %i)', async (seed) => {
    const r = rng(seed);
    const width = 160;
    const height = 100;
    const shapes = Array.from({ length: 25 }, () => turned(r() * width, r() * height, 2 + r() * 40, 1 + r() * 12, r() * 360));
    const bits = bitmap(width, height, shapes);
    expectSameRects(ours(bits, width, height), await theirs(bits, width, height));
  });
});

describe('regions, hull and rectangle on known shapes', () => {
  it('an axis-aligned block gives its exact rectangle through its pixel centres', () => {
    const bits = bitmap(200, 60, [box(40, 20, 139, 29)]);
    const [rect, ...rest] = ours(bits, 200, 60);
    expect(rest).toHaveLength(0);
    expect(rect!.center.x).toBeCloseTo(89.5, 9);
    expect(rect!.center.y).toBeCloseTo(24.5, 9);
    expect([rect!.width, rect!.height].sort((a, b) => a - b)).toEqual([9, 99]);
    expect(Math.abs(Math.sin((rect!.angle * Math.PI) / 90))).toBeLessThan(1e-9);
  });

  it('a bar turned 30° gives a rectangle turned 30°', () => {
    const bits = bitmap(300, 200, [turned(150, 100, 200, 16, 30)]);
    const [rect] = ours(bits, 300, 200);
    const long = rect!.width >= rect!.height ? rect!.angle : rect!.angle + 90;
    const deg = ((long % 180) + 180) % 180;
    expect(deg).toBeGreaterThan(29);
    expect(deg).toBeLessThan(31);
    expect(Math.max(rect!.width, rect!.height)).toBeCloseTo(200, -1);
    expect(rect!.center.x).toBeCloseTo(150, 0);
    expect(rect!.center.y).toBeCloseTo(100, 0);
  });

  it('numbers regions in raster order of their first pixel, and stops at the limit', () => {
    const bits = bitmap(100, 50, [box(60, 2, 70, 8), box(5, 10, 20, 20), box(80, 30, 90, 40)]);
    const firsts = regions(bits, 100, 50).map((p) => [p[0], p[1]]);
    expect(firsts).toEqual([
      [60, 2],
      [5, 10],
      [80, 30],
    ]);
    expect(regions(bits, 100, 50, 2)).toHaveLength(2);
  });

  it('a U joined only at the bottom is one region (a later run joins two earlier ones)', () => {
    const bits = bitmap(60, 40, [box(5, 5, 10, 30), box(40, 5, 45, 30), box(5, 31, 45, 33)]);
    expect(regions(bits, 60, 40)).toHaveLength(1);
  });

  it('a line of pixels has a two-point hull and a rectangle with no height', () => {
    const bits = bitmap(40, 40, [box(3, 5, 3, 30)]);
    const hull = convexHull(regions(bits, 40, 40)[0]!);
    expect(hull).toHaveLength(2);
    const rect = minAreaRect(hull);
    expect(rect.height).toBe(0);
    expect(rect.width).toBe(25);
  });

  it('rotating calipers find the same area as trying every edge', () => {
    const r = rng(99);
    for (let t = 0; t < 200; t++) {
      const pts = Array.from({ length: 3 + Math.floor(r() * 30) }, () => [Math.floor(r() * 200), Math.floor(r() * 200)] as const).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      const hull = convexHull(Int32Array.from(pts.flat()));
      if (hull.length < 3) continue;
      let best = Infinity;
      for (let i = 0; i < hull.length; i++) {
        const p = hull[i]!;
        const q = hull[(i + 1) % hull.length]!;
        const len = Math.hypot(q.x - p.x, q.y - p.y);
        const [ux, uy] = [(q.x - p.x) / len, (q.y - p.y) / len];
        const us = hull.map((s) => (s.x - p.x) * ux + (s.y - p.y) * uy);
        const vs = hull.map((s) => -(s.x - p.x) * uy + (s.y - p.y) * ux);
        best = Math.min(best, (Math.max(...us) - Math.min(...us)) * (Math.max(...vs) - Math.min(...vs)));
      }
      const rect = minAreaRect(hull);
      expect(rect.width * rect.height).toBeCloseTo(best, 6);
      // Every hull point is inside the rectangle.
      const corners = rectCorners(rect.center.x, rect.center.y, rect.width, rect.height, rect.angle);
      const a = (rect.angle * Math.PI) / 180;
      for (const s of hull) {
        const u = (s.x - rect.center.x) * Math.cos(a) + (s.y - rect.center.y) * Math.sin(a);
        const v = -(s.x - rect.center.x) * Math.sin(a) + (s.y - rect.center.y) * Math.cos(a);
        expect(Math.abs(u)).toBeLessThanOrEqual(rect.width / 2 + 1e-6);
        expect(Math.abs(v)).toBeLessThanOrEqual(rect.height / 2 + 1e-6);
      }
      expect(corners).toHaveLength(4);
    }
  });
});
