/**
 * Reading a card side with a cloud engine (profile `cloud`, e.g. Textract): every call is
 * billed, so a side costs one call.
 *
 * - The card is located and warped flat locally first (free), as for tesseract.
 * - One full-side call; no orientation tries: the engine reports which way the text runs
 *   (`OcrResult.textAngle`) and the boxes are turned upright (and a tilted photo levelled)
 *   here, so a card scanned upside down or sideways costs the same single call.
 * - No zone re-reads (MRZ band, CURP, clave): a cloud engine cannot be restricted to a
 *   charset, and a second call would double the bill for the card.
 * - An image read once is not read again: in a pair whose sides are unknown, the image tried
 *   as the back and found to be the front is extracted from the same result.
 */
import type { BBox, OcrEngine, OcrLine, OcrPoint, OcrResult } from '../engines/types.ts';
import { extractBack, type BackReading } from '../extract/back.ts';
import { extractFront, type FrontReading } from '../extract/front.ts';
import type { Raster, Rotation } from './image.ts';
import { locateCard, rectify, type Quad } from './locate.ts';
import type { SideTrace } from '../reading/types.ts';
import sharp from 'sharp';

/** Width of the straightened card sent to the cloud (px): ~475 dpi, well above the text-height minimum. */
export const CLOUD_CARD_WIDTH = 1600;

/** Degrees in [0, 360). */
const norm360 = (d: number): number => ((d % 360) + 360) % 360;

/** Size of a w × h image turned `deg` clockwise: the canvas grows to hold it (as sharp's rotate does). */
export function turnedSize(w: number, h: number, deg: number): { width: number; height: number } {
  const d = norm360(deg);
  if (d === 0 || d === 180) return { width: w, height: h };
  if (d === 90 || d === 270) return { width: h, height: w };
  const rad = (d * Math.PI) / 180;
  const c = Math.abs(Math.cos(rad));
  const s = Math.abs(Math.sin(rad));
  return { width: w * c + h * s, height: w * s + h * c };
}

/** Where (x, y) of a w × h image lands when the image is turned `deg` clockwise (about its centre, canvas grown). */
export function turnPoint(x: number, y: number, deg: number, w: number, h: number): [number, number] {
  const d = norm360(deg);
  // Quarter turns exactly (no floating-point drift on the common case).
  if (d === 0) return [x, y];
  if (d === 90) return [h - y, x];
  if (d === 180) return [w - x, h - y];
  if (d === 270) return [y, w - x];
  const rad = (d * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const size = turnedSize(w, h, d);
  const dx = x - w / 2;
  const dy = y - h / 2;
  // y grows downwards: this matrix turns clockwise on screen.
  return [cos * dx - sin * dy + size.width / 2, sin * dx + cos * dy + size.height / 2];
}

/** A box of a w × h image, in the frame of that image turned `deg` clockwise (the hull of its turned corners). */
export function turnBox(b: BBox, deg: number, w: number, h: number): BBox {
  return hull(corners(b).map((p) => turnPoint(p.x, p.y, deg, w, h)).map(([x, y]) => ({ x, y })));
}

const corners = (b: BBox): OcrPoint[] => [
  { x: b.x0, y: b.y0 },
  { x: b.x1, y: b.y0 },
  { x: b.x1, y: b.y1 },
  { x: b.x0, y: b.y1 },
];

function hull(pts: readonly OcrPoint[]): BBox {
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Below this tilt (degrees) the boxes are used as they are. */
const LEVEL_TOLERANCE = 0.25;

/** The clockwise quarter turn nearest to the one that makes text running at `angle` upright. */
export function quarterTurnFor(angle: number): Rotation {
  return norm360(Math.round(norm360(-angle) / 90) * 90) as Rotation;
}

/** Degrees (−45 to 45, clockwise) text running at `angle` is still off level after quarterTurnFor's turn. */
export function tiltAfterQuarterTurn(angle: number): number {
  const rest = norm360(norm360(-angle) - quarterTurnFor(angle));
  return rest > 180 ? rest - 360 : rest;
}

/**
 * The result as if the image had been sent upright and level: every polygon (or box) turned by
 * the angle that makes the text run left to right, boxes rebuilt around the turned polygons
 * (a tilted word keeps a tight box), width and height of the turned image, and lines in
 * top-to-bottom order of the upright card (the extractor finds the MRZ's three lines in text
 * order, whatever order the engine listed them in).
 */
export function uprightPage(page: OcrResult): OcrResult {
  const turn = norm360(-(page.textAngle ?? 0));
  const signed = turn > 180 ? turn - 360 : turn;
  if (Math.abs(signed) < LEVEL_TOLERANCE) return page;
  const { width, height } = page;
  const move = (shape: { bbox: BBox; polygon?: readonly OcrPoint[] }): { bbox: BBox; polygon?: OcrPoint[] } => {
    const pts = (shape.polygon ?? corners(shape.bbox)).map((p) => turnPoint(p.x, p.y, turn, width, height)).map(([x, y]) => ({ x, y }));
    return shape.polygon ? { bbox: hull(pts), polygon: pts } : { bbox: hull(pts) };
  };
  const lines: OcrLine[] = page.lines
    .map((l) => ({ ...l, ...move(l), words: l.words.map((w) => ({ ...w, ...move(w) })) }))
    .sort((a, b) => (a.bbox.y0 + a.bbox.y1) / 2 - (b.bbox.y0 + b.bbox.y1) / 2 || a.bbox.x0 - b.bbox.x0);
  const size = turnedSize(width, height, turn);
  return {
    text: lines.map((l) => l.text).join('\n'),
    lines,
    width: Math.round(size.width),
    height: Math.round(size.height),
    confidence: page.confidence,
    textAngle: 0,
  };
}

/** The image a cloud engine is sent for one side: the card warped flat when its outline is found, else the image as it is. */
export async function cloudFrame(r: Raster): Promise<{ raster: Raster; cardFound: boolean; quad?: Quad }> {
  const loc = await locateCard(r);
  return loc ? { raster: await rectify(r, loc.quad, CLOUD_CARD_WIDTH), cardFound: true, quad: loc.quad } : { raster: r, cardFound: false };
}

/** Greyscale JPEG: a fifth of the PNG's bytes to upload, and Textract reads it as well. */
export async function encodeForCloud(r: Raster): Promise<Buffer> {
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } }).jpeg({ quality: 92 }).toBuffer();
}

/** One cloud call's result for an image, upright, and the frame it was sent. */
export interface CloudRead {
  readonly page: OcrResult;
  readonly cardFound: boolean;
  /** The quarter turn that made the side upright. */
  readonly rotation: Rotation;
  /** The image sent: the flat card, or the raster as it was. */
  readonly frame: Raster;
  /** The card's corners in the raster, when it was straightened. */
  readonly quad?: Quad;
}

/** One cloud call per image, shared by whichever side asks for it. */
export class CloudSides {
  readonly engine: OcrEngine;
  private readonly reads = new WeakMap<Raster, Promise<CloudRead>>();

  constructor(engine: OcrEngine) {
    this.engine = engine;
  }

  async back(r: Raster, trace: SideTrace): Promise<BackReading> {
    return extractBack(await this.page(r, trace));
  }

  async front(r: Raster, trace: SideTrace): Promise<FrontReading> {
    return extractFront(await this.page(r, trace));
  }

  /** The upright result of the one call made for this raster (made now if it was not yet). */
  async page(r: Raster, trace: SideTrace): Promise<OcrResult> {
    return (await this.read(r, trace)).page;
  }

  /** The one call made for this raster (made now if it was not yet), with its frame. */
  async read(r: Raster, trace: SideTrace, signal?: AbortSignal): Promise<CloudRead> {
    let read = this.reads.get(r);
    if (!read) {
      trace.ocrCalls++;
      read = this.call(r, signal);
      this.reads.set(r, read);
    }
    const done = await read;
    if (done.cardFound) trace.cardFound = true;
    trace.rotation = done.rotation;
    trace.textChars = Math.max(trace.textChars, done.page.text.trim().length);
    trace.pages?.push(done.page);
    if (trace.pages) trace.chosen = [done.page];
    return done;
  }

  private async call(r: Raster, signal?: AbortSignal): Promise<CloudRead> {
    const { raster, cardFound, quad } = await cloudFrame(r);
    const sent = await this.engine.recognize(await encodeForCloud(raster), { layout: 'auto', ...(signal ? { signal } : {}) });
    return { page: uprightPage(sent), cardFound, rotation: quarterTurnFor(sent.textAngle ?? 0), frame: raster, ...(quad ? { quad } : {}) };
  }
}
