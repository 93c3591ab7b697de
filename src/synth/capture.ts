/**
 * Simulates how a card image reaches the product: a flatbed scan, a phone photo on a desk,
 * a small low-resolution scan, or a scan saved sideways / upside down.
 *
 * The perspective warp is hand-written (homography + bilinear sampling over raw RGBA), the
 * rest uses sharp. Every random choice comes from the given Rng, so output is deterministic.
 */
import sharp from 'sharp';
import type { Rng } from './rng.ts';

/** The conditions a corpus cycles through by default. */
export const CONDITIONS = ['scan', 'photo', 'lowres', 'rot90', 'rot180'] as const;
/**
 * Captures a back office should send back, generated only on request (`--conditions glare,blur`):
 * a phone photo with a specular highlight that burns the print out, and one out of focus.
 * They exercise the quality verdict; their accuracy is not a target.
 */
export const HARD_CONDITIONS = ['glare', 'blur'] as const;
export type Condition = (typeof CONDITIONS)[number] | (typeof HARD_CONDITIONS)[number];

export interface Captured {
  readonly data: Buffer;
  readonly ext: 'jpg' | 'png';
}

export interface CaptureOptions {
  /** Always encode scans as JPEG, at a quality that keeps files small (the checked-in samples). */
  readonly forceJpeg?: boolean;
}

export function isCondition(s: string): s is Condition {
  return (CONDITIONS as readonly string[]).includes(s) || (HARD_CONDITIONS as readonly string[]).includes(s);
}

export async function capture(png: Buffer, condition: Condition, rng: Rng, opts: CaptureOptions = {}): Promise<Captured> {
  switch (condition) {
    case 'scan':
      return encodeScan(await scan(png, rng, rng.int(1000, 1300)), rng, opts);
    case 'lowres': {
      const base = await scan(png, rng, rng.int(650, 750));
      const density = await scanDpi(base);
      return { data: await sharp(base).withMetadata({ density }).jpeg({ quality: rng.int(70, 90) }).toBuffer(), ext: 'jpg' };
    }
    case 'rot90': {
      const base = await scan(png, rng, rng.int(1000, 1300));
      const rotated = await sharp(base).rotate(rng.chance(0.5) ? 90 : 270).png().toBuffer();
      return encodeScan(rotated, rng, opts);
    }
    case 'rot180': {
      const base = await scan(png, rng, rng.int(1000, 1300));
      const rotated = await sharp(base).rotate(180).png().toBuffer();
      return encodeScan(rotated, rng, opts);
    }
    case 'photo':
      return photo(png, rng);
    case 'glare':
    case 'blur':
      return photo(png, rng, condition);
  }
}

/** Scanners record their resolution; the card is 85.6 mm wide, so dpi follows from its pixel width. */
async function scanDpi(png: Buffer): Promise<number> {
  const { width = 1012, height = 638 } = await sharp(png).metadata();
  const cardPx = Math.max(width, height) * 0.95;
  return Math.round(((cardPx / 85.6) * 25.4) / 10) * 10;
}

async function encodeScan(png: Buffer, rng: Rng, opts: CaptureOptions): Promise<Captured> {
  const density = await scanDpi(png);
  if (!opts.forceJpeg && rng.chance(0.5)) {
    return { data: await sharp(png).withMetadata({ density }).png({ compressionLevel: 9 }).toBuffer(), ext: 'png' };
  }
  // forceJpeg is for small files (checked-in samples): a slightly lower, still clean quality.
  const quality = opts.forceJpeg ? rng.int(80, 86) : rng.int(86, 95);
  return { data: await sharp(png).withMetadata({ density }).jpeg({ quality }).toBuffer(), ext: 'jpg' };
}

/**
 * Flatbed scan: the card on a white/grey platen, a small margin, at most a slight skew,
 * resized to `width` px. Returns a PNG (lossless intermediate).
 */
async function scan(png: Buffer, rng: Rng, width: number): Promise<Buffer> {
  const grey = rng.int(222, 255);
  const bg = { r: grey, g: grey, b: Math.min(255, grey + rng.int(-3, 3)), alpha: 1 };
  let img = png;
  if (rng.chance(0.4)) {
    img = await sharp(img).rotate(rng.float(-1.2, 1.2), { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
  }
  const m = (): number => rng.int(8, 45);
  // Two passes: sharp would otherwise flatten before extending and leave the margin transparent.
  const extended = await sharp(img)
    .extend({ top: m(), bottom: m(), left: m(), right: m(), background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const framed = await sharp(extended).flatten({ background: bg }).png().toBuffer();
  // Scanner sensors are slightly soft and noisy.
  const resized = await sharp(framed).resize({ width, kernel: 'lanczos3' }).blur(rng.float(0.35, 0.6)).raw().toBuffer({ resolveWithObject: true });
  const { data, info } = resized;
  const amp = rng.float(1, 3);
  for (let i = 0; i < data.length; i += info.channels) {
    const n = (rng.next() + rng.next() - 1) * amp * 2;
    for (let c = 0; c < 3; c++) data[i + c] = clamp255((data[i + c] ?? 0) + n);
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

// ---------------------------------------------------------------------------------------
// Phone photo

type Pt = readonly [number, number];

/** Solves A x = b (n×n, Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
    const tmp = m[c];
    m[c] = m[p] ?? [];
    m[p] = tmp ?? [];
    const pr = m[c] ?? [];
    const pv = pr[c] ?? 1;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = m[r] ?? [];
      const f = (row[c] ?? 0) / pv;
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return m.map((r, i) => (r[n] ?? 0) / (r[i] ?? 1));
}

/** 3×3 homography (row-major, h33 = 1) taking `from[i]` to `to[i]`. */
export function homography(from: readonly Pt[], to: readonly Pt[]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] ?? [0, 0];
    const [u, v] = to[i] ?? [0, 0];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  return [...solve(a, b), 1];
}

/** Value noise in [0,1] on a w×h grid, interpolated smoothly from random values every `cell` px. */
function valueNoise(rng: Rng, w: number, h: number, cell: number): Float32Array {
  const gw = Math.ceil(w / cell) + 2;
  const gh = Math.ceil(h / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.next();
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    let fy = gy - y0;
    fy = fy * fy * (3 - 2 * fy);
    for (let x = 0; x < w; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      let fx = gx - x0;
      fx = fx * fx * (3 - 2 * fx);
      const i00 = grid[y0 * gw + x0] ?? 0;
      const i10 = grid[y0 * gw + x0 + 1] ?? 0;
      const i01 = grid[(y0 + 1) * gw + x0] ?? 0;
      const i11 = grid[(y0 + 1) * gw + x0 + 1] ?? 0;
      out[y * w + x] = (i00 * (1 - fx) + i10 * fx) * (1 - fy) + (i01 * (1 - fx) + i11 * fx) * fy;
    }
  }
  return out;
}

/** Fractal sum of value noise octaves (cell sizes halving), normalised to about [0,1]. */
function fbm(rng: Rng, w: number, h: number, cell: number, octaves: number): Float32Array {
  const out = new Float32Array(w * h);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const n = valueNoise(rng, w, h, Math.max(2, cell / 2 ** o));
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + amp * (n[i] ?? 0);
    total += amp;
    amp *= 0.55;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / total;
  return out;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** A desk/wood/fabric-like texture as RGB floats. */
function backgroundTexture(rng: Rng, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * 3);
  const kind = rng.pick(['wood', 'fabric', 'desk', 'stone'] as const);
  const low = fbm(rng, w, h, rng.int(200, 400), 3);
  const mid = fbm(rng, w, h, rng.int(40, 90), 4);
  let base: [number, number, number];
  if (kind === 'wood') base = hslToRgb(rng.float(20, 38), rng.float(0.35, 0.6), rng.float(0.25, 0.55));
  else if (kind === 'fabric') base = hslToRgb(rng.float(0, 360), rng.float(0.1, 0.5), rng.float(0.2, 0.6));
  else if (kind === 'desk') base = hslToRgb(rng.float(0, 360), rng.float(0, 0.12), rng.float(0.15, 0.85));
  else base = hslToRgb(rng.float(20, 60), rng.float(0.02, 0.15), rng.float(0.4, 0.8));
  const period = rng.float(14, 40);
  const weave = rng.float(3, 6);
  const angle = rng.float(-0.3, 0.3);
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = low[i] ?? 0.5;
      const m = mid[i] ?? 0.5;
      let v: number;
      if (kind === 'wood') {
        const yy = -x * sa + y * ca;
        v = 0.85 + 0.12 * Math.sin((yy + 60 * m + 120 * l) / period * Math.PI * 2) + 0.12 * (m - 0.5);
      } else if (kind === 'fabric') {
        const xx = x * ca + y * sa;
        const yy = -x * sa + y * ca;
        v = 0.9 + 0.07 * Math.sin((xx / weave) * Math.PI) * Math.sin((yy / weave) * Math.PI) + 0.15 * (l - 0.5) + 0.06 * (m - 0.5);
      } else if (kind === 'desk') {
        v = 0.95 + 0.1 * (l - 0.5) + 0.04 * (m - 0.5);
      } else {
        v = 0.85 + 0.35 * (m - 0.5) * (l + 0.5) + 0.05 * (rng.next() - 0.5);
      }
      out[i * 3] = base[0] * v;
      out[i * 3 + 1] = base[1] * v;
      out[i * 3 + 2] = base[2] * v;
    }
  }
  return out;
}

/** Separable box blur of a single-channel float image, in place, applied twice (≈ Gaussian). */
function boxBlur(img: Float32Array, w: number, h: number, r: number): void {
  const tmp = new Float32Array(img.length);
  for (let pass = 0; pass < 2; pass++) {
    for (let y = 0; y < h; y++) {
      let acc = 0;
      for (let x = -r; x <= r; x++) acc += img[y * w + Math.min(w - 1, Math.max(0, x))] ?? 0;
      for (let x = 0; x < w; x++) {
        tmp[y * w + x] = acc / (2 * r + 1);
        acc += (img[y * w + Math.min(w - 1, x + r + 1)] ?? 0) - (img[y * w + Math.max(0, x - r)] ?? 0);
      }
    }
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let y = -r; y <= r; y++) acc += tmp[Math.min(h - 1, Math.max(0, y)) * w + x] ?? 0;
      for (let y = 0; y < h; y++) {
        img[y * w + x] = acc / (2 * r + 1);
        acc += (tmp[Math.min(h - 1, y + r + 1) * w + x] ?? 0) - (tmp[Math.max(0, y - r) * w + x] ?? 0);
      }
    }
  }
}

/** Corners of the card as seen by a camera: 3D tilt, in-plane rotation, pinhole projection. */
function cardQuad(rng: Rng, fw: number, fh: number, cw: number, ch: number): Pt[] {
  const deg = Math.PI / 180;
  const ax = rng.float(-12, 12) * deg;
  const ay = rng.float(-10, 10) * deg;
  const az = rng.float(-8, 8) * deg;
  const f = fw * rng.float(0.9, 1.5);
  const corners: Pt[] = [
    [-cw / 2, -ch / 2],
    [cw / 2, -ch / 2],
    [cw / 2, ch / 2],
    [-cw / 2, ch / 2],
  ];
  const projected = corners.map(([x0, y0]): Pt => {
    // In-plane rotation, then tilt about x and y, then projection at distance f.
    const x1 = x0 * Math.cos(az) - y0 * Math.sin(az);
    const y1 = x0 * Math.sin(az) + y0 * Math.cos(az);
    const y2 = y1 * Math.cos(ax);
    const z2 = y1 * Math.sin(ax);
    const x3 = x1 * Math.cos(ay) + z2 * Math.sin(ay);
    const z3 = -x1 * Math.sin(ay) + z2 * Math.cos(ay);
    const s = f / (f + z3);
    return [x3 * s, y2 * s];
  });
  const xs = projected.map((p) => p[0]);
  const ys = projected.map((p) => p[1]);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const margin = 24;
  // People centre the card roughly: stay within the middle part of the free room.
  const placeX = (lo: number, hi: number): number => {
    const mid = (lo + hi) / 2;
    const half = Math.max(0, (hi - lo) / 2) * 0.6;
    return rng.float(mid - half, mid + half);
  };
  const cx = placeX(margin - minX, fw - margin - maxX);
  const cy = placeX(margin - minY, fh - margin - maxY);
  return projected.map(([x, y]): Pt => [x + cx, y + cy]);
}

/** A phone photo; `hard` makes its glare burn out or its focus miss (the random draws stay the same). */
async function photo(png: Buffer, rng: Rng, hard?: 'glare' | 'blur'): Promise<Captured> {
  const fw = 1600;
  const fh = 1200;
  const cardW = Math.round(fw * rng.float(0.45, 0.75));
  const src = await sharp(png).ensureAlpha().resize({ width: cardW, kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  const sw = src.info.width;
  const sh = src.info.height;
  const sd = src.data;
  const quad = cardQuad(rng, fw, fh, sw, sh);
  // Maps output pixels back into the card image.
  const H = homography(quad, [[0, 0], [sw, 0], [sw, sh], [0, sh]]);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = H as [number, number, number, number, number, number, number, number, number];

  const out = backgroundTexture(rng, fw, fh);
  // Coverage of the card in the frame, for the shadow and compositing.
  const cover = new Float32Array(fw * fh);
  const col = new Float32Array(fw * fh * 3);
  const minX = Math.max(0, Math.floor(Math.min(...quad.map((p) => p[0]))) - 1);
  const maxX = Math.min(fw - 1, Math.ceil(Math.max(...quad.map((p) => p[0]))) + 1);
  const minY = Math.max(0, Math.floor(Math.min(...quad.map((p) => p[1]))) - 1);
  const maxY = Math.min(fh - 1, Math.ceil(Math.max(...quad.map((p) => p[1]))) + 1);
  const texel = (x: number, y: number, c: number): number =>
    x < 0 || y < 0 || x >= sw || y >= sh ? 0 : (sd[(y * sw + x) * 4 + c] ?? 0);
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const wz = h6 * px + h7 * py + 1;
      const u = (h0 * px + h1 * py + h2) / wz - 0.5;
      const v = (h3 * px + h4 * py + h5) / wz - 0.5;
      if (u < -1 || v < -1 || u > sw || v > sh) continue;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      // Premultiplied bilinear sampling so that transparent corners blend cleanly.
      const a00 = texel(x0, y0, 3) / 255;
      const a10 = texel(x0 + 1, y0, 3) / 255;
      const a01 = texel(x0, y0 + 1, 3) / 255;
      const a11 = texel(x0 + 1, y0 + 1, 3) / 255;
      const a = w00 * a00 + w10 * a10 + w01 * a01 + w11 * a11;
      if (a <= 0) continue;
      const i = y * fw + x;
      cover[i] = a;
      for (let c = 0; c < 3; c++) {
        col[i * 3 + c] =
          w00 * a00 * texel(x0, y0, c) +
          w10 * a10 * texel(x0 + 1, y0, c) +
          w01 * a01 * texel(x0, y0 + 1, c) +
          w11 * a11 * texel(x0 + 1, y0 + 1, c);
      }
    }
  }
  // Soft drop shadow: blurred, offset coverage darkens the background.
  const shadow = new Float32Array(fw * fh);
  const sdx = rng.int(-14, 14);
  const sdy = rng.int(4, 20);
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const tx = x + sdx;
      const ty = y + sdy;
      if (tx >= 0 && ty >= 0 && tx < fw && ty < fh) shadow[ty * fw + tx] = cover[y * fw + x] ?? 0;
    }
  }
  boxBlur(shadow, fw, fh, rng.int(8, 18));
  const shadowStrength = rng.float(0.2, 0.45);

  // Lighting: directional gradient, vignette, colour cast, sometimes a glare spot on the card.
  const gdir = rng.float(0, Math.PI * 2);
  const gAmp = rng.float(0.08, 0.3);
  const vig = rng.float(0.1, 0.35);
  const exposure = rng.float(0.85, 1.1);
  const cast = [1 + rng.float(-0.03, 0.08), 1, 1 - rng.float(-0.03, 0.1)] as const;
  const glare = rng.chance(0.45) || hard === 'glare';
  const qc = quad.reduce((acc, p) => [acc[0] + p[0] / 4, acc[1] + p[1] / 4] as Pt, [0, 0] as Pt);
  const gx = qc[0] + rng.float(-0.3, 0.3) * cardW;
  const gy = qc[1] + rng.float(-0.2, 0.2) * cardW;
  const gs = rng.float(60, 180);
  // A burnt-out highlight: the peak goes past white, so its core is saturated.
  const gStrength = hard === 'glare' ? 2.2 + rng.float(0.25, 0.6) : rng.float(0.25, 0.6);
  const diag = Math.hypot(fw, fh) / 2;
  const rgb = Buffer.alloc(fw * fh * 3);
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const i = y * fw + x;
      const dx = x - fw / 2;
      const dy = y - fh / 2;
      const r = Math.hypot(dx, dy) / diag;
      const light = exposure * (1 + (gAmp * (dx * Math.cos(gdir) + dy * Math.sin(gdir))) / diag) * (1 - vig * r * r);
      const a = cover[i] ?? 0;
      const shade = 1 - shadowStrength * (shadow[i] ?? 0) * (1 - a);
      const g = glare ? Math.min(1, gStrength * Math.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * gs * gs)) * a) : 0;
      for (let c = 0; c < 3; c++) {
        const base = (out[i * 3 + c] ?? 0) * (1 - a) * shade + (col[i * 3 + c] ?? 0);
        const lit = base * light * (cast[c] ?? 1);
        rgb[i * 3 + c] = clamp255(lit + (255 - lit) * g);
      }
    }
  }
  // Optics first (blur), then the sensor (noise), then the phone's JPEG encoder.
  const blurred = await sharp(rgb, { raw: { width: fw, height: fh, channels: 3 } })
    .blur(rng.float(0.5, 1.5) * (hard === 'blur' ? 3 : 1))
    .raw()
    .toBuffer();
  const noise = rng.float(2, 6);
  for (let i = 0; i < blurred.length; i += 3) {
    const lum = (rng.next() + rng.next() + rng.next() - 1.5) * 2 * noise;
    for (let c = 0; c < 3; c++) blurred[i + c] = clamp255((blurred[i + c] ?? 0) + lum + (rng.next() - 0.5) * noise);
  }
  const data = await sharp(blurred, { raw: { width: fw, height: fh, channels: 3 } }).jpeg({ quality: rng.int(55, 85) }).toBuffer();
  return { data, ext: 'jpg' };
}
