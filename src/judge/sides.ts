/**
 * Which image is which side, and whether an image is a card side at all, from what each image
 * shows: an INE MRZ and how many of its check digits pass, another document's MRZ, the front's
 * labels and codes, or no text. Pure. A "MRZ" that fails its checks never decides a side.
 */
import type { InocrCode } from '../errors.ts';
import { frontStrength, INE_BACK_MIN_CHECKS, looksLikeFront, PROSE_PAGE_LINES, type ForeignMrz } from '../extract/document.ts';
import type { FrontReading } from '../extract/front.ts';
import type { CardSide } from '../record.ts';

/** What one image shows, as evidence for its side. */
export interface ImageEvidence {
  /** Characters of text read in it. */
  readonly textChars: number;
  /** An INE MRZ was located (whatever its checks). */
  readonly ineMrz: boolean;
  /** Of its four check digits, how many pass. */
  readonly ineMrzChecks: number;
  /** Another document's machine-readable zone. */
  readonly foreignMrz: ForeignMrz | null;
  /** The image read as a front. */
  readonly front: FrontReading;
  /** Lines of running text (paragraphs): what a letter or a bill prints and no card side does. */
  readonly proseLines: number;
}

/** Why a pair cannot be read as a card, as a code and what was found (never a field value). */
export type SideFinding =
  | { readonly kind: 'blank'; readonly side: CardSide }
  | { readonly kind: 'foreign-mrz'; readonly side: CardSide; readonly mrz: ForeignMrz }
  | { readonly kind: 'two-backs' }
  | { readonly kind: 'two-fronts' }
  | { readonly kind: 'front-shows-back' }
  | { readonly kind: 'back-shows-front' }
  | { readonly kind: 'not-front' }
  | { readonly kind: 'not-back' }
  | { readonly kind: 'not-a-card' }
  | { readonly kind: 'no-back-found' };

export type SidesDecision =
  | { readonly ok: true; readonly front: 0 | 1; readonly back: 0 | 1 }
  /** Neither image's evidence settles it: read both ways and keep the consistent reading. */
  | { readonly ok: 'ambiguous' }
  | { readonly ok: false; readonly code: InocrCode; readonly finding: SideFinding };

export const isBack = (e: ImageEvidence): boolean => e.ineMrz && e.ineMrzChecks >= INE_BACK_MIN_CHECKS;
export const isFront = (e: ImageEvidence): boolean => !isBack(e) && looksLikeFront(e.front);

/** What no card side can be, whatever its place: blank, or another document's zone. */
function notACardSide(images: readonly [ImageEvidence, ImageEvidence], sides: readonly [CardSide, CardSide]): SidesDecision | undefined {
  if (images[0].textChars === 0 && images[1].textChars === 0) return undefined; // both blank: the reader's INOCR012
  for (const i of [0, 1] as const) {
    const mrz = images[i].foreignMrz;
    if (mrz) return { ok: false, code: 'INOCR004', finding: { kind: 'foreign-mrz', side: sides[i], mrz } };
  }
  for (const i of [0, 1] as const) {
    if (images[i].textChars === 0) return { ok: false, code: 'INOCR012', finding: { kind: 'blank', side: sides[i] } };
  }
  if (images.every(showsNothingOfACard)) return { ok: false, code: 'INOCR004', finding: { kind: 'not-a-card' } };
  return undefined;
}

/**
 * Text, but nothing a card side prints: no INE MRZ (however badly read) and at most a label or
 * two of a front, without its codes. When both images are so, the pair is another document.
 */
const showsNothingOfACard = (e: ImageEvidence): boolean => !e.ineMrz && frontStrength(e.front) <= NOT_A_FRONT_STRENGTH;

/**
 * A pair whose names say which is the front: the names are believed unless the images say
 * otherwise — the front showing an MRZ that passes its checks while the back shows a front (the
 * two were swapped), two backs, two fronts, or a side that is not a card's. A back whose MRZ
 * could not be read is still read (its fields empty, the record flagged for review): only what
 * it shows instead of an MRZ (another document's zone, a front, nothing) is an error.
 */
export function decideNamedPair(front: ImageEvidence, back: ImageEvidence): SidesDecision {
  const blocked = notACardSide([front, back], ['front', 'back']);
  if (blocked) return blocked;
  if (isBack(front)) {
    if (isBack(back)) return { ok: false, code: 'INOCR002', finding: { kind: 'two-backs' } };
    return isFront(back) ? { ok: true, front: 1, back: 0 } : { ok: false, code: 'INOCR002', finding: { kind: 'front-shows-back' } };
  }
  if (!back.ineMrz && isFront(back)) {
    if (isFront(front)) return { ok: false, code: 'INOCR003', finding: { kind: 'two-fronts' } };
    return front.ineMrz ? { ok: true, front: 1, back: 0 } : { ok: false, code: 'INOCR003', finding: { kind: 'back-shows-front' } };
  }
  if (isDocument(front)) return { ok: false, code: 'INOCR004', finding: { kind: 'not-front' } };
  if (!back.ineMrz && back.proseLines >= PROSE_PAGE_LINES) return { ok: false, code: 'INOCR004', finding: { kind: 'not-back' } };
  return { ok: true, front: 0, back: 1 };
}

/**
 * A front this weak is no card's front (a label or two found in prose, no code); with running
 * text beside it, the image is a document. A blurred genuine front shows little text and no
 * paragraphs: it is read, its doubtful fields flagged.
 */
export const NOT_A_FRONT_STRENGTH = 2;

const isDocument = (e: ImageEvidence): boolean => !e.ineMrz && frontStrength(e.front) <= NOT_A_FRONT_STRENGTH && e.proseLines >= PROSE_PAGE_LINES;

/**
 * Two images whose names do not say which side is which (consecutive camera names): the back
 * is the one whose MRZ passes more check digits (enough of them); else the one that is not a
 * front when the other is; else both readings are tried.
 */
export function decideUnsided(a: ImageEvidence, b: ImageEvidence): SidesDecision {
  const blocked = notACardSide([a, b], ['front', 'back']);
  if (blocked) return blocked;
  const backA = isBack(a);
  const backB = isBack(b);
  if (backA && backB) {
    if (a.ineMrzChecks !== b.ineMrzChecks) return a.ineMrzChecks > b.ineMrzChecks ? { ok: true, front: 1, back: 0 } : { ok: true, front: 0, back: 1 };
    return isFront(a) || isFront(b) ? { ok: 'ambiguous' } : { ok: false, code: 'INOCR002', finding: { kind: 'two-backs' } };
  }
  if (backA) return { ok: true, front: 1, back: 0 };
  if (backB) return { ok: true, front: 0, back: 1 };
  const frontA = isFront(a);
  const frontB = isFront(b);
  if (frontA && frontB && !a.ineMrz && !b.ineMrz) return { ok: false, code: 'INOCR003', finding: { kind: 'two-fronts' } };
  if (frontA && b.ineMrz && !frontB) return { ok: true, front: 0, back: 1 };
  if (frontB && a.ineMrz && !frontA) return { ok: true, front: 1, back: 0 };
  if (!a.ineMrz && !b.ineMrz) return { ok: false, code: 'INOCR003', finding: { kind: 'no-back-found' } };
  return { ok: 'ambiguous' };
}

/** What was found, in words for the error message (no field value). */
export function describeFinding(f: SideFinding, names?: readonly [string, string]): string {
  const side = (s: CardSide): string => `The ${s} image`;
  switch (f.kind) {
    case 'blank':
      return `${side(f.side)} shows no text: it is blank, or not a card.`;
    case 'foreign-mrz': {
      const what = f.mrz.format === 'TD3' ? 'a passport' : f.mrz.format === 'MRV' ? 'a visa' : `an identity document (${f.mrz.format})`;
      const issuer = f.mrz.issuer.replace(/</g, '');
      return `${side(f.side)} is not an INE/IFE voter card: its machine-readable zone is ${what}'s${issuer ? `, issued by ${issuer}` : ''} (document code ${f.mrz.documentCode.replace(/</g, '')}).`;
    }
    case 'two-backs':
      return 'Both images show the back of a card (an MRZ that passes its check digits); the front is required.';
    case 'two-fronts':
      return 'Both images show the front of a card (its labels and codes, no MRZ); the back is required.';
    case 'front-shows-back':
      return 'The front image shows the back of a card (an MRZ that passes its check digits), and the back image is not a card front; the front is required.';
    case 'back-shows-front':
      return 'The back image shows the front of a card (its labels and codes) and the front image shows no MRZ; the back is required.';
    case 'not-front':
      return 'The front image is not the front of an INE/IFE voter card: running text, no card labels in their layout, no CURP or clave de elector.';
    case 'not-back':
      return 'The back image is not the back of an INE/IFE voter card: running text and no MRZ.';
    case 'not-a-card':
      return 'Text was read, but neither image is a side of an INE/IFE voter card: no MRZ, no card labels with their codes.';
    case 'no-back-found':
      return `Neither image shows the back of a card (no MRZ found)${names ? `: ${names[0]}, ${names[1]}` : ''}.`;
  }
}
