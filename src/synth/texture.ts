/**
 * Pixel-level helpers of the capture simulation: smooth random noise, the desk under a phone
 * photo, blurs. Every random choice comes from the given Rng.
 */
import type { Rng } from './rng.ts';

export function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Value noise in [0,1] on a w×h grid, interpolated smoothly from random values every `cell` px. */
export function valueNoise(rng: Rng, w: number, h: number, cell: number): Float32Array {
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
export function fbm(rng: Rng, w: number, h: number, cell: number, octaves: number): Float32Array {
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

export function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** A desk/wood/fabric-like texture as RGB floats. */
export function backgroundTexture(rng: Rng, w: number, h: number): Float32Array {
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
export function boxBlur(img: Float32Array, w: number, h: number, r: number): void {
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

/**
 * Motion blur, in place on packed RGB: each pixel becomes the mean of `length` px of the image
 * along `angle` (radians), centred on it — the smear of a camera moving during the exposure.
 */
export function motionBlur(rgb: Buffer, w: number, h: number, length: number, angle: number): void {
  const n = Math.max(2, Math.round(length));
  const steps: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const t = (k / (n - 1) - 0.5) * length;
    steps.push([Math.round(t * Math.cos(angle)), Math.round(t * Math.sin(angle))]);
  }
  const src = Buffer.from(rgb);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of steps) {
        const sx = Math.min(w - 1, Math.max(0, x + dx));
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        const j = (sy * w + sx) * 3;
        r += src[j] ?? 0;
        g += src[j + 1] ?? 0;
        b += src[j + 2] ?? 0;
      }
      const i = (y * w + x) * 3;
      rgb[i] = Math.round(r / n);
      rgb[i + 1] = Math.round(g / n);
      rgb[i + 2] = Math.round(b / n);
    }
  }
}
