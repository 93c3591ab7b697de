/**
 * Motion blur estimated from the image and undone: the smear of a camera that moved during the
 * exposure is, over a card, close to one straight kernel — a box of some length along one
 * direction. Both are estimated blind, from the image itself:
 *
 * - the direction is the one along which the image's gradients are weakest (the smallest
 *   eigenvector of the structure tensor); `anisotropy`, the ratio of its two eigenvalues, says how
 *   directional the image's detail is (a blurred photo of a card: 0.14–0.52 on generated captures;
 *   sharp photos 0.47–0.97; a scan of a back, all MRZ and QR codes, can be as low as 0.19);
 * - the length is where the autocorrelation of the derivative along that direction is lowest: a
 *   box blur of length L turns each edge into a ramp L long, and the derivative into a pair of
 *   steps L apart (Yitzhaky & Kopeika, 1998).
 *
 * `deconvolve` then inverts that kernel with a Wiener filter (OpenCV.js's DFT). The estimate is
 * rough (the length is often off by a pixel or two), so the reader tries a few lengths and keeps
 * the reading its checks score best: a deblurred frame is only ever another candidate.
 */
import { loadOpenCv } from './opencv.ts';
import type { Raster } from '../pipeline/image.ts';

export interface MotionBlur {
  /** The blur's direction, radians (0: along the rows). */
  readonly angle: number;
  /** Its length, px. */
  readonly length: number;
  /** Smallest over largest eigenvalue of the structure tensor: 1 when detail is the same in every direction. */
  readonly anisotropy: number;
}

/** The longest blur looked for, px (the generator's captures smear 5–14 px of a ~1,000 px card). */
const MAX_BLUR = 30;
/** Pixels kept off the border when sampling (a warped card's edge replicates its last pixels). */
const MARGIN = 12;

/** The blur's direction and length, estimated from the image alone. */
export function estimateMotionBlur(r: Raster): MotionBlur {
  const { data, width: w, height: h } = r;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const gx = data[y * w + x + 1]! - data[y * w + x - 1]!;
      const gy = data[(y + 1) * w + x]! - data[(y - 1) * w + x]!;
      sxx += gx * gx;
      syy += gy * gy;
      sxy += gx * gy;
    }
  }
  const half = (sxx + syy) / 2;
  const spread = Math.sqrt(Math.max(0, half * half - (sxx * syy - sxy * sxy)));
  const small = half - spread;
  const large = half + spread;
  // The eigenvector of the smaller eigenvalue: (sxy, small - sxx), or an axis when they do not mix.
  const angle = Math.abs(sxy) < 1e-9 ? (sxx <= syy ? 0 : Math.PI / 2) : Math.atan2(small - sxx, sxy);
  return { angle, length: blurLength(r, angle), anisotropy: large > 0 ? small / large : 1 };
}

/** Where the autocorrelation of the derivative along `angle` is lowest (2–MAX_BLUR px). */
function blurLength(r: Raster, angle: number): number {
  const { data, width: w, height: h } = r;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const at = (x: number, y: number): number => {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) return Number.NaN;
    const fx = x - x0;
    const fy = y - y0;
    const i = y0 * w + x0;
    return (data[i]! * (1 - fx) + data[i + 1]! * fx) * (1 - fy) + (data[i + w]! * (1 - fx) + data[i + w + 1]! * fx) * fy;
  };
  const sum = new Float64Array(MAX_BLUR + 1);
  const count = new Float64Array(MAX_BLUR + 1);
  for (let y = MARGIN; y < h - MARGIN; y += 2) {
    for (let x = MARGIN; x < w - MARGIN; x += 2) {
      const d0 = at(x + c, y + s) - at(x, y);
      if (Number.isNaN(d0)) continue;
      for (let k = 0; k <= MAX_BLUR; k++) {
        const d1 = at(x + (k + 1) * c, y + (k + 1) * s) - at(x + k * c, y + k * s);
        if (Number.isNaN(d1)) continue;
        sum[k] = sum[k]! + d0 * d1;
        count[k] = count[k]! + 1;
      }
    }
  }
  let best = 2;
  const norm = (k: number): number => (count[k]! > 0 ? sum[k]! / count[k]! : 0);
  for (let k = 3; k <= MAX_BLUR; k++) if (norm(k) < norm(best)) best = k;
  return best;
}

/** Noise-to-signal power the Wiener filter assumes: lower sharpens more and rings more. */
export const WIENER_NOISE = 0.01;

/** The raster with a straight blur of `length` px along `angle` undone (Wiener filter, edges padded by replication). */
export async function deconvolve(r: Raster, angle: number, length: number, noise = WIENER_NOISE): Promise<Raster> {
  const { cv } = await loadOpenCv<Cv>();
  const { width: w, height: h } = r;
  const pad = Math.ceil(length) + 2;
  const W = cv.getOptimalDFTSize(w + 2 * pad);
  const H = cv.getOptimalDFTSize(h + 2 * pad);
  const mats: CvMat[] = [];
  const keep = <M extends CvMat>(m: M): M => (mats.push(m), m);
  try {
    const src = keep(cv.matFromArray(h, w, cv.CV_8UC1, r.data));
    const padded = keep(new cv.Mat());
    cv.copyMakeBorder(src, padded, pad, H - h - pad, pad, W - w - pad, cv.BORDER_REPLICATE);
    const image = keep(new cv.Mat());
    padded.convertTo(image, cv.CV_32F, 1 / 255);
    // The kernel: `n` taps spread over `length` px along the direction, centred on the origin (wrapped).
    const kernel = keep(cv.Mat.zeros(H, W, cv.CV_32F));
    const taps = Math.max(2, Math.round(length));
    for (let i = 0; i < taps; i++) {
      const t = (i / (taps - 1) - 0.5) * length;
      const x = (((Math.round(t * Math.cos(angle)) % W) + W) % W) | 0;
      const y = (((Math.round(t * Math.sin(angle)) % H) + H) % H) | 0;
      const cell = kernel.floatPtr(y, x);
      cell[0] = cell[0]! + 1 / taps;
    }
    const g = keep(new cv.Mat());
    const k = keep(new cv.Mat());
    cv.dft(image, g, cv.DFT_COMPLEX_OUTPUT, 0);
    cv.dft(kernel, k, cv.DFT_COMPLEX_OUTPUT, 0);
    // F = G · conj(K) / (|K|² + noise)
    const out = keep(new cv.Mat(H, W, cv.CV_32FC2));
    const gd = g.data32F;
    const kd = k.data32F;
    const od = out.data32F;
    for (let i = 0; i < gd.length; i += 2) {
      const kr = kd[i]!;
      const ki = kd[i + 1]!;
      const den = kr * kr + ki * ki + noise;
      od[i] = (gd[i]! * kr + gd[i + 1]! * ki) / den;
      od[i + 1] = (gd[i + 1]! * kr - gd[i]! * ki) / den;
    }
    const back = keep(new cv.Mat());
    cv.dft(out, back, cv.DFT_INVERSE | cv.DFT_SCALE | cv.DFT_REAL_OUTPUT, 0);
    const f = back.data32F;
    const data = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) data[y * w + x] = Math.max(0, Math.min(255, Math.round(f[(y + pad) * W + x + pad]! * 255)));
    }
    return { data, width: w, height: h };
  } finally {
    for (const m of mats) m.delete();
  }
}

/** The part of OpenCV.js used here. */
interface CvMat {
  readonly data32F: Float32Array;
  floatPtr(row: number, col: number): Float32Array;
  convertTo(dst: CvMat, type: number, alpha: number): void;
  delete(): void;
}
interface Cv {
  Mat: { new (): CvMat; new (rows: number, cols: number, type: number): CvMat; zeros(rows: number, cols: number, type: number): CvMat };
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): CvMat;
  getOptimalDFTSize(n: number): number;
  copyMakeBorder(src: CvMat, dst: CvMat, top: number, bottom: number, left: number, right: number, type: number): void;
  dft(src: CvMat, dst: CvMat, flags: number, nonzeroRows: number): void;
  CV_8UC1: number;
  CV_32F: number;
  CV_32FC2: number;
  BORDER_REPLICATE: number;
  DFT_COMPLEX_OUTPUT: number;
  DFT_INVERSE: number;
  DFT_SCALE: number;
  DFT_REAL_OUTPUT: number;
}
