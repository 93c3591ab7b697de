/**
 * What gets between a card's print and the camera in the hard captures: a cast shadow, a
 * finger, a hologram's sheen, wear. Shapes are drawn from the given Rng and described in the
 * card's own pixels (u right, v down), so the same mark lands on the same print whatever the
 * camera does.
 */
import sharp from 'sharp';
import type { Occlusion } from './photo.ts';
import type { Rng } from './rng.ts';
import { clamp255, fbm, hslToRgb } from './texture.ts';

const smooth = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** Top and bottom of the MRZ band on the back, as fractions of the card height (render.ts). */
export const MRZ_BAND: readonly [number, number] = [0.68, 0.95];

// ---------------------------------------------------------------------------------------
// Cast shadow

/** A soft band of shadow across the card: a hand, an arm or the phone between lamp and card. */
export interface ShadowBand {
  /** Centre of the band, card px. */
  readonly centre: readonly [number, number];
  /** Direction of the band's long axis, radians. */
  readonly angle: number;
  /** Full width of the band's core, card px. */
  readonly width: number;
  /** Penumbra on each side, card px. */
  readonly soft: number;
  /** Light removed in the core (0–1). */
  readonly depth: number;
}

/** A band, half of the time laid over the MRZ's rows (cw × ch: the card's size in px). */
export function drawShadowBand(rng: Rng, cw: number, ch: number): ShadowBand & { overMrz: boolean } {
  const overMrz = rng.chance(0.5);
  const centre: [number, number] = overMrz
    ? [cw * rng.float(0.2, 0.8), ch * rng.float(MRZ_BAND[0] + 0.02, MRZ_BAND[1] - 0.03)]
    : [cw * rng.float(0.15, 0.85), ch * rng.float(0.1, 0.9)];
  const width = ch * rng.float(0.18, 0.4);
  return { centre, angle: rng.float(0, Math.PI), width, soft: width * rng.float(0.2, 0.5), depth: rng.float(0.45, 0.7), overMrz };
}

/** Light multiplier of the band at a point of the card's plane. */
export function shadowShade(b: ShadowBand): (u: number, v: number) => number {
  const nx = -Math.sin(b.angle);
  const ny = Math.cos(b.angle);
  return (u, v) => {
    const d = Math.abs((u - b.centre[0]) * nx + (v - b.centre[1]) * ny);
    return 1 - b.depth * (1 - smooth((d - b.width / 2) / b.soft));
  };
}

// ---------------------------------------------------------------------------------------
// Finger

export interface Finger {
  /** 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left (card corners). */
  readonly corner: 0 | 1 | 2 | 3;
  /** Fingertip centre, card px. */
  readonly tip: readonly [number, number];
  /** Direction from the hand to the tip, radians. */
  readonly angle: number;
  readonly radius: number;
  readonly skin: readonly [number, number, number];
}

/** A thumb holding the card: it comes from outside one corner and covers it. */
export function drawFinger(rng: Rng, cw: number, ch: number): Finger {
  const corner = rng.int(0, 3) as Finger['corner'];
  const cx = corner === 1 || corner === 2 ? cw : 0;
  const cy = corner >= 2 ? ch : 0;
  // Towards the card's centre, give or take 25°.
  const angle = Math.atan2(ch / 2 - cy, cw / 2 - cx) + rng.float(-0.45, 0.45);
  const reach = cw * rng.float(0.1, 0.2);
  const tip: [number, number] = [cx + Math.cos(angle) * reach, cy + Math.sin(angle) * reach];
  const skin = hslToRgb(rng.float(14, 30), rng.float(0.38, 0.62), rng.float(0.42, 0.72));
  return { corner, tip, angle, radius: cw * rng.float(0.08, 0.11), skin };
}

/** The finger as an occluder: a rounded capsule, shaded like a cylinder, a paler nail at the tip, soft edges (out of focus). */
export function fingerOccluder(f: Finger): (u: number, v: number) => Occlusion | null {
  const dx = Math.cos(f.angle);
  const dy = Math.sin(f.angle);
  const edge = f.radius * 0.12;
  return (u, v) => {
    const along = (u - f.tip[0]) * dx + (v - f.tip[1]) * dy; // > 0 beyond the tip
    const across = -(u - f.tip[0]) * dy + (v - f.tip[1]) * dx;
    const dist = along > 0 ? Math.hypot(along, across) : Math.abs(across);
    if (dist > f.radius + edge) return null;
    const alpha = smooth((f.radius + edge - dist) / (2 * edge));
    const round = Math.sqrt(Math.max(0, 1 - (Math.abs(across) / f.radius) ** 2));
    const shadeK = 0.55 + 0.45 * round;
    // The nail: an ellipse just behind the tip, paler and pinker than the skin.
    const inNail = ((along + f.radius * 0.55) / (f.radius * 0.6)) ** 2 + (across / (f.radius * 0.45)) ** 2;
    const nail = 0.35 * (1 - smooth((inNail - 0.8) / 0.4));
    const rgb = f.skin.map((c) => (c * (1 - nail) + 235 * nail) * shadeK) as [number, number, number];
    return { rgb, alpha };
  };
}

// ---------------------------------------------------------------------------------------
// Card-level changes (PNG in, PNG out)

async function editPixels(png: Buffer, edit: (px: Buffer, w: number, h: number) => void): Promise<Buffer> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  edit(data, info.width, info.height);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer();
}

export interface Sheen {
  /** Peak opacity of the coloured film. */
  readonly strength: number;
  /** Rainbow period along the card, px. */
  readonly period: number;
}

/**
 * A hologram's sheen: INE cards carry an iridescent laminate (waves and rosettes) that throws
 * rainbow colours over the print where it catches the light. A semi-transparent rainbow film,
 * patterned and strongest along one diagonal where the light reflects.
 */
export async function addSheen(png: Buffer, rng: Rng): Promise<{ png: Buffer; sheen: Sheen }> {
  const sheen: Sheen = { strength: rng.float(0.2, 0.4), period: rng.float(180, 420) };
  const hueAxis = rng.float(0, Math.PI);
  const lightAxis = rng.float(0, Math.PI);
  const ring = { x: rng.float(0.2, 0.8), y: rng.float(0.2, 0.8), k: rng.float(0.05, 0.12) };
  const wave = { k: rng.float(0.03, 0.08), a: rng.float(0, Math.PI) };
  const hue0 = rng.float(0, 360);
  const out = await editPixels(png, (px, w, h) => {
    const reach = Math.hypot(w, h) * rng.float(0.18, 0.32);
    const offset = rng.float(-0.25, 0.25) * Math.hypot(w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const d = (x - w / 2) * -Math.sin(lightAxis) + (y - h / 2) * Math.cos(lightAxis) - offset;
        const envelope = Math.exp(-(d * d) / (2 * reach * reach));
        const r = Math.hypot(x - ring.x * w, y - ring.y * h);
        const pattern = 0.55 + 0.45 * Math.sin(r * ring.k) * Math.sin((x * Math.cos(wave.a) + y * Math.sin(wave.a)) * wave.k);
        const alpha = sheen.strength * envelope * pattern;
        const hue = (hue0 + ((x * Math.cos(hueAxis) + y * Math.sin(hueAxis)) / sheen.period) * 360) % 360;
        const film = hslToRgb(hue, 0.9, 0.62);
        const i = (y * w + x) * 4;
        for (let c = 0; c < 3; c++) px[i + c] = clamp255((px[i + c] ?? 0) * (1 - alpha) + (film[c] ?? 0) * alpha);
      }
    }
  });
  return { png: out, sheen };
}

export interface Wear {
  /** How far the print is faded toward the card stock (0–1). */
  readonly fade: number;
  /** Share of the card where patches of ink are lost. */
  readonly lossArea: number;
  readonly scratches: number;
}

/**
 * Worn print: a card carried for years in a wallet. The laminate fades and yellows (lower
 * contrast), ink rubs off in patches (worst on raised, handled areas), and fine scratches
 * catch the light as pale lines.
 */
export async function wearCard(png: Buffer, rng: Rng): Promise<{ png: Buffer; wear: Wear }> {
  const fade = rng.float(0.2, 0.4);
  const threshold = rng.float(0.52, 0.6);
  const maxLoss = rng.float(0.55, 0.85);
  const yellow = rng.float(0.9, 0.97);
  const scratches = rng.int(10, 30);
  let lost = 0;
  let area = 1;
  const out = await editPixels(png, (px, w, h) => {
    const patches = fbm(rng, w, h, rng.int(50, 110), 3);
    const stock = [236, 232, 220];
    area = w * h;
    for (let i = 0; i < w * h; i++) {
      const n = patches[i] ?? 0;
      const loss = maxLoss * smooth((n - threshold) / 0.12) * (0.6 + 0.4 * rng.next());
      if (loss > 0.25) lost++;
      const k = 1 - (1 - fade) * (1 - loss);
      for (let c = 0; c < 3; c++) {
        const v = (px[i * 4 + c] ?? 0) * (1 - k) + (stock[c] ?? 0) * k;
        px[i * 4 + c] = clamp255(c === 2 ? v * yellow : v);
      }
    }
    for (let s = 0; s < scratches; s++) scratch(rng, px, w, h);
  });
  return { png: out, wear: { fade, lossArea: lost / area, scratches } };
}

/** One pale scratch: a gently curved line, 1–2 px wide. */
function scratch(rng: Rng, px: Buffer, w: number, h: number): void {
  const x0 = rng.float(0, w);
  const y0 = rng.float(0, h);
  const len = rng.float(40, 400);
  const a = rng.float(0, Math.PI * 2);
  const bend = rng.float(-0.002, 0.002);
  const strength = rng.float(0.35, 0.75);
  for (let t = 0; t < len; t += 0.7) {
    const ang = a + bend * t;
    const x = Math.round(x0 + Math.cos(ang) * t);
    const y = Math.round(y0 + Math.sin(ang) * t);
    if (x < 0 || y < 0 || x >= w || y >= h) continue;
    const i = (y * w + x) * 4;
    if ((px[i + 3] ?? 0) === 0) continue;
    for (let c = 0; c < 3; c++) px[i + c] = clamp255((px[i + c] ?? 0) * (1 - strength) + 250 * strength);
  }
}
