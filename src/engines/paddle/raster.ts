/**
 * The two resamplings PaddleOCR does with cv2, in plain TypeScript so a paddle thread needs no
 * OpenCV.js (its WebAssembly heap is ~170 MB per thread): cv2.resize with INTER_LINEAR (the
 * detector's input, each line crop to 48 px high) and get_rotate_crop_image's
 * getPerspectiveTransform + warpPerspective with INTER_CUBIC and BORDER_REPLICATE. Both follow
 * OpenCV's 8-bit arithmetic: resize its 11-bit fixed-point weights and rounding (equal to
 * OpenCV.js byte for byte), the warp its source positions rounded to 1/32 px and its cubic
 * fixed-point kernel (a = −0.75).
 */
import type { OcrPoint } from '../types.ts';

/** 8-bit RGB, interleaved, row-major. */
export interface Rgb {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** OpenCV's INTER_RESIZE_COEF_BITS: bilinear weights of 8-bit images are integers out of 2048. */
const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;

/** cvRound: to the nearest integer, halves to even. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Where each destination pixel of one axis reads: the source index of its left (upper)
 * neighbour and the two neighbours' weights out of 2048 (each rounded on its own, as OpenCV
 * does), with OpenCV's half-pixel centres (src = (dst + 0.5) × scale − 0.5). Along x, OpenCV
 * takes the edge pixel alone past either end; along y it keeps the weights and reads the edge
 * row for the missing one (`clamp` false), which its 8-bit rounding tells apart.
 */
function axisTaps(srcLen: number, dstLen: number, clamp: boolean): { index: Int32Array; w0: Int32Array; w1: Int32Array } {
  const scale = 1 / (dstLen / srcLen);
  const index = new Int32Array(dstLen);
  const w0 = new Int32Array(dstLen);
  const w1 = new Int32Array(dstLen);
  for (let d = 0; d < dstLen; d++) {
    // OpenCV computes the position in float.
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    if (clamp && s < 0) {
      s = 0;
      f = 0;
    }
    if (clamp && s >= srcLen - 1) {
      s = srcLen - 1;
      f = 0;
    }
    index[d] = s;
    w0[d] = roundEven(Math.fround(1 - f) * COEF_SCALE);
    w1[d] = roundEven(f * COEF_SCALE);
  }
  return { index, w0, w1 };
}

/**
 * Resized with bilinear interpolation, as cv2.resize(INTER_LINEAR) does in PaddleOCR's
 * preprocessing: each source row used is first resampled along x (kept in integers scaled by
 * 2048), then two such rows are blended along y with OpenCV's vectorised rounding, (S0 >> 4)
 * × b0 >> 16 plus the same for S1, + 2 >> 2 (VResizeLinearVec_32s8u: what cv2 computes for
 * all but a row's last few bytes, and OpenCV.js for all of them: equal to it on every byte).
 */
export function resizeRgb(img: Rgb, width: number, height: number): Rgb {
  if (img.width === width && img.height === height) return img;
  if (width < 1 || height < 1 || img.width < 1 || img.height < 1) throw new RangeError(`cannot resize ${img.width}×${img.height} to ${width}×${height}`);
  const src = img.data;
  const sw = img.width;
  const sh = img.height;
  const xs = axisTaps(sw, width, true);
  const ys = axisTaps(sh, height, false);
  const rowLen = 3 * width;
  // Per destination pixel of a row: the byte offset of its left source pixel and the right one's
  // offset from it (0 at the right edge).
  const xOff = new Int32Array(width);
  const xStep = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const s = xs.index[x]!;
    xOff[x] = 3 * s;
    xStep[x] = s + 1 < sw ? 3 : 0;
  }
  const { w0: xW0, w1: xW1 } = xs;
  // The x-resampled source rows, each shifted right by 4 as OpenCV packs them to 16 bits,
  // cached by source row: consecutive destination rows share them.
  const rows = [new Int32Array(rowLen), new Int32Array(rowLen)];
  const rowOf = [-1, -1];
  const hRow = (sy: number): Int32Array => {
    if (rowOf[0] === sy) return rows[0]!;
    if (rowOf[1] === sy) return rows[1]!;
    // Replace the row the next destination row will not need (the lower source row number).
    const slot = rowOf[0]! < rowOf[1]! ? 0 : 1;
    const buf = rows[slot]!;
    rowOf[slot] = sy;
    const base = sy * sw * 3;
    for (let x = 0, o = 0; x < width; x++, o += 3) {
      const p = base + xOff[x]!;
      const q = p + xStep[x]!;
      const a = xW0[x]!;
      const b = xW1[x]!;
      buf[o] = (src[p]! * a + src[q]! * b) >> 4;
      buf[o + 1] = (src[p + 1]! * a + src[q + 1]! * b) >> 4;
      buf[o + 2] = (src[p + 2]! * a + src[q + 2]! * b) >> 4;
    }
    return buf;
  };
  const out = new Uint8Array(rowLen * height);
  for (let y = 0; y < height; y++) {
    const sy = ys.index[y]!;
    const a = ys.w0[y]!;
    const b = ys.w1[y]!;
    const top = hRow(Math.min(sh - 1, Math.max(0, sy)));
    const bottom = hRow(Math.min(sh - 1, Math.max(0, sy + 1)));
    const o = y * rowLen;
    // Products stay under 2^27 (32,640 × 2,048 and 2,049 at most): exact in 32-bit integers.
    for (let i = 0; i < rowLen; i++) {
      const v = (((top[i]! * a) >> 16) + ((bottom[i]! * b) >> 16) + 2) >> 2;
      out[o + i] = v > 255 ? 255 : v;
    }
  }
  return { data: out, width, height };
}

/**
 * A projective map of the plane: (x, y) → ((a x + b y + c) / w, (d x + e y + f) / w) with
 * w = g x + h y + 1. Row-major, the last entry 1.
 */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/**
 * The homography that takes the rectangle (0, 0), (width, 0), (width, height), (0, height) onto
 * the quad's corners in that order: getPerspectiveTransform(quad → rectangle) inverted, which
 * is what warpPerspective applies to every destination pixel. Closed form, from the unit
 * square (Heckbert, "Fundamentals of Texture Mapping", 1989); a quad with no area (its
 * corners on one line) falls back to the parallelogram on its corners 0, 1 and 3.
 */
export function rectToQuad(quad: readonly [OcrPoint, OcrPoint, OcrPoint, OcrPoint], width: number, height: number): Homography {
  // As float32 (what cv2 is given: PaddleOCR's points.astype(np.float32), OpenCV.js's CV_32FC2),
  // so a source position on the edge of a 1/32 px step falls the same side of it.
  const [p0, p1, p2, p3] = quad.map((p) => ({ x: Math.fround(p.x), y: Math.fround(p.y) })) as [OcrPoint, OcrPoint, OcrPoint, OcrPoint];
  const dx1 = p1.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dx2 = p3.x - p2.x;
  const dy2 = p3.y - p2.y;
  const dx3 = p0.x - p1.x + p2.x - p3.x;
  const dy3 = p0.y - p1.y + p2.y - p3.y;
  const det = dx1 * dy2 - dx2 * dy1;
  let g = 0;
  let h = 0;
  if ((dx3 !== 0 || dy3 !== 0) && Math.abs(det) > 1e-9) {
    g = (dx3 * dy2 - dx2 * dy3) / det;
    h = (dx1 * dy3 - dx3 * dy1) / det;
  }
  // Unit square → quad, then (x, y) → (x / width, y / height) folded in.
  const sx = 1 / width;
  const sy = 1 / height;
  const a = p1.x - p0.x + g * p1.x;
  const b = p3.x - p0.x + h * p3.x;
  const d = p1.y - p0.y + g * p1.y;
  const e = p3.y - p0.y + h * p3.y;
  return [a * sx, b * sy, p0.x, d * sx, e * sy, p0.y, g * sx, h * sy, 1];
}

/** Where a point lands under a homography. */
export function applyHomography(m: Homography, x: number, y: number): OcrPoint {
  const w = m[6] * x + m[7] * y + m[8];
  return { x: (m[0] * x + m[1] * y + m[2]) / w, y: (m[3] * x + m[4] * y + m[5]) / w };
}

/** OpenCV's INTER_BITS: warps place source positions on a grid of 1/32 px. */
const SUB = 32;
/** OpenCV's INTER_REMAP_COEF_BITS: interpolation weights of 8-bit images are integers out of 32768. */
const REMAP_BITS = 15;
const REMAP_SCALE = 1 << REMAP_BITS;

/**
 * OpenCV's bicubic weights for 8-bit images (initInterTab2D, INTER_CUBIC, fixed point): for
 * each 1/32 px offset in y and x, 16 weights (4 rows of 4), products of its interpolateCubic
 * (a = −0.75, in float) scaled to 32768 and rounded, the rounding error put on the largest or
 * smallest of the middle four so they sum to 32768 exactly.
 */
const CUBIC = ((): Int32Array => {
  const f = Math.fround;
  const A = f(-0.75);
  const oneD = new Float64Array(4 * SUB);
  for (let i = 0; i < SUB; i++) {
    const x = f(i * f(1 / SUB));
    const x1 = f(x + 1);
    const w0 = f(f(f(f(f(f(A * x1) - f(5 * A)) * x1) + f(8 * A)) * x1) - f(4 * A));
    const w1 = f(f(f(f(f(f(A + 2) * x) - f(A + 3)) * x) * x) + 1);
    const r = f(1 - x);
    const w2 = f(f(f(f(f(f(A + 2) * r) - f(A + 3)) * r) * r) + 1);
    oneD.set([w0, w1, w2, f(f(f(1 - w0) - w1) - w2)], 4 * i);
  }
  const tab = new Int32Array(SUB * SUB * 16);
  for (let fy = 0; fy < SUB; fy++) {
    for (let fx = 0; fx < SUB; fx++) {
      const base = (fy * SUB + fx) * 16;
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        for (let i = 0; i < 4; i++) {
          const v = roundEven(f(oneD[4 * fy + j]! * oneD[4 * fx + i]!) * REMAP_SCALE);
          tab[base + 4 * j + i] = v;
          sum += v;
        }
      }
      if (sum === REMAP_SCALE) continue;
      let lo = base + 5;
      let hi = base + 5;
      for (const k of [5, 6, 9, 10]) {
        if (tab[base + k]! < tab[lo]!) lo = base + k;
        else if (tab[base + k]! > tab[hi]!) hi = base + k;
      }
      if (sum < REMAP_SCALE) tab[hi] = tab[hi]! + REMAP_SCALE - sum;
      else tab[lo] = tab[lo]! - (sum - REMAP_SCALE);
    }
  }
  return tab;
})();

/**
 * One destination image of `width` × `height` sampled from `img` through `m` (destination
 * pixel → source point), bicubic, the source's edge pixels repeated outside it: OpenCV's
 * warpPerspective(INTER_CUBIC, BORDER_REPLICATE) given the inverse of `m`.
 */
export function warp(img: Rgb, m: Homography, width: number, height: number): Rgb {
  const { data: src, width: sw, height: sh } = img;
  const stride = 3 * sw;
  const out = new Uint8Array(3 * width * height);
  const half = 1 << (REMAP_BITS - 1);
  const cols = new Int32Array(4);
  const rows = new Int32Array(4);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const x0 = m[1] * y + m[2];
    const y0 = m[4] * y + m[5];
    const w0 = m[7] * y + m[8];
    for (let x = 0; x < width; x++, o += 3) {
      const w = w0 + m[6] * x;
      const k = w === 0 ? 0 : SUB / w;
      // The source position in 1/32 px, rounded as cvRound does (halves to even) and clamped
      // to the int range as OpenCV clamps it (only ever reached far outside any image).
      const X = Math.max(-2e9, Math.min(2e9, (x0 + m[0] * x) * k));
      const Y = Math.max(-2e9, Math.min(2e9, (y0 + m[3] * x) * k));
      let fx = Math.round(X);
      if (fx - X === 0.5 && (fx & 1) !== 0) fx--;
      let fy = Math.round(Y);
      if (fy - Y === 0.5 && (fy & 1) !== 0) fy--;
      const ix = fx >> 5;
      const iy = fy >> 5;
      const wt = (((fy & (SUB - 1)) << 5) | (fx & (SUB - 1))) << 4;
      let r = half;
      let g = half;
      let b = half;
      if (ix >= 1 && ix + 2 < sw && iy >= 1 && iy + 2 < sh) {
        // All 16 taps inside the image.
        let p = (iy - 1) * stride + 3 * (ix - 1);
        for (let j = 0; j < 4; j++, p += stride) {
          const t = wt + 4 * j;
          const c0 = CUBIC[t]!;
          const c1 = CUBIC[t + 1]!;
          const c2 = CUBIC[t + 2]!;
          const c3 = CUBIC[t + 3]!;
          r += src[p]! * c0 + src[p + 3]! * c1 + src[p + 6]! * c2 + src[p + 9]! * c3;
          g += src[p + 1]! * c0 + src[p + 4]! * c1 + src[p + 7]! * c2 + src[p + 10]! * c3;
          b += src[p + 2]! * c0 + src[p + 5]! * c1 + src[p + 8]! * c2 + src[p + 11]! * c3;
        }
      } else {
        // Near or past an edge: the edge pixels repeated (BORDER_REPLICATE).
        for (let i = 0; i < 4; i++) {
          const cx = ix - 1 + i;
          const cy = iy - 1 + i;
          cols[i] = 3 * (cx < 0 ? 0 : cx >= sw ? sw - 1 : cx);
          rows[i] = stride * (cy < 0 ? 0 : cy >= sh ? sh - 1 : cy);
        }
        for (let j = 0; j < 4; j++) {
          for (let i = 0; i < 4; i++) {
            const c = CUBIC[wt + 4 * j + i]!;
            const p = rows[j]! + cols[i]!;
            r += src[p]! * c;
            g += src[p + 1]! * c;
            b += src[p + 2]! * c;
          }
        }
      }
      out[o] = clampByte(r >> REMAP_BITS);
      out[o + 1] = clampByte(g >> REMAP_BITS);
      out[o + 2] = clampByte(b >> REMAP_BITS);
    }
  }
  return { data: out, width, height };
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);
