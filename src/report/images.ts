/**
 * A card's pictures for the review page: each side's image decoded ONCE (EXIF orientation
 * applied, the convention of the record's quads), a thumbnail and every field's crop cut from
 * that one raster, written as small JPEGs. A missing or undecodable image is not an error of
 * the report: the page shows it as missing.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { InocrError } from '../errors.ts';
import { warpRgb, type Point } from '../pipeline/locate.ts';
import { FIELD_NAMES, type CardRecord, type CardSide, type FieldName } from '../record.ts';
import type { OutputDir } from './files.ts';
import { planCrop, quadIn, quadKey, type Quad, type Region } from './geometry.ts';
import type { CardImages, PageImage } from './model.ts';

/** Thumbnails fit in THUMB.width × THUMB.height: shown side by side at 1280 px (a little smaller, sharp on dense screens). */
export const THUMB = { width: 480, height: 360, quality: 72 } as const;
/** Crops are small and read closely: a little more quality than thumbnails. */
export const CROP_QUALITY = 80;
/** Decoded images past this many pixels are refused (as the reader refuses them). */
const MAX_PIXELS = 100_000_000;

/** An sRGB image, 3 bytes per pixel, rows top to bottom. */
export interface Rgb {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Decodes an image file once: EXIF orientation applied, transparency flattened on white, sRGB. */
export async function decodeRgb(file: string): Promise<Rgb> {
  try {
    const { data, info } = await sharp(file, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new InocrError('INOCR015', `The image could not be decoded: ${file}`, { cause: err });
  }
}

/** The pixels of `region` as an image of their own. */
export function copyRegion(img: Rgb, r: Region): Rgb {
  const out = Buffer.allocUnsafe(r.width * r.height * 3);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.top + y) * img.width + r.left) * 3;
    img.data.copy(out, y * r.width * 3, from, from + r.width * 3);
  }
  return { data: out, width: r.width, height: r.height };
}

const raw = (img: Rgb): sharp.Sharp => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });

/** The thumbnail (JPEG) and its scale, thumbnail px per image px. */
export async function thumbnail(img: Rgb): Promise<{ jpeg: Buffer; width: number; height: number; scale: number }> {
  const { data, info } = await raw(img)
    .resize({ width: THUMB.width, height: THUMB.height, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: THUMB.quality })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height, scale: info.width / img.width };
}

/** The upright crop of the text in `quad` (with margins), as a JPEG; undefined when the box is off the image. */
export async function cropField(img: Rgb, quad: Quad): Promise<Buffer | undefined> {
  const plan = planCrop(quad, img.width, img.height);
  if (!plan) return undefined;
  const part = copyRegion(img, plan.region);
  const corners = quadIn(plan.quad, plan.region).map(([x, y]): Point => ({ x, y })) as [Point, Point, Point, Point];
  const upright = await warpRgb(part, corners, plan.width, plan.height);
  return sharp(upright, { raw: { width: plan.width, height: plan.height, channels: 3 } }).jpeg({ quality: CROP_QUALITY }).toBuffer();
}

/** Where to find an image the results name: relative to the results file's folder, else as given. */
export type ResolveImage = (path: string) => Promise<string | undefined>;

export function imageResolver(resultsDir: string, cwd = process.cwd()): ResolveImage {
  return async (p) => {
    const candidates = path.isAbsolute(p) ? [p] : [path.resolve(resultsDir, p), path.resolve(cwd, p)];
    for (const c of candidates) {
      try {
        if ((await stat(c)).isFile()) return c;
      } catch {
        // Not there: try the next place.
      }
    }
    return undefined;
  };
}

/** Where a card's images come from: the path resolver, and the decoder (a seam for tests that count decodes). */
export interface ImageSource {
  readonly resolve: ResolveImage;
  readonly decode?: (file: string) => Promise<Rgb>;
}

/** One side: its thumbnail and the crops of the fields boxed on it, all from one decode. */
async function sideImages(
  r: CardRecord,
  side: CardSide,
  dir: string,
  out: OutputDir,
  src: ImageSource,
  crops: Partial<Record<FieldName, FieldName>>,
): Promise<{ image: PageImage; scale?: number }> {
  const given = r[side];
  if (given === '') return { image: { missing: 'no-path', path: '' } };
  const file = await src.resolve(given);
  if (!file) return { image: { missing: 'not-found', path: given } };
  let img: Rgb;
  try {
    img = await (src.decode ?? decodeRgb)(file);
  } catch {
    return { image: { missing: 'unreadable', path: given } };
  }
  const thumb = await thumbnail(img);
  const thumbName = `${dir}/${side}.jpg`;
  await out.write(thumbName, thumb.jpeg);
  const cut = new Map<string, FieldName>();
  for (const field of FIELD_NAMES) {
    const box = r.fieldBoxes[field];
    if (box?.side !== side) continue;
    const key = quadKey(side, box.quad);
    const same = cut.get(key);
    if (same) {
      crops[field] = same;
      continue;
    }
    const jpeg = await cropField(img, box.quad);
    if (!jpeg) continue;
    await out.write(`${dir}/${field}.jpg`, jpeg);
    cut.set(key, field);
    crops[field] = field;
  }
  return { image: { src: thumbName, w: thumb.width, h: thumb.height }, scale: thumb.scale };
}

/**
 * A card's thumbnails and crops, written under `dir` (relative to the report folder) as
 * `front.jpg`, `back.jpg` and `<field>.jpg`; a field boxed exactly as an earlier one shares its
 * crop (`crops` names the field whose file it is). Sides are done one after the other so only
 * one decoded image per card is in memory at a time.
 */
export async function cardImages(r: CardRecord, dir: string, out: OutputDir, src: ImageSource): Promise<CardImages> {
  const crops: Partial<Record<FieldName, FieldName>> = {};
  const front = await sideImages(r, 'front', dir, out, src, crops);
  const back = await sideImages(r, 'back', dir, out, src, crops);
  return {
    sides: { front: front.image, back: back.image },
    scale: {
      ...(front.scale !== undefined ? { front: front.scale } : {}),
      ...(back.scale !== undefined ? { back: back.scale } : {}),
    },
    crops,
  };
}
