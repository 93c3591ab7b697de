/**
 * Which printed values a capture hides outright: a finger over them, or a glare spot that
 * washes them out. The eval counts a field so hidden apart (issue 12: "MRZ fields ≥ 99.5%
 * except under occlusion"): no reader can read print that is not in the image, and the corpus
 * knows where it put both.
 */
import type { FieldName } from '../record.ts';
import type { CaptureMeta } from './captured.ts';
import { homography, type Pt } from './geometry.ts';
import { fingerOccluder } from './marks.ts';
import { glareExposure } from './photo.ts';
import { CARD_HEIGHT, CARD_WIDTH, type FieldRects, type Rect } from './render.ts';

/** An occluder at least this opaque hides the print under it (the finger's soft edge does not). */
const OPAQUE = 0.5;
/** A character is hidden when at least this share of its cell is under the opaque finger. */
const HIDDEN_SHARE = 0.5;
/** Sample points per character cell, per axis. */
const GRID = 5;
/**
 * A glare spot lifts the card towards white by g (src/synth/photo.ts), leaving the print
 * (1 − g) of its contrast; where it leaves under a twentieth (dark ink on the light card: under
 * 10 grey levels, within the photo's noise, σ 2–6, and its JPEG blocks), the print is washed
 * out. Measured on the hard eval's sheen cards (seeds 7, 31, 2026): of the 61 values so hidden,
 * 8 were read right: 7 the record also takes from elsewhere (a birth date or a name from the
 * MRZ), 1 an MRZ line. At a tenth of the contrast, 14 of 72.
 */
const GLARE_WASHED = 0.95;

/**
 * Whether some character of `value`, printed in `rect` (cells of equal width: exact for the
 * MRZ's OCR-B, close for the front's fonts), is hidden by `alphaAt`. A line's trailing fillers
 * are not: the line's fixed length gives them back (MRZ line 3 padded to 30).
 */
export function someCharacterHidden(rect: Rect, value: string, alphaAt: (u: number, v: number) => number): boolean {
  const n = Math.max(1, value.length);
  const cw = rect.w / n;
  // Cells up to the trailing fillers (all of them when the value is nothing but fillers).
  const printed = value.length - (value.match(/<*$/)?.[0].length ?? 0);
  const upTo = printed === 0 ? n : printed;
  for (let c = 0; c < upTo; c++) {
    let under = 0;
    for (let i = 0; i < GRID; i++) {
      for (let j = 0; j < GRID; j++) {
        if (alphaAt(rect.x + (c + (i + 0.5) / GRID) * cw, rect.y + ((j + 0.5) / GRID) * rect.h) >= OPAQUE) under++;
      }
    }
    if (under >= HIDDEN_SHARE * GRID * GRID) return true;
  }
  return false;
}

export interface SideLayout {
  readonly fields: FieldRects;
  readonly meta: CaptureMeta | undefined;
}

/**
 * The fields every recorded print of which has a character under a finger (a value recorded on
 * both sides is hidden only when hidden on both), in the order of `values`. The renderer records
 * a front value where its label prints it, and the MRZ lines with the stretches that are fields
 * (idMex, idNumber, citizenId); a value the record can also take from elsewhere (the sex or a
 * date from MRZ line 2 or the CURP) counts as hidden when its own print is, so the eval's figures
 * without the hidden fields leave out some fields read right, never one read from nothing.
 */
export function hiddenFields(values: Partial<Record<FieldName, string>>, sides: readonly SideLayout[]): FieldName[] {
  // What hides print on each side, once (none: nothing on that side is hidden).
  const hiders = sides.map((s) => hiderOf(s.meta));
  const hiddenOn = (k: number, field: FieldName, rect: Rect): boolean => {
    const at = hiders[k];
    return at !== undefined && someCharacterHidden(rect, values[field] ?? '', at);
  };
  return (Object.keys(values) as FieldName[]).filter((field) => {
    const copies = sides.flatMap((s, k) => (s.fields[field] ? [hiddenOn(k, field, s.fields[field]!)] : []));
    return copies.length > 0 && copies.every(Boolean);
  });
}

/** How much a side's capture hides the print at card point (u, v), 0–1: a finger's opacity, or 1 where a glare washed it out; undefined when nothing does. */
function hiderOf(meta: CaptureMeta | undefined): ((u: number, v: number) => number) | undefined {
  if (meta?.finger) {
    const finger = fingerOccluder(meta.finger);
    return (u, v) => finger(u, v)?.alpha ?? 0;
  }
  const sheen = meta?.sheen;
  if (sheen && meta.quad) {
    const corners: Pt[] = [[0, 0], [CARD_WIDTH, 0], [CARD_WIDTH, CARD_HEIGHT], [0, CARD_HEIGHT]];
    const h = homography(corners, meta.quad);
    const spot = { at: sheen.glareAt, size: sheen.glareSize, strength: sheen.glareStrength };
    return (u, v) => {
      const w = h[6]! * u + h[7]! * v + 1;
      const x = (h[0]! * u + h[1]! * v + h[2]!) / w;
      const y = (h[3]! * u + h[4]! * v + h[5]!) / w;
      // The frame's pixel (x, y) is sampled at its centre (x + 0.5).
      return glareExposure(spot, x - 0.5, y - 0.5) >= GLARE_WASHED ? 1 : 0;
    };
  }
  return undefined;
}
