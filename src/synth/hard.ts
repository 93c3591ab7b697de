/**
 * The hard captures: what back offices actually receive when the card is not scanned with
 * care. Each is a phone photo (photo.ts) or a scan (scan.ts) with one thing made hard, and
 * each imitates something seen in real submissions (cited per condition below).
 *
 * The photo's own random draws come from `rng` exactly as for an ordinary photo; the hard
 * part's draws come from `fx`, a separate stream derived from the same (seed, card index).
 * So a condition changes only what it is about: the shadowed photo is the plain photo with
 * a shadow on it.
 */
import type { Captured, CaptureMeta, CaptureOptions } from './captured.ts';
import { tiltDegrees, type Pose, type Pt } from './geometry.ts';
import { addSheen, drawFinger, drawShadowBand, fingerOccluder, shadowShade, wearCard } from './marks.ts';
import { photo, type PhotoEffects, type PhotoResult } from './photo.ts';
import { CARD_HEIGHT, CARD_WIDTH } from './render.ts';
import type { Rng } from './rng.ts';
import { encodeScan, scan } from './scan.ts';

export const HARD_CONDITIONS = [
  'shadow', 'small', 'perspective', 'sheen', 'worn', 'finger', 'jpeg', 'moire', 'motion', 'sideways-exif', 'sideways',
] as const;
export type HardCondition = (typeof HARD_CONDITIONS)[number];

const DEG = Math.PI / 180;

/** A photo's meta: where the card landed, how it was encoded. */
function photoMeta(r: PhotoResult, extra: CaptureMeta = {}): CaptureMeta {
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    frame: r.frame,
    quad: r.quad.map(([x, y]) => [round(x), round(y)] as const),
    tiltDeg: round(tiltDegrees(r.pose)),
    cardPx: r.card[0],
    jpegQuality: r.jpegQuality,
    ...extra,
  };
}

/** `extra`: what the condition did, or how to say it from the photo made (where its glare fell). */
async function shot(png: Buffer, rng: Rng, effects: PhotoEffects, extra?: CaptureMeta | ((r: PhotoResult) => CaptureMeta)): Promise<Captured> {
  const r = await photo(png, rng, effects);
  return { data: r.data, ext: 'jpg', meta: photoMeta(r, typeof extra === 'function' ? extra(r) : extra) };
}

/** Strong perspective: the card tilted 25–35° away from the camera, shot from close with a wide lens. */
function steepPose(fx: Rng, fw: number): Pose {
  const theta = fx.float(25, 35) * DEG;
  const phi = fx.float(0, 2 * Math.PI);
  const ax = theta * Math.cos(phi);
  // cos(ax)·cos(ay) = cos(θ): the card plane is tilted by exactly θ.
  const ay = Math.sign(Math.sin(phi) || 1) * Math.acos(Math.min(1, Math.cos(theta) / Math.cos(ax)));
  return { ax, ay, az: fx.float(-10, 10) * DEG, f: fw * fx.float(0.75, 1.1) };
}

/** Maps the photo's usual width fraction (0.45–0.75) onto [lo, hi]. */
const widthIn = (lo: number, hi: number) => (fraction: number): number => Math.round(lo + ((fraction - 0.45) / 0.3) * (hi - lo));

export async function hardCapture(png: Buffer, condition: HardCondition, rng: Rng, fx: Rng, opts: CaptureOptions): Promise<Captured> {
  switch (condition) {
    case 'shadow': {
      // A hand or the phone between the lamp and the card: a dark soft band, half of the time
      // over the MRZ (the issue-12 captures read the MRZ worst under such a shadow).
      const band = drawShadowBand(fx, CARD_WIDTH, CARD_HEIGHT);
      return shot(png, rng, { shade: shadowShade(band) }, { shadow: band });
    }
    case 'small': {
      // The card far from the camera: ≤ 600 px wide in a 2000–3000 px photo (a whole desk in frame).
      const fw = fx.int(2000, 3000);
      return shot(png, rng, { frame: [fw, Math.round(fw * 0.75)], cardWidth: widthIn(420, 600) });
    }
    case 'perspective':
      return shot(png, rng, { pose: steepPose(fx, 1600), cardWidth: widthIn(560, 860) });
    case 'sheen': {
      // The laminate's hologram catching a lamp: a rainbow film over the print, and a heavy
      // glare spot (its core burnt out when strength > 1, smaller than the `glare` condition's).
      const { png: shiny, sheen } = await addSheen(png, fx);
      const glare = { strength: fx.float(0.8, 1.4), size: fx.float(100, 200) };
      const at = (r: PhotoResult): Pt => [Math.round(r.glare!.at[0] * 10) / 10, Math.round(r.glare!.at[1] * 10) / 10];
      return shot(shiny, rng, { glare }, (r) => ({ sheen: { ...sheen, glareStrength: glare.strength, glareSize: glare.size, glareAt: at(r) } }));
    }
    case 'worn': {
      // Years in a wallet: faded, yellowed laminate, ink rubbed off in patches, scratches;
      // then scanned or photographed.
      const { png: worn, wear } = await wearCard(png, fx);
      if (fx.chance(0.5)) {
        const scanned = await encodeScan(await scan(worn, rng, rng.int(1000, 1300)), rng, opts);
        return { ...scanned, meta: { wear: { ...wear, base: 'scan' } } };
      }
      return shot(worn, rng, {}, { wear: { ...wear, base: 'photo' } });
    }
    case 'finger': {
      // The thumb that holds the card for the photo, over one corner (out of focus, so soft-edged).
      const finger = drawFinger(fx, CARD_WIDTH, CARD_HEIGHT);
      return shot(png, rng, { occluder: fingerOccluder(finger) }, { finger });
    }
    case 'jpeg':
      // A photo forwarded through a messenger or re-saved small: JPEG quality 10–25, 8×8 blocking.
      return shot(png, rng, { jpegQuality: fx.int(10, 25) });
    case 'moire': {
      // The scan shown on a monitor and photographed: the screen's sub-pixel grid beats with
      // the camera's pixels (moiré), a raised black level, the lens's slight blur.
      const dark = fx.chance(0.6);
      const grey = dark ? fx.int(18, 45) : fx.int(222, 245);
      const screen = {
        // Camera px per screen px near 1: the two grids beat into wide fringes.
        scale: fx.float(0.8, 1.15),
        stripeGap: fx.float(0.02, 0.05),
        rowGap: fx.float(0.08, 0.18),
        background: [grey, grey, Math.min(255, grey + 6)] as const,
        black: fx.float(8, 25),
        grid: fx.float(0.12, 0.3),
      };
      const pose: Pose = { ax: fx.float(-6, 6) * DEG, ay: fx.float(-6, 6) * DEG, az: fx.float(-4, 4) * DEG, f: 1600 * fx.float(1.2, 1.6) };
      return shot(png, rng, { screen, pose, cardWidth: widthIn(880, 1240), blurScale: 0.6 }, { screen });
    }
    case 'motion': {
      // The hand moving while the shutter is open: a directional smear of 5–14 px, 0.3–0.9% of
      // the frame's width (a longer smear is a photo anyone would take again).
      const motion = { length: fx.float(5, 14), angle: fx.float(0, Math.PI) };
      return shot(png, rng, { motion }, { motion: { length: motion.length, angleDeg: motion.angle / DEG } });
    }
    case 'sideways-exif':
    case 'sideways': {
      // Phones store the sensor's pixels as they came and say how to turn them in the EXIF
      // Orientation tag; apps that strip metadata (or re-save) lose the tag.
      const turn = fx.chance(0.5) ? 90 : 270;
      const exif = condition === 'sideways-exif';
      const meta: CaptureMeta = exif ? { turn, orientation: turn === 270 ? 6 : 8 } : { turn };
      return shot(png, rng, { sideways: { turn, exif } }, meta);
    }
  }
}
