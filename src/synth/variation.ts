/**
 * Per-card variation of the printed card, on top of the base style every card draws: real
 * cards differ by model, print run, printer and wear, so the corpus must not be one picture
 * of the card. Typeface, ink and stock tints, label sizes and spacing, where the text block
 * and the photo sit, the line pitch, the security pattern, the MRZ's placement.
 *
 * The variation is drawn from its own random stream, separate from the card's, and applied
 * without drawing from the card's stream: with NO_VARIATION a card is byte for byte what it
 * was before variation existed (the checked-in samples), and with a variation the same card
 * keeps its layout draws and only moves, recolours and changes typeface.
 */
import { VARIED_FAMILIES } from './fonts.ts';
import type { Rng } from './rng.ts';

export type PatternKind = 'none' | 'microtext' | 'dots' | 'lines';

export interface RenderVariation {
  /** Typeface of the values / the labels / the back's text; null keeps the base draw. */
  readonly valueFamily: string | null;
  readonly labelFamily: string | null;
  readonly backFamily: string | null;
  /** Multipliers of the base value and label sizes. */
  readonly valueScale: number;
  readonly labelScale: number;
  /** Gap between a label and its value, px (base 8). */
  readonly labelGap: number;
  /** Multiplier of the gap between the items of a row. */
  readonly itemGapScale: number;
  /** The whole text block shifted, px. */
  readonly textOffset: readonly [number, number];
  /** Multiplier of the line pitch. */
  readonly pitch: number;
  /** Ink of the values / the labels (CSS colour); null keeps the base draw. */
  readonly valueInk: string | null;
  readonly labelInk: string | null;
  /** Card stock tint: hue shift (degrees), saturation multiplier, lightness shift (points). */
  readonly tint: { readonly hue: number; readonly saturation: number; readonly lightness: number };
  /** Photo placement: shift (px) and size multiplier. */
  readonly photo: { readonly dx: number; readonly dy: number; readonly scale: number };
  /** Security print: strength multiplier of the guilloche, an extra pattern and its seed. */
  readonly pattern: { readonly strength: number; readonly extra: PatternKind; readonly seed: number };
  /** MRZ block shift (px) and ink lightness (null keeps the base draw). */
  readonly mrz: { readonly dx: number; readonly dy: number; readonly inkLightness: number | null };
}

/** The identity: the card exactly as the base style draws it. */
export const NO_VARIATION: RenderVariation = {
  valueFamily: null,
  labelFamily: null,
  backFamily: null,
  valueScale: 1,
  labelScale: 1,
  labelGap: 8,
  itemGapScale: 1,
  textOffset: [0, 0],
  pitch: 1,
  valueInk: null,
  labelInk: null,
  tint: { hue: 0, saturation: 1, lightness: 0 },
  photo: { dx: 0, dy: 0, scale: 1 },
  pattern: { strength: 1, extra: 'none', seed: 0 },
  mrz: { dx: 0, dy: 0, inkLightness: null },
};

const hsl = (h: number, s: number, l: number): string => `hsl(${h.toFixed(1)}, ${s.toFixed(1)}%, ${l.toFixed(1)}%)`;

/** Inks seen on cards of different print runs: black, blue-black, warm dark grey. */
function valueInk(rng: Rng): string | null {
  return rng.pick([
    null,
    hsl(rng.float(210, 235), rng.float(15, 45), rng.float(8, 20)),
    hsl(rng.float(20, 40), rng.float(5, 20), rng.float(10, 22)),
    hsl(0, 0, rng.float(10, 24)),
  ]);
}

/** Label inks: the base's magentas and greys, and reds, browns, blues of other runs. */
function labelInk(rng: Rng): string | null {
  return rng.pick([
    null,
    hsl(rng.float(0, 12), rng.float(45, 70), rng.float(30, 40)),
    hsl(rng.float(15, 30), rng.float(30, 50), rng.float(25, 35)),
    hsl(rng.float(200, 230), rng.float(30, 55), rng.float(28, 40)),
    hsl(rng.float(300, 320), rng.float(30, 55), rng.float(25, 38)),
  ]);
}

export function drawVariation(rng: Rng): RenderVariation {
  const family = (): string | null => (rng.chance(0.25) ? null : rng.pick(VARIED_FAMILIES));
  const valueFamily = family();
  return {
    valueFamily,
    labelFamily: rng.chance(0.5) ? valueFamily : family(),
    backFamily: family(),
    valueScale: rng.float(0.9, 1.06),
    labelScale: rng.float(0.85, 1.15),
    labelGap: rng.float(4, 14),
    itemGapScale: rng.float(0.75, 1.35),
    textOffset: [rng.float(-8, 8), rng.float(-6, 6)],
    pitch: rng.float(0.93, 1.08),
    valueInk: valueInk(rng),
    labelInk: labelInk(rng),
    tint: { hue: rng.float(-25, 25), saturation: rng.float(0.6, 1.4), lightness: rng.float(-4, 3) },
    photo: { dx: rng.float(-8, 8), dy: rng.float(-8, 8), scale: rng.float(0.94, 1.05) },
    pattern: { strength: rng.float(0.6, 1.7), extra: rng.pick(['none', 'microtext', 'dots', 'lines'] as const), seed: rng.uint32() },
    mrz: { dx: rng.float(-6, 6), dy: rng.float(-4, 4), inkLightness: rng.chance(0.5) ? null : rng.float(0, 22) },
  };
}
