/** Measurements on encoded test images: what a capture did, told from its pixels and bytes. */
import sharp from 'sharp';

/** ITU-T T.81 Annex K.1 luminance quantisation table, in the zig-zag order a DQT segment stores. */
const ANNEX_K_LUMA_ZIGZAG = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
  56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101,
  103, 99,
];

/** The IJG (libjpeg) quality scaling of the Annex K table. */
function ijgTable(q: number): number[] {
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  return ANNEX_K_LUMA_ZIGZAG.map((b) => Math.min(255, Math.max(1, Math.floor((b * scale + 50) / 100))));
}

/** The first DQT table (luminance) of a baseline JPEG, 64 entries in zig-zag order. */
export function lumaTable(jpeg: Buffer): number[] {
  for (let i = 2; i < jpeg.length - 4; ) {
    if (jpeg[i] !== 0xff) throw new Error('not a JPEG marker stream');
    const marker = jpeg[i + 1] ?? 0;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker === 0xdb) {
      const pq = (jpeg[i + 4] ?? 0) >> 4;
      if (pq !== 0) throw new Error('16-bit DQT');
      return [...jpeg.subarray(i + 5, i + 5 + 64)];
    }
    i += 2 + len;
  }
  throw new Error('no DQT');
}

/** The IJG quality (1–100) whose luminance table is nearest the file's. */
export function jpegQuality(jpeg: Buffer): number {
  const t = lumaTable(jpeg);
  let best = 0;
  let bestErr = Infinity;
  for (let q = 1; q <= 100; q++) {
    const err = ijgTable(q).reduce((s, v, k) => s + Math.abs(v - (t[k] ?? 0)), 0);
    if (err < bestErr) {
      bestErr = err;
      best = q;
    }
  }
  return best;
}

export interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Decoded RGB pixels, with or without applying the EXIF orientation. */
export async function rgb(image: Buffer, autoOrient = false): Promise<Pixels> {
  const img = autoOrient ? sharp(image).rotate() : sharp(image);
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export const luma = (p: Pixels, i: number): number =>
  0.299 * (p.data[i * 3] ?? 0) + 0.587 * (p.data[i * 3 + 1] ?? 0) + 0.114 * (p.data[i * 3 + 2] ?? 0);

/** Mean absolute difference of two same-size images, per channel value. */
export function meanAbsDiff(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs((a.data[i] ?? 0) - (b.data[i] ?? 0));
  return s / a.data.length;
}

/** Point-in-convex-quad test (corners in order). */
export function inQuad(quad: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const [x0, y0] = quad[k] ?? [0, 0];
    const [x1, y1] = quad[(k + 1) % 4] ?? [0, 0];
    const cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0);
    const s = Math.sign(cross);
    if (s !== 0 && sign !== 0 && s !== sign) return false;
    if (s !== 0) sign = s;
  }
  return true;
}
