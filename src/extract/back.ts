/**
 * Back side: the MRZ, located in the OCR text by its structure (not by where it is printed),
 * and the box of the lines it came from so the pipeline can re-read that band on its own.
 */
import type { BBox, OcrResult } from '../engines/types.ts';
import { parseMrz, type MrzResult } from './mrz.ts';

/** The MRZ alphabet (ICAO 9303 Part 3): what the band re-read may output. */
export const MRZ_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

export interface BackReading {
  /** The parsed MRZ, or null when none was found. */
  readonly mrz: MrzResult | null;
  /** Box of the OCR lines that look like MRZ lines, in the OCR image's coordinates. */
  readonly band: BBox | null;
  /** How good the reading is: lines found and checks passed, for choosing between readings. */
  readonly score: number;
  /** Characters of text read on this side. */
  readonly textChars: number;
}

/** A line of OCR text that looks like an MRZ line: long, almost only MRZ characters. */
function mrzLike(text: string): boolean {
  const s = text.replace(/\s+/g, '');
  if (s.length < 18) return false;
  const mrzChars = s.replace(/[^A-Z0-9<«‹(\[{]/g, '').length;
  const fillers = (s.match(/[<«‹]/g) ?? []).length;
  return mrzChars / s.length >= 0.85 && (fillers >= 2 || /[I1L][D0O]M[E3]X/.test(s) || /\d{6,}/.test(s));
}

export function scoreMrz(m: MrzResult): number {
  if (!m.found) return 0;
  const lines = m.lines.filter((l) => l.length === 30).length;
  const checks = [m.checks.cic, m.checks.birthDate, m.checks.expiry, m.checks.composite].filter(Boolean).length;
  return lines + 2 * checks;
}

export function extractBack(ocr: OcrResult): BackReading {
  const textChars = ocr.text.trim().length;
  const mrz = parseMrz(ocr.text);
  if (!mrz.found) return { mrz: null, band: null, score: 0, textChars };
  const candidates = ocr.lines.filter((l) => mrzLike(l.text));
  let band: BBox | null = null;
  if (candidates.length > 0) {
    // The MRZ lines sit together: take the lowest run of up to three close lines.
    const sorted = [...candidates].sort((a, b) => a.bbox.y0 - b.bbox.y0);
    const groups: (typeof sorted)[] = [];
    for (const l of sorted) {
      const g = groups[groups.length - 1];
      const prev = g?.[g.length - 1];
      const h = l.bbox.y1 - l.bbox.y0;
      if (g && prev && l.bbox.y0 - prev.bbox.y1 < 1.5 * h) g.push(l);
      else groups.push([l]);
    }
    const best = groups.reduce((a, b) => (b.length >= a.length ? b : a));
    band = {
      x0: Math.min(...best.map((l) => l.bbox.x0)),
      y0: Math.min(...best.map((l) => l.bbox.y0)),
      x1: Math.max(...best.map((l) => l.bbox.x1)),
      y1: Math.max(...best.map((l) => l.bbox.y1)),
    };
    // Fewer than three lines seen: widen the band to where the others must be.
    const lineH = (band.y1 - band.y0) / best.length;
    if (best.length < 3) {
      const missing = 3 - best.length;
      band = { ...band, y0: band.y0 - missing * 1.6 * lineH, y1: band.y1 + missing * 1.6 * lineH };
    }
  }
  return { mrz, band, score: scoreMrz(mrz), textChars };
}

/**
 * Several readings of the same MRZ (different preprocessing) rarely fail on the same line.
 * Lines 1 and 2 are taken from whichever readings make the most check digits pass together;
 * line 3, which no check digit covers, by a vote per character position among readings of
 * full length.
 */
export function combineMrzReadings(readings: readonly MrzResult[]): MrzResult | null {
  const found = readings.filter((r) => r.found);
  if (found.length === 0) return null;
  if (found.length === 1) return found[0]!;
  const uniq = (xs: string[]): string[] => [...new Set(xs.filter((x) => x.length === 30))];
  const l1s = uniq(found.map((r) => r.lines[0]));
  const l2s = uniq(found.map((r) => r.lines[1]));
  const l3 = voteLine(found.map((r) => r.lines[2]).filter((l) => l.length === 30));
  let best: MrzResult | null = null;
  for (const l1 of l1s.length ? l1s : ['']) {
    for (const l2 of l2s.length ? l2s : ['']) {
      const r = parseMrz([l1, l2, l3]);
      if (!best || scoreMrz(r) > scoreMrz(best)) best = r;
    }
  }
  const bestSingle = found.reduce((a, b) => (scoreMrz(b) > scoreMrz(a) ? b : a));
  if (!best || scoreMrz(bestSingle) >= scoreMrz(best)) return bestSingle;
  // Keep the repairs and warnings that led to the chosen lines.
  return { ...best, repairs: [...best.repairs], warnings: [...best.warnings] };
}

/** Majority character per position; ties go to the earliest reading. */
function voteLine(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  let out = '';
  for (let i = 0; i < 30; i++) {
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l[i]!, (counts.get(l[i]!) ?? 0) + 1);
    let bestCh = lines[0]![i]!;
    let bestN = 0;
    for (const l of lines) {
      const n = counts.get(l[i]!)!;
      if (n > bestN) {
        bestN = n;
        bestCh = l[i]!;
      }
    }
    out += bestCh;
  }
  return out;
}
