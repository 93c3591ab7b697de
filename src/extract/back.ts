/**
 * Back side: the MRZ, located in the OCR text by its structure (not by where it is printed),
 * and the box of the lines it came from so the pipeline can re-read that band on its own.
 */
import type { BBox, OcrResult } from '../engines/types.ts';
import type { Note } from '../evidence.ts';
import { checkDigitsPassed, checkMrzLines, findMrz, lineRebuilt, noteLine, parseMrz, tailUnread, type MrzResult } from './mrz.ts';

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
  return lines + 2 * checkDigitsPassed(m.checks);
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
 * Lines 1 and 2 are taken from the readings whose lines, as read, make the most check digits
 * pass together (lines seen in more readings first, realigned ones counting half); line 3, which no check digit covers, by
 * a vote per character position. The check-digit repair then runs once, on that combination
 * only: repairing every combination would give wrong lines more chances to pass by luck.
 */
export function combineMrzReadings(texts: readonly string[]): MrzResult | null {
  const cands = texts.map((t) => findMrz(t)).filter((c): c is NonNullable<typeof c> => c !== null);
  if (cands.length === 0) return null;
  // A line rebuilt from characters the OCR did not give in that order (realigned, filled in)
  // counts for less than one read as it is.
  const rebuilt = lineRebuilt;
  const tally = (n: 1 | 2): Map<string, number> => {
    const m = new Map<string, number>();
    for (const c of cands) {
      const x = c.lines[n - 1] ?? '';
      if (x.length === 30) m.set(x, (m.get(x) ?? 0) + (rebuilt(c, n) ? 0.5 : 1));
    }
    return m;
  };
  const l1s = tally(1);
  const l2s = tally(2);
  const l3 = voteLine(cands.map((c) => c.lines[2]).filter((l) => l.length === 30));
  let best: { lines: [string, string, string]; score: number } | null = null;
  for (const [l1, n1] of l1s.size ? l1s : new Map([['', 0]])) {
    for (const [l2, n2] of l2s.size ? l2s : new Map([['', 0]])) {
      const ch = checkMrzLines([l1, l2, l3]);
      const score = checkDigitsPassed(ch) * 10 + n1 + n2;
      if (!best || score > best.score) best = { lines: [l1, l2, l3], score };
    }
  }
  // What it took to rebuild each chosen line (realigned data, characters kept as read) stays on
  // the record: the merge weighs the MRZ by it.
  // The same line may come from several readings: what it took is the least any of them needed.
  const origin = (n: 1 | 2): NonNullable<ReturnType<typeof findMrz>> | undefined => {
    const same = cands.filter((c) => c.lines[n - 1] === best!.lines[n - 1]);
    return same.find((c) => !rebuilt(c, n)) ?? same[0];
  };
  // Re-parsed from the chosen lines, a padded tail looks read: its reading says it was not.
  const parsed = parseMrz(best!.lines, { tailUnread: tailUnread(origin(2)?.warnings ?? []) });
  const carried = ([1, 2] as const).flatMap((n) => {
    const c = origin(n);
    return c ? [{ repairs: c.repairs.filter((r) => r.line === n), warnings: c.warnings.filter((w) => noteLine(w) === n) }] : [];
  });
  return {
    ...parsed,
    repairs: [...carried.flatMap((c) => c.repairs), ...parsed.repairs],
    warnings: uniqueNotes([...carried.flatMap((c) => c.warnings), ...parsed.warnings]),
  };
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

/** Notes without repeats (the same finding carried from a reading and made again by the parse). */
function uniqueNotes(notes: readonly Note[]): Note[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = JSON.stringify(n);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}
