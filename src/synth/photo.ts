/**
 * A phone photo of a card on a desk: the card warped into the frame by a camera pose, a soft
 * drop shadow, directional light, vignette, colour cast, sometimes a glare spot, lens blur,
 * sensor noise, the phone's JPEG encoder.
 *
 * The hard conditions (hard.ts) change a photo through `PhotoEffects`. Every random draw of an
 * ordinary photo happens in the same order whatever the effects are (an effect's own random
 * values come from elsewhere), so a shadowed photo is the same photo as the plain one with
 * the shadow added, and a plain photo is byte for byte what it always was.
 */
import sharp from 'sharp';
import { CARD_WIDTH } from './render.ts';
import { cardQuad, drawPose, homography, type Pose, type Pt } from './geometry.ts';
import type { Rng } from './rng.ts';
import { sampleScreen, type ScreenSpec } from './screen.ts';
import { backgroundTexture, boxBlur, clamp255, motionBlur } from './texture.ts';

/** Colour and opacity of something between the camera and the card (a finger), at one point. */
export interface Occlusion {
  readonly rgb: readonly [number, number, number];
  readonly alpha: number;
}

export interface PhotoEffects {
  /** Frame size in px (default 1600 × 1200). */
  readonly frame?: readonly [number, number];
  /** Card width in px, from the width fraction (0.45–0.75) every photo draws. */
  readonly cardWidth?: (fraction: number, frameWidth: number) => number;
  /** The camera pose, instead of the mild hand-held one every photo draws. */
  readonly pose?: Pose;
  /** `burn`: a highlight past white (the glare condition); or an explicit heavy glare spot. */
  readonly glare?: 'burn' | { readonly strength: number; readonly size: number };
  /** Lens blur multiplier (3 for the out-of-focus blur condition). */
  readonly blurScale?: number;
  /**
   * Light multiplier at a point of the card's plane, outside the card too: a cast shadow.
   * Points are in px of the card face as rendered (CARD_WIDTH × CARD_HEIGHT, render.ts).
   */
  readonly shade?: (u: number, v: number) => number;
  /** Something over the card at a point of the card's plane (card-face px), or null: a finger. */
  readonly occluder?: (u: number, v: number) => Occlusion | null;
  /** The card shown on a screen and photographed, instead of a card on a desk. */
  readonly screen?: ScreenSpec;
  /** Directional blur after the lens blur: length in px, angle in radians. */
  readonly motion?: { readonly length: number; readonly angle: number };
  /** JPEG quality instead of the phone's usual 55–85. */
  readonly jpegQuality?: number;
  /** Store the pixels turned clockwise by `turn`, with or without the EXIF tag that turns them back. */
  readonly sideways?: { readonly turn: 90 | 270; readonly exif: boolean };
}

export interface PhotoResult {
  readonly data: Buffer;
  /** Frame size (upright). */
  readonly frame: readonly [number, number];
  /** Card corners TL, TR, BR, BL in the upright frame. */
  readonly quad: readonly Pt[];
  /** Card size in card px (the texture that was warped). */
  readonly card: readonly [number, number];
  readonly pose: Pose;
  readonly jpegQuality: number;
  /** The glare spot lit on the card, when one was: its centre in the frame (px), size (the Gaussian's σ, px) and peak strength. */
  readonly glare?: GlareSpot;
}

/** A glare spot: each card pixel is lifted towards white by g = min(1, strength · exp(−d² / 2·size²)), d its distance from `at` (glareExposure). */
export interface GlareSpot {
  readonly at: Pt;
  readonly size: number;
  readonly strength: number;
}

/** A glare spot's light at frame point (x, y), before it is capped at 1 (white) on the card. */
export const glareExposure = (g: GlareSpot, x: number, y: number): number =>
  g.strength * Math.exp(-((x - g.at[0]) ** 2 + (y - g.at[1]) ** 2) / (2 * g.size * g.size));

type Homography = readonly [number, number, number, number, number, number, number, number, number];

/** Maps a frame pixel centre into card-face px (the texture's px × `unit`) through the homography. */
function toCard(H: Homography, unit: number, x: number, y: number): [number, number] {
  const px = x + 0.5;
  const py = y + 0.5;
  const wz = H[6] * px + H[7] * py + 1;
  return [((H[0] * px + H[1] * py + H[2]) / wz) * unit, ((H[3] * px + H[4] * py + H[5]) / wz) * unit];
}

interface Scene {
  cover: Float32Array;
  col: Float32Array;
  box: { minX: number; maxX: number; minY: number; maxY: number };
}

/** Premultiplied bilinear sampling of the card into the frame, inside the quad's bounding box. */
function sampleCard(src: { data: Buffer; width: number; height: number }, H: Homography, quad: readonly Pt[], fw: number, fh: number): Scene {
  const { data: sd, width: sw, height: sh } = src;
  const cover = new Float32Array(fw * fh);
  const col = new Float32Array(fw * fh * 3);
  const minX = Math.max(0, Math.floor(Math.min(...quad.map((p) => p[0]))) - 1);
  const maxX = Math.min(fw - 1, Math.ceil(Math.max(...quad.map((p) => p[0]))) + 1);
  const minY = Math.max(0, Math.floor(Math.min(...quad.map((p) => p[1]))) - 1);
  const maxY = Math.min(fh - 1, Math.ceil(Math.max(...quad.map((p) => p[1]))) + 1);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = H;
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
  return { cover, col, box: { minX, maxX, minY, maxY } };
}

/** Soft drop shadow of the card on the desk: blurred, offset coverage. */
function dropShadow(rng: Rng, scene: Scene, fw: number, fh: number): { shadow: Float32Array; strength: number } {
  const { cover, box } = scene;
  const shadow = new Float32Array(fw * fh);
  const sdx = rng.int(-14, 14);
  const sdy = rng.int(4, 20);
  for (let y = box.minY; y <= box.maxY; y++) {
    for (let x = box.minX; x <= box.maxX; x++) {
      const tx = x + sdx;
      const ty = y + sdy;
      if (tx >= 0 && ty >= 0 && tx < fw && ty < fh) shadow[ty * fw + tx] = cover[y * fw + x] ?? 0;
    }
  }
  boxBlur(shadow, fw, fh, rng.int(8, 18));
  return { shadow, strength: rng.float(0.2, 0.45) };
}

export async function photo(png: Buffer, rng: Rng, effects: PhotoEffects = {}): Promise<PhotoResult> {
  const [fw, fh] = effects.frame ?? [1600, 1200];
  const fraction = rng.float(0.45, 0.75);
  const cardW = effects.cardWidth ? effects.cardWidth(fraction, fw) : Math.round(fw * fraction);
  const src = await sharp(png).ensureAlpha().resize({ width: cardW, kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  const sw = src.info.width;
  const sh = src.info.height;
  const drawn = drawPose(rng, fw);
  const pose = effects.pose ?? drawn;
  const quad = cardQuad(rng, fw, fh, sw, sh, pose);
  // Maps output pixels back into the card image.
  const H = homography(quad, [[0, 0], [sw, 0], [sw, sh], [0, sh]]) as unknown as Homography;

  const out = effects.screen ? new Float32Array(fw * fh * 3) : backgroundTexture(rng, fw, fh);
  const card = { data: src.data, width: sw, height: sh };
  const scene = effects.screen ? sampleScreen(card, H, fw, fh, effects.screen) : sampleCard(card, H, quad, fw, fh);
  const { shadow, strength: shadowStrength } = dropShadow(rng, scene, fw, fh);
  const { rgb, glare } = light(rng, { out, scene, shadow, shadowStrength, H, quad, cardW, fw, fh, effects });

  // Optics first (blur), then the sensor (noise), then the phone's JPEG encoder.
  const blurred = await sharp(rgb, { raw: { width: fw, height: fh, channels: 3 } })
    .blur(rng.float(0.5, 1.5) * (effects.blurScale ?? 1))
    .raw()
    .toBuffer();
  if (effects.motion) motionBlur(blurred, fw, fh, effects.motion.length, effects.motion.angle);
  const noise = rng.float(2, 6);
  for (let i = 0; i < blurred.length; i += 3) {
    const lum = (rng.next() + rng.next() + rng.next() - 1.5) * 2 * noise;
    for (let c = 0; c < 3; c++) blurred[i + c] = clamp255((blurred[i + c] ?? 0) + lum + (rng.next() - 0.5) * noise);
  }
  const usual = rng.int(55, 85);
  const jpegQuality = effects.jpegQuality ?? usual;
  let img = sharp(blurred, { raw: { width: fw, height: fh, channels: 3 } });
  const side = effects.sideways;
  if (side) {
    // EXIF orientation 6 = "turn 90° clockwise to view", 8 = "turn 270°" (TIFF/EXIF 2.3 §4.6.4).
    img = sharp(await img.rotate(side.turn).raw().toBuffer(), { raw: { width: fh, height: fw, channels: 3 } });
    if (side.exif) img = img.withMetadata({ orientation: side.turn === 270 ? 6 : 8 });
  }
  const data = await img.jpeg({ quality: jpegQuality }).toBuffer();
  return { data, frame: [fw, fh], quad, card: [sw, sh], pose, jpegQuality, ...(glare ? { glare } : {}) };
}

interface LightInput {
  out: Float32Array;
  scene: Scene;
  shadow: Float32Array;
  shadowStrength: number;
  H: Homography;
  quad: readonly Pt[];
  cardW: number;
  fw: number;
  fh: number;
  effects: PhotoEffects;
}

/** Lighting: directional gradient, vignette, colour cast, a glare spot on the card sometimes; then a cast shadow or a finger. */
function light(rng: Rng, inp: LightInput): { rgb: Buffer; glare: GlareSpot | undefined } {
  const { out, scene, shadow, shadowStrength, H, quad, cardW, fw, fh, effects } = inp;
  const { cover, col } = scene;
  const gdir = rng.float(0, Math.PI * 2);
  const gAmp = rng.float(0.08, 0.3);
  const vig = rng.float(0.1, 0.35);
  const exposure = rng.float(0.85, 1.1);
  const cast = [1 + rng.float(-0.03, 0.08), 1, 1 - rng.float(-0.03, 0.1)] as const;
  const glare = rng.chance(0.45) || effects.glare !== undefined;
  const qc = quad.reduce((acc, p) => [acc[0] + p[0] / 4, acc[1] + p[1] / 4] as Pt, [0, 0] as Pt);
  const gx = qc[0] + rng.float(-0.3, 0.3) * cardW;
  const gy = qc[1] + rng.float(-0.2, 0.2) * cardW;
  let gs = rng.float(60, 180);
  // A burnt-out highlight: the peak goes past white, so its core is saturated.
  let gStrength = effects.glare === 'burn' ? 2.2 + rng.float(0.25, 0.6) : rng.float(0.25, 0.6);
  if (typeof effects.glare === 'object') {
    gs = effects.glare.size;
    gStrength = effects.glare.strength;
  }
  const spot: GlareSpot | undefined = glare ? { at: [gx, gy], size: gs, strength: gStrength } : undefined;
  const { shade, occluder } = effects;
  const unit = CARD_WIDTH / cardW;
  const diag = Math.hypot(fw, fh) / 2;
  const rgb = Buffer.alloc(fw * fh * 3);
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const i = y * fw + x;
      const dx = x - fw / 2;
      const dy = y - fh / 2;
      const r = Math.hypot(dx, dy) / diag;
      let light = exposure * (1 + (gAmp * (dx * Math.cos(gdir) + dy * Math.sin(gdir))) / diag) * (1 - vig * r * r);
      const uv = shade || occluder ? toCard(H, unit, x, y) : undefined;
      if (shade && uv) light *= shade(uv[0], uv[1]);
      const a = cover[i] ?? 0;
      const dropShade = 1 - shadowStrength * (shadow[i] ?? 0) * (1 - a);
      const g = spot ? Math.min(1, glareExposure(spot, x, y) * a) : 0;
      const over = occluder && uv ? occluder(uv[0], uv[1]) : null;
      for (let c = 0; c < 3; c++) {
        const base = (out[i * 3 + c] ?? 0) * (1 - a) * dropShade + (col[i * 3 + c] ?? 0);
        const lit = base * light * (cast[c] ?? 1);
        let v = lit + (255 - lit) * g;
        // The finger is nearer the lens than the card: lit by the room, not by the card's glare.
        if (over) v = v * (1 - over.alpha) + (over.rgb[c] ?? 0) * light * over.alpha;
        rgb[i * 3 + c] = clamp255(v);
      }
    }
  }
  return { rgb, glare: spot };
}
