/**
 * Reading with tesseract alone: it cannot tell which way a page is turned, so each side is read
 * in the orientations a card can have until one shows a card (the MRZ for a back, labels and
 * codes for a front); the hard zones (the MRZ band, the CURP, the clave) are then re-read on
 * their own, enlarged and restricted to their alphabet, while their checks fail.
 */
import type { BBox, OcrEngine, OcrResult } from '../engines/types.ts';
import { REPAIRS_BY_CHECK_DIGIT } from '../evidence.ts';
import { combineMrzReadings, extractBack, MRZ_CHARSET, scoreMrz, type BackReading } from '../extract/back.ts';
import { extractFront, frontScore, type FrontReading } from '../extract/front.ts';
import type { MrzResult } from '../extract/mrz.ts';
import { cropRaster, encodeForOcr, otsuThreshold, pixelsForOcr, rotateRaster, type DecodedRaster, type EncodeOptions, type Raster, type Rotation } from '../pipeline/image.ts';
import { rereadCodes } from './codes.ts';
import type { SideGeometry } from './geometry.ts';
import { straighten, type Straightened } from './straighten.ts';
import type { BackRead, FrontRead, ReadingStrategy, SideTrace } from './types.ts';

/** Width of the straightened card (px): a ~380 dpi front, a ~330 dpi back. */
export const FRONT_CARD_WIDTH = 1600;
export const BACK_CARD_WIDTH = 1400;

/** Long edge of the image the back's locating pass reads. */
const LOCATE_LONG_EDGE = 950;

/** A front reading this good needs no other orientation or frame. */
const FRONT_GOOD_ENOUGH = 5;

/** Orientations to try, most likely first: cards are landscape. */
export function orientations(r: Raster): Rotation[] {
  return r.width >= r.height ? [0, 180, 90, 270] : [90, 270, 0, 180];
}

/** One recognition, counted in the trace (and kept when pages are kept). */
export async function ocrRaster(
  engine: OcrEngine,
  r: Raster,
  layout: 'sparse' | 'block' | 'auto' | 'line',
  trace: SideTrace,
  opts: { charset?: string; encode?: EncodeOptions; binarise?: 'global' | 'local'; longest?: number; signal?: AbortSignal | undefined } = {},
): Promise<OcrResult> {
  trace.ocrCalls++;
  const options = {
    layout,
    binarise: opts.binarise ?? 'global',
    ...(opts.charset === undefined ? {} : { charset: opts.charset }),
    ...(opts.longest === undefined ? {} : { longest: opts.longest }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  // An engine that reads pixels gets them: no PNG encoded here to be decoded there.
  const page = engine.recognizePixels
    ? await engine.recognizePixels(await pixelsForOcr(r, opts.encode ?? {}), options)
    : await engine.recognize(await encodeForOcr(r, opts.encode ?? {}), options);
  trace.pages?.push(page);
  return page;
}

const geometryOf = (raster: DecodedRaster, frame: Raster, rotation: Rotation, card: Straightened | null, width: number): SideGeometry => ({
  rotation,
  width: frame.width,
  height: frame.height,
  scale: raster.scale,
  ...(card && frame === card.flat ? { warp: { quad: card.quad, flatWidth: width } } : {}),
});

export class TesseractPlan implements ReadingStrategy {
  constructor(private readonly engine: OcrEngine) {}

  /**
   * A photo's card is found and warped flat first; when no card outline is found (a scan is
   * the card already), or the straightened image shows no MRZ, the image is read as it is.
   */
  async readBack(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<BackRead> {
    const card = await straighten(raster, BACK_CARD_WIDTH);
    if (card) {
      trace.cardFound = true;
      const read = await this.readBackFrame(card.flat, trace, signal);
      if (read.reading.mrz) return { ...read, geometry: geometryOf(raster, card.flat, read.rotation, card, BACK_CARD_WIDTH) };
    }
    const read = await this.readBackFrame(raster, trace, signal);
    return { ...read, geometry: geometryOf(raster, raster, read.rotation, null, 0) };
  }

  async readFront(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<FrontRead> {
    const card = await straighten(raster, FRONT_CARD_WIDTH);
    let chosen: { read: Omit<FrontRead, 'geometry'> & { rotation: Rotation }; frame: Raster };
    if (card) {
      trace.cardFound = true;
      // A photo: uneven light and small faint labels, so the page is binarised locally.
      chosen = { read: await this.readFrontFrame(card.flat, trace, 'local', signal), frame: card.flat };
      if (frontScore(chosen.read.reading) < FRONT_GOOD_ENOUGH) {
        const asIs = await this.readFrontFrame(raster, trace, 'global', signal);
        if (frontScore(asIs.reading) > frontScore(chosen.read.reading)) chosen = { read: asIs, frame: raster };
      }
    } else {
      chosen = { read: await this.readFrontFrame(raster, trace, 'global', signal), frame: raster };
    }
    return { ...chosen.read, geometry: geometryOf(raster, chosen.frame, chosen.read.rotation, card, FRONT_CARD_WIDTH) };
  }

  /**
   * Back: find the orientation in which an MRZ is read, then re-read the MRZ band alone. The
   * locating pass runs on a reduced image (long edge ~950 px): OCR-B characters of a card-sized
   * MRZ then sit near tesseract's preferred text height, and it is faster.
   */
  private async readBackFrame(raster: Raster, trace: SideTrace, signal?: AbortSignal): Promise<Omit<BackRead, 'geometry'> & { rotation: Rotation }> {
    let best: { reading: BackReading; page: OcrResult; upright: Raster; rotation: Rotation } | undefined;
    const locScale = Math.min(1, LOCATE_LONG_EDGE / Math.max(raster.width, raster.height));
    for (const rot of orientations(raster)) {
      const r = await rotateRaster(raster, rot);
      const page = await ocrRaster(this.engine, r, 'auto', trace, { encode: { scale: locScale }, signal });
      trace.textChars = Math.max(trace.textChars, page.text.trim().length);
      const reading = extractBack(page);
      if (!reading.mrz) {
        best ??= { reading, page, upright: r, rotation: rot };
        continue;
      }
      trace.rotation = rot;
      best = { reading, page, upright: r, rotation: rot };
      if (trace.pages) trace.chosen = [page];
      if (reading.band) {
        const b = reading.band;
        const band = { x0: b.x0 / locScale, y0: b.y0 / locScale, x1: b.x1 / locScale, y1: b.y1 / locScale };
        const reread = await this.readMrzBand(r, band, page.text, trace, signal);
        if (reread && reread.reading.score >= reading.score) {
          best = { ...best, reading: { ...reread.reading, band } };
          if (trace.pages) trace.chosen = reread.pages;
        } else best = { ...best, reading: { ...reading, band } };
      }
      break;
    }
    return best ?? { reading: extractBack(EMPTY_PAGE), page: EMPTY_PAGE, upright: raster, rotation: 0 };
  }

  /**
   * The MRZ band on its own, enlarged, with the MRZ alphabet only; binarised first, then other
   * preprocessing only while the check digits still fail. The locating pass's text takes part
   * in the combination (last, so ties go to the band's readings): a clean first reading is not
   * thrown away for a band reading that gained or lost a character.
   */
  async readMrzBand(r: Raster, b: BBox, located: string, trace: SideTrace, signal?: AbortSignal): Promise<{ reading: BackReading; pages: OcrResult[] } | undefined> {
    const h = b.y1 - b.y0;
    const pitch = h / 3;
    // Generous margins: a skewed card's first or last character must not be cut.
    const crop = await cropRaster(r, { left: b.x0 - pitch, top: b.y0 - 0.6 * pitch, width: b.x1 - b.x0 + 2 * pitch, height: h + 1.2 * pitch });
    // Line pitch near 45 px: characters near 28 px high.
    const scale = Math.min(3, Math.max(0.4, 45 / Math.max(8, pitch)));
    const level = otsuThreshold(crop);
    const variants: { encode: EncodeOptions; binarise?: 'local' }[] = [
      { encode: { scale, threshold: level } },
      { encode: { scale, normalise: true } },
      { encode: { scale: scale * 1.5, threshold: level } },
      // A shadow across the band: one threshold cannot serve its dark and light halves.
      { encode: { scale }, binarise: 'local' },
    ];
    const pages: OcrResult[] = [];
    let combined: MrzResult | null = null;
    for (const v of variants) {
      const page = await ocrRaster(this.engine, crop, 'block', trace, { charset: MRZ_CHARSET, encode: v.encode, ...(v.binarise ? { binarise: v.binarise } : {}), signal });
      pages.push(page);
      combined = combineMrzReadings([...pages.map((p) => p.text), located]);
      if (settled(combined)) break;
    }
    if (!combined) return undefined;
    return { reading: { mrz: combined, band: b, score: scoreMrz(combined), textChars: 0 }, pages };
  }

  /** Front: the orientation in which the most of a card is read (labels, codes, date, names). */
  private async readFrontFrame(raster: Raster, trace: SideTrace, binarise: 'global' | 'local', signal?: AbortSignal): Promise<Omit<FrontRead, 'geometry'> & { rotation: Rotation }> {
    let best: { reading: FrontReading; page: OcrResult; upright: Raster; rotation: Rotation } | undefined;
    for (const rot of orientations(raster)) {
      const r = await rotateRaster(raster, rot);
      const page = await ocrRaster(this.engine, r, 'auto', trace, { binarise, signal });
      trace.textChars = Math.max(trace.textChars, page.text.trim().length);
      const reading = extractFront(page);
      if (!best || frontScore(reading) > frontScore(best.reading)) {
        best = { reading, page, upright: r, rotation: rot };
        trace.rotation = rot;
        if (trace.pages) trace.chosen = [page];
      }
      if (frontScore(reading) >= FRONT_GOOD_ENOUGH) break;
    }
    const reading = await rereadCodes(best!.reading, best!.upright, [(crop, encode) => ocrRaster(this.engine, crop, 'line', trace, { charset: CODE_CHARSET, encode, signal })]);
    return { ...best!, reading };
  }
}

/** Valid, with no character chosen by a check digit: nothing more to read. */
export function settled(m: MrzResult | null): boolean {
  return m?.valid === true && m.repairs.every((r) => !REPAIRS_BY_CHECK_DIGIT.has(r.kind));
}

/** CURP and clave de elector: upper-case letters and digits. */
export const CODE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An OCR result with nothing in it. */
export const EMPTY_PAGE: OcrResult = { text: '', lines: [], width: 0, height: 0, confidence: 0 };
