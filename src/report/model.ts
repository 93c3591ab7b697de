/**
 * What the review page knows about each card: the record's outcome, its fields with verdict,
 * source, crop and box, and the flags the page filters on. Pure: images are cut elsewhere
 * (images.ts) and handed in as names and sizes.
 */
import { FIELD_NAMES, type CardRecord, type CardSide, type FieldName, type FieldSource, type Verdict } from '../record.ts';
import { scaleQuad, parseRegion } from './geometry.ts';

/** What a card asks of the reviewer: `flagged` (read, with review reasons), `failed` (not read), `ok`. */
export type CardKind = 'flagged' | 'failed' | 'ok';

/** Doubtful cards first: flagged, then failed, then the rest; file order within each. */
export const KIND_ORDER: Readonly<Record<CardKind, number>> = { flagged: 0, failed: 1, ok: 2 };

export function cardKind(r: CardRecord): CardKind {
  if (r.status !== 'ok') return 'failed';
  return r.review.length > 0 ? 'flagged' : 'ok';
}

/** The page's filters, one bit each in a card's `flags` (the page reads the same numbers). */
export const FILTER_BITS = { failed: 1, flagged: 2, invalid: 4, unverified: 8, poorCapture: 16 } as const;

/**
 * The problems a capture-quality cell names (`poor: blurry, glare; sharpness …` → blurry, glare);
 * empty for `good` or an empty cell. The cell's format is the record's (src/record.ts).
 */
export function captureProblems(cell: string): string[] {
  const m = /^poor:\s*([^;]*)/.exec(cell.trim());
  if (!m) return [];
  const problems = (m[1] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  return problems.length > 0 ? problems : ['poor'];
}

/** One side's image on the page: its thumbnail, or why there is none. */
export type PageImage =
  | { readonly src: string; readonly w: number; readonly h: number }
  | { readonly missing: 'no-path' | 'not-found' | 'unreadable'; readonly path: string };

/** What images.ts made for a card: a thumbnail per side (with its scale) and a crop per field. */
export interface CardImages {
  readonly sides: Readonly<Record<CardSide, PageImage>>;
  /** Thumbnail px per input px, per side with a thumbnail. */
  readonly scale: Readonly<Partial<Record<CardSide, number>>>;
  /** Per field, the field whose crop file (`<dir>/<field>.jpg`) shows it. */
  readonly crops: Readonly<Partial<Record<FieldName, FieldName>>>;
}

/** A field on the page (short keys: a 10,000-card page carries a quarter of a million). */
export interface PageField {
  /** Field name. */
  readonly n: FieldName;
  /** Value as read. */
  readonly v: string;
  /** Verdict, '' when the record has no check for it. */
  readonly c: Verdict | '';
  readonly s: FieldSource;
  /** Side its box is on: 0 front, 1 back. */
  readonly d?: 0 | 1;
  /** Its box on that side's thumbnail: x,y ×4 (TL TR BR BL). */
  readonly q?: number[];
  /** Its crop: `img/<r>/<x>.jpg` beside index.html (x: a field name; fields boxed alike share one). */
  readonly x?: FieldName;
}

export interface PageCard {
  /** Row number in the results file, from 0 (the key of the card's edits). */
  readonly r: number;
  readonly id: string;
  readonly k: CardKind;
  /** FILTER_BITS. */
  readonly flags: number;
  readonly status: string;
  readonly code: string;
  readonly error: string;
  /** Review reasons: [code, words]. */
  readonly review: (readonly [string, string])[];
  /** Warnings (failed checks, repairs): [code, words]. */
  readonly warnings: (readonly [string, string])[];
  /** Capture quality cells, front then back. */
  readonly quality: readonly [string, string];
  readonly images: readonly [PageImage, PageImage];
  /** The photo's box on the front thumbnail. */
  readonly face?: number[];
  /** Fields read (a value, a check or a box), in record order. */
  readonly fields: PageField[];
}

const SIDE_INDEX: Readonly<Record<CardSide, 0 | 1>> = { front: 0, back: 1 };

function pageField(r: CardRecord, n: FieldName, images: CardImages): PageField | undefined {
  const v = r[n];
  const check = r.checks[n];
  const box = r.fieldBoxes[n];
  if (v === '' && !check && !box) return undefined;
  const scale = box ? images.scale[box.side] : undefined;
  const crop = images.crops[n];
  return {
    n,
    v,
    c: check?.verdict ?? '',
    s: check?.source ?? '',
    ...(box ? { d: SIDE_INDEX[box.side] } : {}),
    ...(box && scale !== undefined ? { q: scaleQuad(box.quad, scale) } : {}),
    ...(crop ? { x: crop } : {}),
  };
}

function flagsOf(r: CardRecord, fields: readonly PageField[]): number {
  let flags = 0;
  const kind = cardKind(r);
  if (kind === 'failed') flags |= FILTER_BITS.failed;
  if (kind === 'flagged') flags |= FILTER_BITS.flagged;
  if (fields.some((f) => f.c === 'invalid')) flags |= FILTER_BITS.invalid;
  if (fields.some((f) => f.c === 'unverified')) flags |= FILTER_BITS.unverified;
  if (captureProblems(r.frontQuality).length + captureProblems(r.backQuality).length > 0) flags |= FILTER_BITS.poorCapture;
  return flags;
}

/** The page's view of record `row` (its number in the file) with its images. */
export function pageCard(r: CardRecord, row: number, images: CardImages): PageCard {
  const fields = FIELD_NAMES.map((n) => pageField(r, n, images)).filter((f): f is PageField => f !== undefined);
  const face = parseRegion(r.faceRegion);
  const frontScale = images.scale.front;
  return {
    r: row,
    id: r.id,
    k: cardKind(r),
    flags: flagsOf(r, fields),
    status: r.status,
    code: r.errorCode,
    error: r.errorMessage,
    review: r.review.map((x) => [x.code, x.message] as const),
    warnings: r.warnings.map((x) => [x.code, x.message] as const),
    quality: [r.frontQuality, r.backQuality],
    images: [images.sides.front, images.sides.back],
    ...(face && frontScale !== undefined ? { face: scaleQuad(face, frontScale) } : {}),
    fields,
  };
}

/** Cards in review order: doubtful first (KIND_ORDER), file order within a kind. */
export function reviewOrder(cards: readonly PageCard[]): PageCard[] {
  return [...cards].sort((a, b) => KIND_ORDER[a.k] - KIND_ORDER[b.k] || a.r - b.r);
}
