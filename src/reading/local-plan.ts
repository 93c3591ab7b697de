/**
 * Reading with a detector-recogniser (PaddleOCR) first, tesseract where it helps:
 *
 * - One full read per side with the primary engine, which finds text in any orientation and
 *   says which way it runs (`textAngle`, from its boxes and its line classifier); a side found
 *   turned is read once more upright, never in four orientations.
 * - Re-reads only while a check still fails, each bounded: the MRZ band (the primary engine
 *   restricted to the MRZ alphabet, then tesseract's band reads with its own preprocessing,
 *   local binarisation for a shadow among them), the CURP and clave zones.
 * - The name and address lines re-read by the secondary engine (tesseract) when it has
 *   something the primary lacks: PP-OCR's dictionary has no Ñ, Á, Í, Ú, and it runs Latin words
 *   together. A line is taken from the secondary only when the two agree but for those.
 * - A side whose checks still fail and whose detail runs one way (a motion blur) is read again
 *   with the blur undone (src/image/deblur.ts), the checks choosing between the readings.
 */
import { AS_DIGIT, AS_LETTER } from '../domain/lookalikes.ts';
import type { OcrEngine, OcrResult } from '../engines/types.ts';
import { deconvolve, estimateMotionBlur } from '../image/deblur.ts';
import { combineMrzReadings, extractBack, MRZ_CHARSET, scoreMrz, type BackReading } from '../extract/back.ts';
import type { MrzResult } from '../extract/mrz.ts';
import { extractFront, frontScore, printedLine, validCodes, type FrontReading } from '../extract/front.ts';
import { quarterTurnFor, tiltAfterQuarterTurn } from '../pipeline/cloud.ts';
import { cropRaster, rotateRaster, turnRaster, type DecodedRaster, type Raster, type Rotation } from '../pipeline/image.ts';
import { rereadCodes, type LineReader } from './codes.ts';
import type { SideGeometry } from './geometry.ts';
import { straighten, type Straightened } from './straighten.ts';
import { BACK_CARD_WIDTH, CODE_CHARSET, FRONT_CARD_WIDTH, ocrRaster, settled, TesseractPlan } from './tesseract-plan.ts';
import type { BackRead, FrontRead, ReadingStrategy, SideTrace } from './types.ts';

/** A front reading this good needs no other frame. */
const FRONT_GOOD_ENOUGH = 5;

/** The lines of an INE back's MRZ (TD1). */
const MRZ_LINES = 3;

/**
 * A frame whose detail is this directional (structure tensor, smaller over larger eigenvalue)
 * may be motion-blurred; it is deblurred only when its reading also failed its checks, which
 * then choose. Blurred flat cards measure 0.11–0.64 (hard eval, motion: a front's photo, pattern
 * and fine print lift it: 0.52–0.64 on four fronts that lost 10–12 fields each under 0.45),
 * sharp photos 0.47 and up (src/image/deblur.ts); a sharp card whose checks failed and that
 * measures below this costs a few more reads, and its own reading stands unless one scores higher.
 */
const MOTION_ANISOTROPY = 0.7;
/**
 * The blur lengths tried, as shares of the estimate, which tends to run long (measured on hard
 * eval seed 7's motion cards: true 7.5–12.2 px, estimated 8–16). The checks pick the reading.
 */
const DEBLUR_LENGTHS = [1, 0.85, 0.7] as const;

/** A printed character as two engines' readings are compared: upper case, accents off, Ñ as N. */
const foldGlyph = (c: string): string => c.toUpperCase().normalize('NFD').charAt(0);

/** Punctuation the two engines may read differently around the same letters and digits. */
const PUNCT = /[.,]/;

/** The characters of a line that are neither spaces nor punctuation, folded, with their place in the line. */
function glyphs(chars: readonly string[]): { key: string; at: number }[] {
  return chars.flatMap((c, at) => (/\s/.test(c) || PUNCT.test(c) ? [] : [{ key: foldGlyph(c), at }]));
}

/** What lies between glyph `i` and the next (or the line's end): its punctuation, and whether it has a space. */
function gapAfter(chars: readonly string[], g: readonly { at: number }[], i: number): { punct: string; space: boolean } {
  const between = chars.slice(g[i]!.at + 1, i + 1 < g.length ? g[i + 1]!.at : chars.length);
  return { punct: between.filter((c) => PUNCT.test(c)).join(''), space: between.some((c) => /\s/.test(c)) };
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => /\p{L}/u.test(c);

/** A digit and a letter the look-alike table pairs (0/O, 1/I, 5/S, …), either way round. */
const lookAlike = (a: string, b: string): boolean =>
  (isDigit(a) && isLetter(b) && (AS_LETTER[a] === b || AS_DIGIT[b] === a)) || (isDigit(b) && isLetter(a) && (AS_LETTER[b] === a || AS_DIGIT[a] === b));

/**
 * One line from two engines' readings of it, when they read the same letters and digits but for
 * what the primary cannot print (Ñ, accents: the secondary's), digit/letter look-alikes (where
 * one read `0` and the other `O`, the rest of the word decides: letters around it, the letter;
 * digits, the digit; nothing else in it, the secondary's, which reads with a language model),
 * spaces (either engine's on address lines: each runs words together where the other does not,
 * C LAS / CLAS, 44 5 / 445; on name lines the secondary's, as a space there splits a name and
 * nothing checks the given names' tail) and punctuation (the secondary's after a letter, HGO. — PP-OCR drops small
 * periods — but not a period after a digit only it saw). Any other difference: undefined.
 */
export function agreedLine(primary: string, secondary: string, spaces: 'either' | 'secondary' = 'either'): string | undefined {
  const pc = [...primary];
  const sc = [...secondary];
  const p = glyphs(pc);
  const s = glyphs(sc);
  if (p.length !== s.length || s.length === 0) return undefined;
  const chosen = s.map((g) => sc[g.at]!);
  for (const [i, g] of s.entries()) {
    const other = p[i]!.key;
    if (other === g.key) continue;
    if (!lookAlike(other, g.key)) return undefined;
    let letters = 0;
    let digits = 0;
    for (const step of [-1, 1]) {
      for (let k = g.at + step; k >= 0 && k < sc.length && !/\s/.test(sc[k]!); k += step) {
        if (isDigit(sc[k]!)) digits++;
        else if (isLetter(sc[k]!)) letters++;
      }
    }
    const want = letters > digits ? isLetter : digits > letters ? isDigit : undefined;
    if (want && !want(g.key)) chosen[i] = pc[p[i]!.at]!.toUpperCase();
  }
  let out = '';
  for (const [i, ch] of chosen.entries()) {
    out += ch;
    const a = gapAfter(pc, p, i);
    const b = gapAfter(sc, s, i);
    const punct = b.punct && (isLetter(ch) || a.punct) ? b.punct : a.punct;
    out += punct + (i + 1 < chosen.length && (b.space || (spaces === 'either' && a.space)) ? ' ' : '');
  }
  return out;
}

/** Two readings of a line that differ in more than this share of the secondary's glyphs (and more than 2) are not aligned. */
const RESPACE_MAX_EDITS = 0.15;
/** A secondary reading shorter than this (glyphs) is too little to place within a line. */
const RESPACE_MIN_GLYPHS = 6;

/**
 * The glyphs of `secondary` paired with those of `primary` (index in secondary per primary glyph,
 * -1 where none) by the fewest edits, a look-alike pair counting as the same glyph. The
 * secondary may have read only part of the line (a glyph run cut at either end costs nothing);
 * undefined when, within it, more than RESPACE_MAX_EDITS of its glyphs differ.
 */
function alignGlyphs(p: readonly { key: string }[], s: readonly { key: string }[]): number[] | undefined {
  const n = p.length;
  const m = s.length;
  if (m < RESPACE_MIN_GLYPHS) return undefined;
  const same = (i: number, j: number): boolean => p[i]!.key === s[j]!.key || lookAlike(p[i]!.key, s[j]!.key);
  // d[i][j]: edits to read s[0..j) within p[..i), the primary's glyphs before the run free.
  const d = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (same(i - 1, j - 1) ? 0 : 1));
  }
  // The primary's glyphs after the run free too: end where the whole secondary is read cheapest.
  let end = n;
  for (let i = 0; i <= n; i++) if (d[i]![m]! < d[end]![m]!) end = i;
  if (d[end]![m]! > Math.max(2, Math.floor(RESPACE_MAX_EDITS * m))) return undefined;
  const pair = new Array<number>(n).fill(-1);
  for (let i = end, j = m; i > 0 && j > 0; ) {
    if (d[i]![j] === d[i - 1]![j - 1]! + (same(i - 1, j - 1) ? 0 : 1)) pair[--i] = --j;
    else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return pair;
}

/**
 * An address line as the primary read it, with the spaces the secondary read between the same
 * two glyphs added, when the two readings differ in a few glyphs only (a letter misread, a
 * glyph lost at an edge) and agreedLine cannot take the secondary's line whole: PP-OCR runs
 * words together (COLLOMASVERDES) where tesseract, reading the same line, keeps them apart.
 * Glyphs and punctuation stay the primary's; a space is added only between two glyphs both
 * paired with neighbouring glyphs of the secondary.
 */
export function respacedLine(primary: string, secondary: string): string | undefined {
  const pc = [...primary];
  const sc = [...secondary];
  const p = glyphs(pc);
  const s = glyphs(sc);
  if (p.length === 0 || s.length === 0) return undefined;
  const pair = alignGlyphs(p, s);
  if (!pair) return undefined;
  let out = pc.slice(0, p[0]!.at).join('');
  for (let i = 0; i < p.length; i++) {
    const next = i + 1 < p.length ? p[i + 1]!.at : pc.length;
    const own = pc.slice(p[i]!.at, next).join('');
    const j = pair[i]!;
    const added = i + 1 < p.length && j >= 0 && pair[i + 1] === j + 1 && gapAfter(sc, s, j).space && !/\s/.test(own);
    out += own + (added ? ' ' : '');
  }
  return out;
}

/**
 * A line with an Ñ where a secondary reading that aligns with it (alignGlyphs) read Ñ for its
 * N: PP-OCR's dictionary has no Ñ, and the secondary line the line was taken from may have lost
 * the tilde where another of its readings kept it (hard eval, shadow: tesseract's Otsu reading
 * NIÑOS HERI, cut short under the shadow, and its local-threshold reading NINOS HEROES S/N).
 */
export function enyeFromSecondary(line: string, secondary: readonly string[]): string {
  const lc = [...line];
  const l = glyphs(lc);
  for (const t of secondary) {
    if (!t.includes('Ñ')) continue;
    const tc = [...t];
    const tg = glyphs(tc);
    const pair = alignGlyphs(l, tg);
    if (!pair) continue;
    for (const [i, j] of pair.entries()) if (j >= 0 && lc[l[i]!.at] === 'N' && tc[tg[j]!.at] === 'Ñ') lc[l[i]!.at] = 'Ñ';
  }
  return lc.join('');
}

/** What `take` makes of the first secondary line not yet used that it takes (marked used then); undefined when none. */
function firstTaken(secondary: readonly string[], used: Set<number>, take: (line: string) => string | undefined): string | undefined {
  for (const [k, t] of secondary.entries()) {
    if (used.has(k)) continue;
    const line = take(t);
    if (line === undefined) continue;
    used.add(k);
    return line;
  }
  return undefined;
}

/** For each primary line, the first unused secondary line it agrees with (agreedLine), as agreed; undefined where none. */
function agreements(primary: readonly string[], secondary: readonly string[], spaces: 'either' | 'secondary', used: Set<number>): (string | undefined)[] {
  return primary.map((p) => firstTaken(secondary, used, (t) => agreedLine(p, t, spaces)));
}

/** Every primary line has a secondary line it agrees with. */
export const allAgree = (primary: readonly string[], secondary: readonly string[], spaces: 'either' | 'secondary' = 'either'): boolean =>
  agreements(primary, secondary, spaces, new Set()).every((l) => l !== undefined);

/**
 * The primary engine's lines, each replaced by the secondary's reading of it where the two
 * agree (agreedLine): the secondary adds Ñ, accents and spaces, the word settles look-alikes.
 * The secondary's lines are tried in order, each used once (a second reading's lines after the
 * first's). With `respace` (address lines), a line no secondary line agrees with still takes the
 * spaces of the secondary line that aligns with it (respacedLine).
 */
export function preferSecondary(primary: readonly string[], secondary: readonly string[], spaces: 'either' | 'secondary' = 'either', respace = false): string[] {
  const used = new Set<number>();
  const agreed = agreements(primary, secondary, spaces, used);
  return primary.map((p, i) => agreed[i] ?? (respace ? firstTaken(secondary, used, (t) => respacedLine(p, t)) : undefined) ?? p);
}

/**
 * An MRZ needing no other reading: its check digits pass without a repair they had to choose,
 * and its name line (which no check digit covers) was found.
 */
const complete = (m: MrzResult | null): boolean => settled(m) && m!.lines[2] !== '';

interface Framed {
  readonly page: OcrResult;
  readonly upright: Raster;
  readonly rotation: Rotation;
  /** Degrees the frame was turned beyond `rotation` to level its text (0: not levelled). */
  readonly tilt: number;
  readonly frame: Raster;
}

/**
 * Text still this many degrees off level after the quarter turn is levelled and read again. A
 * card's rows are found by their boxes, and at 5° a line's box spans its neighbours' rows
 * (hard eval: a card whose outline a finger or a shadow hid, or found askew, read at 3–6°:
 * NOMBRE's lines taken for the address). A straightened card reads within ±1.2°.
 */
const LEVEL_MIN_TILT = 2;

export class LocalPlan implements ReadingStrategy {
  private readonly tesseract: TesseractPlan | undefined;
  /** Upright first reads by image: an image read as a back is not read again as a front. */
  private readonly pages = new WeakMap<Raster, Promise<Framed>>();
  private readonly cards = new WeakMap<Raster, Promise<Straightened | null>>();
  /** Frames made from another (a blur undone): the frame they were made from. */
  private readonly derived = new WeakMap<Raster, Raster>();

  /** @param secondary tesseract, for the zones and lines it reads better; none for `--engine paddle` alone */
  constructor(
    private readonly primary: OcrEngine,
    private readonly secondary?: OcrEngine,
  ) {
    this.tesseract = secondary ? new TesseractPlan(secondary) : undefined;
  }

  async readBack(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<BackRead> {
    const card = await this.card(raster, BACK_CARD_WIDTH);
    let best: (BackRead & { frame: Raster }) | undefined;
    // A later frame wins a tie, but for a deblurred one: a reconstruction must score higher.
    const consider = async (frame: Raster, onTie = true): Promise<boolean> => {
      const f = await this.framed(frame, trace, signal);
      let reading = extractBack(f.page);
      if (reading.mrz && !complete(reading.mrz) && reading.band) reading = await this.rereadBand(f, reading, trace, signal);
      if (!best || reading.score > best.reading.score || (onTie && reading.score === best.reading.score)) {
        best = { reading, page: f.page, upright: f.upright, geometry: this.geometryOf(raster, f, card, BACK_CARD_WIDTH), frame };
      }
      return complete(reading.mrz);
    };
    // The flat card first; the image as given when the MRZ read there is not complete (a card
    // outline found wrongly cuts the MRZ off), keeping the reading the check digits score best.
    // Each frame's three longest lines first: when they make a complete MRZ, the rest of the
    // back (its prose, a third of a page's recognition) is not read.
    let done = false;
    for (const frame of card ? [card.flat, raster] : [raster]) {
      const mrz = await this.mrzLinesOnly(frame, trace, signal);
      if (mrz) return { reading: mrz.reading, page: mrz.f.page, upright: mrz.f.upright, geometry: this.geometryOf(raster, mrz.f, card, BACK_CARD_WIDTH) };
      if ((done = await consider(frame))) break;
    }
    // Still not complete: the best frame with a motion blur undone, when it shows one.
    if (!done) for await (const frame of this.deblurred(best!.frame)) if (await consider(frame, false)) break;
    const { frame: _, ...read } = best!;
    return read;
  }

  async readFront(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<FrontRead> {
    const card = await this.card(raster, FRONT_CARD_WIDTH);
    let best: { reading: FrontReading; f: Framed } | undefined;
    for (const frame of card ? [card.flat, raster] : [raster]) {
      const f = await this.framed(frame, trace, signal);
      const reading = extractFront(f.page);
      if (!best || frontScore(reading) > frontScore(best.reading)) best = { reading, f };
      if (frontScore(reading) >= FRONT_GOOD_ENOUGH) break;
    }
    // A code that fails its checks: the best frame with a motion blur undone, when it shows one;
    // a reading there is taken when more of its codes pass, or as many and it scores higher.
    if (validCodes(best!.reading) < 2) {
      for await (const frame of this.deblurred(best!.f.frame)) {
        const f = await this.framed(frame, trace, signal);
        const reading = extractFront(f.page);
        const [now, was] = [validCodes(reading), validCodes(best!.reading)];
        if (now > was || (now === was && frontScore(reading) > frontScore(best!.reading))) best = { reading, f };
        if (validCodes(best!.reading) === 2) break;
      }
    }
    const { f } = best!;
    let reading = await rereadCodes(best!.reading, f.upright, this.codeReaders(trace, signal));
    reading = await this.linesBySecondary(reading, f.upright, trace, signal);
    return { reading, page: f.page, upright: f.upright, geometry: this.geometryOf(raster, f, card, FRONT_CARD_WIDTH) };
  }

  /**
   * The frame with a straight motion blur undone, once per length tried (DEBLUR_LENGTHS of the
   * estimate), made as they are asked for; nothing when the frame's detail is not directional
   * enough to be such a blur (MOTION_ANISOTROPY).
   */
  private async *deblurred(frame: Raster): AsyncGenerator<Raster> {
    const blur = estimateMotionBlur(frame);
    if (blur.anisotropy >= MOTION_ANISOTROPY) return;
    const lengths = [...new Set(DEBLUR_LENGTHS.map((k) => Math.max(2, Math.round(k * blur.length))))];
    for (const length of lengths) {
      const sharp = await deconvolve(frame, blur.angle, length);
      this.derived.set(sharp, this.derived.get(frame) ?? frame);
      yield sharp;
    }
  }

  /** How a frame (or the deblurred copy of one) maps to the input image. */
  private geometryOf(raster: DecodedRaster, f: Framed, card: Straightened | null, width: number): SideGeometry {
    const source = this.derived.get(f.frame) ?? f.frame;
    return {
      rotation: f.rotation,
      width: f.frame.width,
      height: f.frame.height,
      scale: raster.scale,
      ...(card && source === card.flat ? { warp: { quad: card.quad, flatWidth: width } } : {}),
      ...(f.tilt === 0 ? {} : { level: { degrees: f.tilt, width: f.upright.width, height: f.upright.height } }),
    };
  }

  private card(raster: Raster, width: number): Promise<Straightened | null> {
    let c = this.cards.get(raster);
    if (!c) {
      c = straighten(raster, width);
      this.cards.set(raster, c);
    }
    return c;
  }

  /** The frame read once by the primary engine and turned upright by the direction it reports. */
  private framed(frame: Raster, trace: SideTrace, signal?: AbortSignal): Promise<Framed> {
    let f = this.pages.get(frame);
    if (!f) {
      f = (async () => {
        const page = await ocrRaster(this.primary, frame, 'auto', trace, { signal });
        const rotation = quarterTurnFor(page.textAngle ?? 0);
        const tilt = tiltAfterQuarterTurn(page.textAngle ?? 0);
        if (Math.abs(tilt) >= LEVEL_MIN_TILT) {
          // Tilted: turned level in one and read again.
          const upright = await turnRaster(frame, rotation + tilt);
          return { page: await ocrRaster(this.primary, upright, 'auto', trace, { signal }), upright, rotation, tilt, frame };
        }
        const upright = await rotateRaster(frame, rotation);
        if (rotation === 0) return { page, upright, rotation, tilt: 0, frame };
        // Turned: read once more upright. The detector splits lines it sees sideways into
        // pieces the turned boxes do not join again (an address losing its number); upright,
        // the page reads as well as a scan (eval, seed 7: rotated cards 98.0% → 99.5%).
        return { page: await ocrRaster(this.primary, upright, 'auto', trace, { signal }), upright, rotation, tilt: 0, frame };
      })();
      this.pages.set(frame, f);
    }
    return f.then((done) => {
      trace.textChars = Math.max(trace.textChars, done.page.text.trim().length);
      trace.rotation = done.rotation;
      return done;
    });
  }

  /**
   * The frame's MRZ from its three longest lines alone (MRZ_LINES: the TD1 zone's lines run
   * nearly the card's width, longer than any other line on the back), read upright as they
   * say the text runs; undefined unless they make a complete MRZ (check digits passing without
   * a repair they had to choose, and a name line).
   */
  private async mrzLinesOnly(frame: Raster, trace: SideTrace, signal?: AbortSignal): Promise<{ reading: BackReading; f: Framed } | undefined> {
    let page = await ocrRaster(this.primary, frame, 'auto', trace, { longest: MRZ_LINES, signal });
    const rotation = quarterTurnFor(page.textAngle ?? 0);
    const upright = await rotateRaster(frame, rotation);
    if (rotation !== 0) page = await ocrRaster(this.primary, upright, 'auto', trace, { longest: MRZ_LINES, signal });
    const reading = extractBack(page);
    if (!complete(reading.mrz)) return undefined;
    trace.textChars = Math.max(trace.textChars, page.text.trim().length);
    trace.rotation = rotation;
    return { reading, f: { page, upright, rotation, tilt: 0, frame } };
  }

  /**
   * The MRZ band again: the primary engine on the band alone, restricted to the MRZ alphabet,
   * then (with a secondary) tesseract's band reads; all readings, the first page's included,
   * combined by the check digits.
   */
  private async rereadBand(f: Framed, first: BackReading, trace: SideTrace, signal?: AbortSignal): Promise<BackReading> {
    const b = first.band!;
    const pitch = (b.y1 - b.y0) / 3;
    const crop = await cropRaster(f.upright, { left: b.x0 - pitch, top: b.y0 - 0.6 * pitch, width: b.x1 - b.x0 + 2 * pitch, height: b.y1 - b.y0 + 1.2 * pitch });
    const band = await ocrRaster(this.primary, crop, 'block', trace, { charset: MRZ_CHARSET, signal });
    const texts = [band.text, f.page.text];
    let combined = combineMrzReadings(texts);
    if (!complete(combined) && this.tesseract) {
      const more = await this.tesseract.readMrzBand(f.upright, b, texts.join('\n'), trace, signal);
      if (more?.reading.mrz) combined = combineMrzReadings([...(more.pages.map((p) => p.text) ?? []), ...texts]) ?? more.reading.mrz;
    }
    if (!combined || scoreMrz(combined) < first.score) return first;
    return { mrz: combined, band: b, score: scoreMrz(combined), textChars: first.textChars };
  }

  /** A code zone read as one line: the primary engine restricted to letters and digits, then tesseract's preprocessed reads. */
  private codeReaders(trace: SideTrace, signal?: AbortSignal): LineReader[] {
    const readers: LineReader[] = [(crop, encode) => ocrRaster(this.primary, crop, 'line', trace, { charset: CODE_CHARSET, encode: { scale: encode.scale ?? 1 }, signal })];
    const secondary = this.secondary;
    if (secondary) readers.push((crop, encode) => ocrRaster(secondary, crop, 'line', trace, { charset: CODE_CHARSET, encode, signal }));
    return readers;
  }

  /** The name and address blocks read by the secondary engine; its lines kept where they add Ñ, accents or spaces. */
  private async linesBySecondary(reading: FrontReading, upright: Raster, trace: SideTrace, signal?: AbortSignal): Promise<FrontReading> {
    if (!this.secondary) return reading;
    let out = reading;
    for (const [zone, key] of [
      ['name', 'nameLines'],
      ['address', 'addressLines'],
    ] as const) {
      const box = reading.zones[zone];
      const lines = reading[key];
      if (!box || lines.length === 0) continue;
      const h = (box.y1 - box.y0) / (lines.length + 1);
      const crop = await cropRaster(upright, { left: box.x0 - 0.5 * h, top: box.y0 - 0.3 * h, width: box.x1 - box.x0 + h, height: box.y1 - box.y0 + 0.6 * h });
      const address = key === 'addressLines';
      const spaces = address ? 'either' : 'secondary';
      const read = async (binarise: 'global' | 'local'): Promise<string[]> =>
        (await ocrRaster(this.secondary!, crop, 'block', trace, { signal, binarise })).lines.map((l) => printedLine(l.text, address)).filter((l) => l.length > 0);
      let lines2 = await read('global');
      // A line left without agreement: read again with local (Sauvola) thresholds, which a
      // shadow across the block needs (Otsu's one threshold cut NIÑOS HEROES S/N to NIÑOS HERI)
      // but which reads clean print worse (G as 6, II as 11): its lines come after the first's.
      if (!allAgree(lines, lines2, spaces)) lines2 = [...lines2, ...(await read('local'))];
      out = { ...out, [key]: preferSecondary(lines, lines2, spaces, address).map((l) => enyeFromSecondary(l, lines2)) };
    }
    return out;
  }
}


