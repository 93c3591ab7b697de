/**
 * What kind of document a page of OCR text is, from its structure: an INE back (its TD1 MRZ
 * `IDMEX…`), an INE front (its labels in their layout, with the codes they introduce), another
 * document's machine-readable zone (a passport's TD3, a TD2, a visa, another country's TD1), or
 * none of these. Pure; the reader decides with it which image is which side and which image is
 * not a card at all.
 */
import { icaoCheckDigit } from './check-digits.ts';
import { isValidYymmdd } from './dates.ts';
import type { FrontReading } from './front.ts';
import type { MrzResult } from './mrz.ts';

/** ICAO 9303 machine-readable zone formats (Part 4 TD3 and MRV-A, Part 5 TD1, Part 6 TD2 and MRV-B). */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV';

/** A machine-readable zone that is not an INE card's. */
export interface ForeignMrz {
  readonly format: MrzFormat;
  /** The document code, e.g. `P<` (passport), `ID`, `I<`, `V<`. */
  readonly documentCode: string;
  /** The issuing state or organisation (3 letters, `<` padded). */
  readonly issuer: string;
  /** Check digits that passed, of those tried (a zone read by chance from prose passes none). */
  readonly checksPassed: number;
}

/** One OCR line as an MRZ line candidate: upper case, no spaces, chevron look-alikes read as `<`. */
function compact(line: string): string {
  return line.toUpperCase().replace(/\s+/g, '').replace(/[«‹≪＜]/g, '<');
}

/** Line lengths per format (ICAO), with one character of OCR slack either way. */
const LENGTHS: Readonly<Record<MrzFormat, readonly [number, number]>> = {
  TD1: [29, 31],
  TD2: [35, 37],
  TD3: [43, 45],
  MRV: [35, 45],
};

/** `[code][state]` at the start of a first line: the document code's letter tells the family. */
const FIRST_LINE = /^([PIACV])([A-Z<])([A-Z<]{3})[A-Z0-9<]+$/;

/** A check digit over `data` holds; `data` must hold a digit (fillers alone pass by chance: `<` is 0). */
const checkOk = (data: string, digit: string | undefined): boolean =>
  /^[0-9A-Z<]+$/.test(data) && /\d/.test(data) && digit !== undefined && /^\d$/.test(digit) && icaoCheckDigit(data) === Number(digit);

/**
 * The checks a zone of `format` carries on its first two lines that need no layout guesses:
 * TD3/MRV-A line 2: document number (0–8, 9), birth date (13–18, 19), expiry (21–26, 27);
 * TD2/MRV-B line 2: the same offsets; TD1 line 1: document number (5–13, 14), line 2 birth date
 * (0–5, 6) and expiry (8–13, 14).
 */
function countChecks(format: MrzFormat, l1: string, l2: string): number {
  const [number, birth, expiry]: [string, string | undefined][] =
    format === 'TD1'
      ? [
          [l1.slice(5, 14), l1[14]],
          [l2.slice(0, 6), l2[6]],
          [l2.slice(8, 14), l2[14]],
        ]
      : [
          [l2.slice(0, 9), l2[9]],
          [l2.slice(13, 19), l2[19]],
          [l2.slice(21, 27), l2[27]],
        ];
  // The dates must be dates: zeros check to 0 like anything else.
  const date = ([d, c]: [string, string | undefined]): boolean => isValidYymmdd(d) && checkOk(d, c);
  return [checkOk(...number!) && /[1-9A-Z]/.test(number![0]), date(birth!), date(expiry!)].filter(Boolean).length;
}

function formatOf(code: string, length: number): MrzFormat | undefined {
  const fits = (f: MrzFormat): boolean => length >= LENGTHS[f][0] && length <= LENGTHS[f][1];
  if (code === 'V') return fits('MRV') ? 'MRV' : undefined;
  if (code === 'P') return fits('TD3') ? 'TD3' : undefined;
  if (fits('TD1')) return 'TD1';
  if (fits('TD2')) return 'TD2';
  return undefined;
}

/**
 * A machine-readable zone of another document in the text: a first line of the right length
 * and shape (at least three fillers) followed by a second of the same length, whose check
 * digits at least partly pass. An INE card's own zone (`IDMEX`) is not foreign.
 */
export function findForeignMrz(text: string): ForeignMrz | null {
  const lines = text.split(/\r?\n/).map(compact).filter((l) => l.length >= 28);
  for (let i = 0; i < lines.length; i++) {
    const l1 = lines[i]!;
    const m = FIRST_LINE.exec(l1);
    if (!m || (l1.match(/</g) ?? []).length < 3) continue;
    const [, code = '', kind = '', issuer = ''] = m;
    if (code === 'I' && kind === 'D' && issuer === 'MEX') continue;
    const format = formatOf(code, l1.length);
    if (!format) continue;
    const l2 = lines[i + 1] ?? '';
    const passed = countChecks(format, l1, l2);
    if (passed === 0) continue;
    return { format, documentCode: code + kind, issuer, checksPassed: passed };
  }
  return null;
}

/** How many of an INE MRZ's four check digits pass (0 when none was found). */
export function ineMrzChecks(mrz: MrzResult | null): number {
  if (!mrz?.found) return 0;
  return [mrz.checks.cic, mrz.checks.birthDate, mrz.checks.expiry, mrz.checks.composite].filter(Boolean).length;
}

/**
 * An INE back: an INE MRZ whose check digits mostly pass. A "zone" assembled from a front's
 * or a page's text fails them; one check passing is what chance gives (one in ten each).
 */
export const INE_BACK_MIN_CHECKS = 2;

/**
 * How much of an INE front a reading shows: field labels with their values, and the codes
 * (CURP, clave) and birth date that only a card prints together. A page of prose that mentions
 * a *domicilio* has a label or two and no codes.
 */
export function frontStrength(r: FrontReading): number {
  const fieldLabels = r.labels.filter((k) => !CARD_MARKER_KEYS.has(k)).length;
  return fieldLabels + (r.curp ? 2 : 0) + (r.clave ? 2 : 0) + (r.dateOfBirth ? 1 : 0);
}

/** Keys of the markers (institute names) a back prints too: they do not make a front. */
const CARD_MARKER_KEYS: ReadonlySet<string> = new Set(['ine', 'ife', 'credencial']);

/**
 * An INE front: a code (CURP or clave) with labels around it, or many labels with a birth
 * date. A front whose labels were lost (a blurred photo) still shows its two codes.
 */
export function looksLikeFront(r: FrontReading): boolean {
  const codes = (r.curp ? 1 : 0) + (r.clave ? 1 : 0);
  return frontStrength(r) >= FRONT_MIN_STRENGTH && (codes > 0 || r.labels.length >= 4);
}

/** The least frontStrength of an INE front (two labels and a code, or four labels and a date). */
export const FRONT_MIN_STRENGTH = 4;
