/**
 * Which printed values a capture hides outright: a finger over them. The eval counts a field
 * the finger covers apart (issue 12: "MRZ fields ≥ 99.5% except under occlusion"): no reader
 * can read print that is not in the image, and the corpus knows where it put both.
 */
import type { FieldName } from '../record.ts';
import type { CaptureMeta } from './captured.ts';
import { fingerOccluder } from './marks.ts';
import type { FieldRects, Rect } from './render.ts';

/** An occluder at least this opaque hides the print under it (the finger's soft edge does not). */
const OPAQUE = 0.5;
/** A character is hidden when at least this share of its cell is under the opaque finger. */
const HIDDEN_SHARE = 0.5;
/** Sample points per character cell, per axis. */
const GRID = 5;

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
  // Each side's finger as an occluder, once (none: nothing on that side is hidden).
  const fingers = sides.map((s) => (s.meta?.finger ? fingerOccluder(s.meta.finger) : undefined));
  const hiddenOn = (k: number, field: FieldName, rect: Rect): boolean => {
    const at = fingers[k];
    return at !== undefined && someCharacterHidden(rect, values[field] ?? '', (u, v) => at(u, v)?.alpha ?? 0);
  };
  return (Object.keys(values) as FieldName[]).filter((field) => {
    const copies = sides.flatMap((s, k) => (s.fields[field] ? [hiddenOn(k, field, s.fields[field]!)] : []));
    return copies.length > 0 && copies.every(Boolean);
  });
}
