/**
 * Flat synthetic cards whose field boxes are known: the rendered card on a white margin,
 * saved as JPEG, with where each printed value is in that image (the record's `fieldBoxes`
 * convention: TL TR BR BL of the upright text, in the image's pixels with EXIF orientation
 * applied). For the review page's tests and bench, which need true boxes to check crops.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { FIELD_NAMES, newRecord, type CardFields, type CardRecord, type FieldBox, type FieldBoxes, type FieldName, type ReviewReason, type Verdict } from '../record.ts';
import { generateIdentity, truthFields, type CardModel } from './identity.ts';
import { renderBack, renderFront, type FieldRects, type Rect } from './render.ts';
import { createRng } from './rng.ts';

export interface FlatCardOptions {
  readonly seed: number;
  readonly index: number;
  readonly model: CardModel;
  readonly outDir: string;
  readonly id: string;
  /** White border around the card, px (default 30). */
  readonly margin?: number;
  /**
   * EXIF orientation to save with (default 1, none): the pixels are stored turned so that a
   * viewer applying the tag shows the card upright, as phones save photos. The boxes stay in
   * the upright image.
   */
  readonly orientation?: 1 | 3 | 6 | 8;
}

export interface FlatCard {
  readonly id: string;
  readonly frontPath: string;
  readonly backPath: string;
  readonly fields: CardFields;
  /** Every printed value's box: front values on the front, MRZ lines and their parts on the back. */
  readonly boxes: FieldBoxes;
}

/** The turn (clockwise degrees) that stores an upright image so that EXIF `orientation` shows it upright. */
const STORE_TURN: Readonly<Record<1 | 3 | 6 | 8, number>> = { 1: 0, 3: 180, 6: 270, 8: 90 };

function quad(r: Rect, margin: number): FieldBox['quad'] {
  const x0 = r.x + margin;
  const y0 = r.y + margin;
  return [[x0, y0], [x0 + r.w, y0], [x0 + r.w, y0 + r.h], [x0, y0 + r.h]];
}

async function save(png: Buffer, file: string, margin: number, orientation: 1 | 3 | 6 | 8): Promise<void> {
  const white = { r: 255, g: 255, b: 255, alpha: 1 };
  const framed = await sharp(png).flatten({ background: white }).extend({ top: margin, bottom: margin, left: margin, right: margin, background: white }).png().toBuffer();
  let img = sharp(framed).rotate(STORE_TURN[orientation]);
  if (orientation !== 1) img = img.withMetadata({ orientation });
  await writeFile(file, await img.jpeg({ quality: 88 }).toBuffer());
}

/** Writes `<id>_front.jpg` and `<id>_back.jpg` into `outDir`, and returns their truth and boxes. */
export async function writeFlatCard(o: FlatCardOptions): Promise<FlatCard> {
  const margin = o.margin ?? 30;
  const rng = createRng(`flat/${o.seed}/${o.index}`);
  const card = generateIdentity(rng.fork('identity'), { model: o.model });
  const front: { fields: FieldRects } = { fields: {} };
  const back: { fields: FieldRects } = { fields: {} };
  const frontPng = renderFront(card, rng.fork('front'), front);
  const backPng = renderBack(card, rng.fork('back'), undefined, back);
  await mkdir(o.outDir, { recursive: true });
  const frontPath = path.join(o.outDir, `${o.id}_front.jpg`);
  const backPath = path.join(o.outDir, `${o.id}_back.jpg`);
  await save(frontPng, frontPath, margin, o.orientation ?? 1);
  await save(backPng, backPath, margin, o.orientation ?? 1);
  const boxes: Partial<Record<FieldName, FieldBox>> = {};
  for (const [side, rects] of [['front', front.fields], ['back', back.fields]] as const) {
    for (const [field, r] of Object.entries(rects) as [FieldName, Rect][]) boxes[field] ??= { side, quad: quad(r, margin) };
  }
  return { id: o.id, frontPath, backPath, fields: truthFields(card), boxes };
}

export interface TruthRecordOptions {
  readonly review?: ReviewReason[];
  /** Verdicts other than `valid`. */
  readonly verdicts?: Partial<Record<FieldName, Verdict>>;
  readonly frontQuality?: string;
  /** Image paths as the record names them (default: the file names, relative to the results). */
  readonly front?: string;
  readonly back?: string;
}

/**
 * The record of a flat card read perfectly: its true values, each `valid` (unless told
 * otherwise) from the side it is boxed on, with its true box; images named by file name
 * (relative to results written beside them) unless given.
 */
export function truthRecord(card: FlatCard, o: TruthRecordOptions = {}): CardRecord {
  const r = newRecord(card.id, o.front ?? path.basename(card.frontPath), o.back ?? path.basename(card.backPath));
  for (const f of FIELD_NAMES) {
    const v = card.fields[f];
    if (v === '') continue;
    r[f] = v;
    const box = card.boxes[f];
    r.checks[f] = { verdict: o.verdicts?.[f] ?? 'valid', source: box ? box.side : 'derived' };
    if (box) r.fieldBoxes[f] = box;
  }
  r.review = o.review ?? [];
  r.frontQuality = o.frontQuality ?? 'good; sharpness 0.55, glare 0.00, card 1012 px, outline found';
  r.backQuality = 'good; sharpness 0.52, glare 0.00, card 1012 px, outline found';
  return r;
}
