/**
 * INE/IFE back: ICAO 9303 TD1 machine-readable zone, 3 × 30 characters (ine-formats.md §2).
 *
 *   IDMEX + CIC(9) + check + `<<` + sección(4) + identificador(9)
 *   DOB YYMMDD + check + sex H/M + expiry YYMMDD + check + MEX + `<EE<<NNNNN<` + composite
 *   PATERNO<MATERNO<<NOMBRE<NOMBRE2<<<…
 *
 * `findMrz` locates and rebuilds the three lines from raw OCR text, `parseMrz` reads the
 * fields from a declarative table, runs the four ICAO 7-3-1 checks and, when a check
 * fails, keeps the one confusable-digit candidate that makes the checks pass.
 *
 * The npm `mrz` package is not used: it rejects INE's sex `H` (Spanish hombre) and reads
 * `M` (mujer) as male (ine-formats.md §6).
 *
 * Nothing here throws on bad input, and no warning or repair reason carries a field value:
 * they name lines, positions and kinds only (repairs carry single characters).
 */
import { MRZ_CHECK_IDS, REPAIRS_REALIGNED, type MrzCheckName, type Note, type NoteOf } from '../evidence.ts';
import { icaoCheckDigit } from './check-digits.ts';
import { isValidYymmdd, resolveExpiryDate } from './dates.ts';
import { AS_DIGIT, AS_SEX, classOf, FILLER_LETTERS, FILLER_SYMBOLS } from '../domain/lookalikes.ts';
import {
  FILLER,
  coerceToPattern,
  patternOf,
  pickUnique,
  product,
  singleSwapCandidates,
  type PositionClass,
  type Repair,
} from './repair.ts';

export const MRZ_LINE_LENGTH = 30;

export type MrzLineNumber = 1 | 2 | 3;

/** A change made to the text as read; `position` is 0-based within the rebuilt line. */
export interface MrzRepair extends Repair {
  readonly line: MrzLineNumber;
}

/** The three rebuilt lines ('' for a line that was not found). */
export interface MrzCandidate {
  readonly lines: readonly [string, string, string];
  /**
   * Every line was found and aligned on its anchors with every character fitting its
   * position. Check-digit candidates are only tried on aligned lines: on a misaligned line a
   * candidate that passes would pass by chance.
   */
  readonly aligned: boolean;
  readonly repairs: MrzRepair[];
  readonly warnings: Note[];
}

export interface MrzFields {
  /** CIC, 9 digits (line 1 positions 5–13). */
  readonly idMex: string;
  readonly cicCheckDigit: string;
  /** Sección, 4 digits (line 1 positions 17–20). */
  readonly section: string;
  /** Identificador del ciudadano, 9 digits (line 1 positions 21–29). */
  readonly citizenId: string;
  /** Sección + identificador, 13 digits (line 1 positions 17–29). */
  readonly idNumber: string;
  /** `YYMMDD` (line 2 positions 0–5). */
  readonly birthDate: string;
  readonly birthDateCheckDigit: string;
  readonly sex: 'H' | 'M' | 'X' | '';
  /** `YYMMDD` (line 2 positions 8–13). */
  readonly expiryDate: string;
  readonly expiryCheckDigit: string;
  /** `20YY` of the expiry date: the VIGENCIA end year. */
  readonly expirationYear: string;
  readonly nationality: string;
  /** Emission number, the `EE` of `<EE<<NNNNN<` (line 2 positions 19–20). */
  readonly issueNumber: string;
  /** Line 2 positions 18–28 as read (fillers kept). */
  readonly optionalData: string;
  readonly compositeCheckDigit: string;
  readonly firstLastName: string;
  readonly secondLastName: string;
  /** Given names joined by one space. */
  readonly givenNames: string;
  /** Every `<`-separated token before the `<<` (a surname such as DE LA CRUZ spans several). */
  readonly surnames: readonly string[];
  /** More than two surname tokens: the paterno/materno split is a guess (particles grouped). */
  readonly surnameSplitAmbiguous: boolean;
  /** Line 3 ends in a letter: the name may be cut at 30 characters. */
  readonly nameTruncated: boolean;
}

export interface MrzChecks {
  /** The four ICAO 7-3-1 check digits. */
  readonly cic: boolean;
  readonly birthDate: boolean;
  readonly expiry: boolean;
  readonly composite: boolean;
  /**
   * The dates the check digits cover exist in the calendar: a check digit is arithmetic over
   * the digits and passes for 30 February as readily as for any other day.
   */
  readonly birthDateExists: boolean;
  readonly expiryExists: boolean;
}

/** How many of the four check digits pass (0–4). */
export function checkDigitsPassed(c: MrzChecks): number {
  return [c.cic, c.birthDate, c.expiry, c.composite].filter(Boolean).length;
}

export interface MrzResult {
  /** Whether an MRZ was located at all. */
  readonly found: boolean;
  /** The three repaired 30-character lines ('' when a line was not found). */
  readonly lines: readonly [string, string, string];
  readonly fields: MrzFields;
  readonly checks: MrzChecks;
  /** All four check digits pass and both dates exist. */
  readonly valid: boolean;
  readonly repairs: MrzRepair[];
  readonly warnings: Note[];
}

// ---------------------------------------------------------------------------------------
// Character classes used to locate the lines in noisy text.

/** Anything that may be a digit once repaired (AS_DIGIT). */
const DIGITISH = `[0-9${classOf(Object.keys(AS_DIGIT))}]`;
/** Anything that may be the filler `<`. */
const FILLERISH = `[${classOf([...FILLER_SYMBOLS, ...FILLER_LETTERS])}]`;
/** `IDMEX` and its usual misreads (1DMEX, lDMEX, IOMEX, IDMEK, IDM3X); a lost leading I is tolerated. */
const PREFIX = `[I1L|!T]?[D0OQ][MN][E3F][XK]`;
/** `MEX` in line 2. */
const NATIONALITY = `[MN][E3F][XK]`;

const LINE1_RE = new RegExp(`(${PREFIX})(${DIGITISH}{9})(${DIGITISH})(${FILLERISH}{0,4})(${DIGITISH}{13})`, 'g');
const LINE1_LOOSE_RE = new RegExp(`${PREFIX}(?=${DIGITISH}{4})`, 'g');
/**
 * Line 1 with its left end hidden (a finger over the card's corner, a glare): no prefix, but an
 * OCR line ending in the `<<` and the 13 digits, which no other line of the back has, after a
 * run of the document number's digits.
 */
const LINE1_RIGHT_RE = new RegExp(`(${DIGITISH}{1,10})(${FILLERISH}{2})(${DIGITISH}{13})$`);
const LINE2_RE = new RegExp(`(${DIGITISH}{6})(${DIGITISH})(.)(${DIGITISH}{6})(${DIGITISH})(${NATIONALITY})`, 'g');
const LINE2_LOOSE_RE = new RegExp(`${NATIONALITY}`, 'g');

const LINE1_DIGITS_CIC = patternOf('999999999' + '9');
const LINE1_DIGITS_ID = patternOf('9999999999999');
/** Sex: H/M (INE, Spanish), X (non-binary, newer cards [U]), `<` unspecified; `4` is tesseract's H. */
const SEX_CLASS: PositionClass = { oneOf: 'HMX<', map: AS_SEX, kind: 'sex-misread' };
const LINE2_HEAD: PositionClass[] = [
  ...patternOf('999999' + '9'),
  SEX_CLASS,
  ...patternOf('999999' + '9' + 'MEX'),
];
/** Notes that say line 2's optional data was not read in its layout (so neither, in truth, was the composite digit after it). */
const OPTIONAL_DATA_NOTES: ReadonlySet<Note['code']> = new Set(['mrz-optional-length', 'mrz-optional-layout', 'mrz-tail-missing']);

/** Any of the notes says line 2's tail was not read in its layout (OPTIONAL_DATA_NOTES). */
export const tailUnread = (notes: readonly Note[]): boolean => notes.some((n) => OPTIONAL_DATA_NOTES.has(n.code));

/** `<EE<<NNNNN<`; digit slots also accept `<` so a different layout is kept as read. */
const OPTIONAL_PATTERN: PositionClass[] = patternOf('<##<<#####<');

interface Flat {
  /** Upper-cased text of all lines, whitespace removed, concatenated. */
  readonly text: string;
  /** Raw line index of each character of `text`. */
  readonly lineOf: number[];
  /** Cleaned lines. */
  readonly lines: string[];
  /** Index in `text` where each cleaned line starts. */
  readonly starts: number[];
}

function flatten(raw: string): Flat {
  const lines = raw
    .toUpperCase()
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/\s+/g, ''))
    .filter((l) => l.length > 0);
  let text = '';
  const lineOf: number[] = [];
  const starts: number[] = [];
  lines.forEach((l, i) => {
    starts.push(text.length);
    text += l;
    for (let k = 0; k < l.length; k++) lineOf.push(i);
  });
  return { text, lineOf, lines, starts };
}

const lineEnd = (flat: Flat, i: number): number => (flat.starts[i] ?? 0) + (flat.lines[i]?.length ?? 0);

const tag = (line: MrzLineNumber, repairs: readonly Repair[]): MrzRepair[] => repairs.map((r) => ({ ...r, line }));

function unrepairedWarnings(line: MrzLineNumber, positions: readonly number[]): Note[] {
  return positions.map((position) => ({ code: 'mrz-char-unfit', line, position }));
}

// ---------------------------------------------------------------------------------------
// Line 1

interface Located {
  readonly line: string;
  /** Index in the flat text just after the line. */
  readonly end: number;
  readonly repairs: MrzRepair[];
  readonly warnings: Note[];
}

function rebuildLine1(prefix: string, cic: string, fill: string, id: string): Omit<Located, 'end'> {
  const repairs: MrzRepair[] = [];
  const warnings: Note[] = [];
  const target = 'IDMEX';
  const pre = prefix.length === 4 ? '\u0000' + prefix : prefix;
  for (let i = 0; i < 5; i++) {
    const ch = pre[i] ?? '';
    if (ch !== target[i]) {
      repairs.push({ line: 1, position: i, from: ch === '\u0000' ? '' : ch, to: target[i] ?? '', kind: 'document-code' });
    }
  }
  const c = coerceToPattern(cic, LINE1_DIGITS_CIC, 5);
  repairs.push(...tag(1, c.repairs));
  warnings.push(...unrepairedWarnings(1, c.unrepaired));
  if (fill !== '<<') {
    repairs.push({ line: 1, position: 15, from: fill, to: '<<', kind: 'filler-run-rebuilt' });
  }
  const d = coerceToPattern(id, LINE1_DIGITS_ID, 17);
  repairs.push(...tag(1, d.repairs));
  warnings.push(...unrepairedWarnings(1, d.unrepaired));
  return { line: 'IDMEX' + c.value + '<<' + d.value, repairs, warnings };
}

/**
 * A digit run that spills over into a new OCR line and stops short of its end has most
 * likely borrowed the first characters of the next MRZ line (a digit was dropped): a line
 * split in two ends where the run ends, and joined lines keep the run within one OCR line.
 */
function stealsFromNextLine(flat: Flat, runStart: number, runEnd: number): boolean {
  const first = flat.lineOf[runStart] ?? 0;
  const last = flat.lineOf[runEnd - 1] ?? 0;
  return last !== first && runEnd !== lineEnd(flat, last);
}

function locateLine1(flat: Flat): Located | null {
  LINE1_RE.lastIndex = 0;
  const m = LINE1_RE.exec(flat.text);
  if (m && !stealsFromNextLine(flat, m.index + m[0].length - (m[5]?.length ?? 0), m.index + m[0].length)) {
    const [, prefix = '', cic = '', check = '', fill = '', id = ''] = m;
    return { ...rebuildLine1(prefix, cic + check, fill, id), end: m.index + m[0].length };
  }
  // Loose: an IDMEX-like prefix whose digit runs do not have the expected lengths (a digit
  // dropped or doubled). Positions cannot be aligned with confidence: keep what is there.
  LINE1_LOOSE_RE.lastIndex = 0;
  const p = LINE1_LOOSE_RE.exec(flat.text);
  if (!p) return rightEndOfLine1(flat);
  const li = flat.lineOf[p.index] ?? 0;
  const body = flat.text.slice(p.index + p[0].length, lineEnd(flat, li));
  const fillAt = body.search(new RegExp(FILLERISH));
  const cic = (fillAt >= 0 ? body.slice(0, fillAt) : body.slice(0, 10)).padEnd(10, '<').slice(0, 10);
  const rest = fillAt >= 0 ? body.slice(fillAt).replace(new RegExp(`^${FILLERISH}+`), '') : body.slice(10);
  const id = rest.padEnd(13, '<').slice(0, 13);
  const built = rebuildLine1(p[0], cic, '<<', id);
  return {
    ...built,
    end: lineEnd(flat, li),
    warnings: [...built.warnings, { code: 'mrz-line-unaligned', line: 1 }],
  };
}

/**
 * Line 1 read from its right end only (LINE1_RIGHT_RE): placed by that end, the fixed `IDMEX`
 * restored (a document-code repair from nothing) and the document number's hidden digits left
 * as fillers, which its check digit then fails; the 13 digits after `<<` are all there.
 */
function rightEndOfLine1(flat: Flat): Located | null {
  for (const [li, line] of flat.lines.entries()) {
    const m = LINE1_RIGHT_RE.exec(line);
    if (!m) continue;
    const [, cic = '', fill = '', id = ''] = m;
    return { ...rebuildLine1('', cic.padStart(10, FILLER), fill, id), end: lineEnd(flat, li) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Line 2

/** Where the composite check digit sits in the text after `MEX`: the standard offset first. */
function tailLength(t: string): number {
  if (t.length <= 12) return t.length;
  for (const c of [11, 10, 12, 9, 13]) {
    const ch = t[c];
    if (ch !== undefined && /[0-9]/.test(ch) && !/[0-9]/.test(t[c + 1] ?? '')) return c + 1;
  }
  return 12;
}

function rebuildTail(tail: string): { value: string; repairs: MrzRepair[]; warnings: Note[] } {
  const repairs: MrzRepair[] = [];
  const warnings: Note[] = [];
  let optional = tail.slice(0, -1);
  const composite = tail.slice(-1);
  if (optional.length !== 11) {
    const digits = [...optional].filter((ch) => !FILLER_SYMBOLS.has(ch) && !FILLER_LETTERS.has(ch));
    if (digits.length === 7) {
      const rebuilt = '<' + digits.slice(0, 2).join('') + '<<' + digits.slice(2).join('') + '<';
      repairs.push({ line: 2, position: 18, from: '', to: '', kind: 'realigned', count: optional.length });
      optional = rebuilt;
    } else {
      warnings.push({ code: 'mrz-optional-length', count: optional.length });
      optional = optional.padEnd(11, '<').slice(0, 11);
    }
  }
  const o = coerceToPattern(optional, OPTIONAL_PATTERN, 18);
  repairs.push(...tag(2, o.repairs));
  if (o.unrepaired.length > 0) warnings.push({ code: 'mrz-optional-layout' });
  const c = coerceToPattern(composite, patternOf('9'), 29);
  repairs.push(...tag(2, c.repairs));
  warnings.push(...unrepairedWarnings(2, c.unrepaired));
  return { value: o.value + c.value, repairs, warnings };
}

/** The INE tail exactly: `<EE<<NNNNN<` and the composite check digit. */
const STRICT_TAIL = patternOf('<99<<99999<9');

/**
 * Every way of making a line-2 tail that was not read as 12 characters fit the INE layout
 * exactly, by dropping the characters the OCR added or adding the fillers it lost (at most
 * two either way). Distinct values only; the composite check digit decides among them.
 */
function tailAlternatives(t: string): string[] {
  const diff = t.length - 12;
  if (diff === 0 || Math.abs(diff) > 2) return [];
  const out = new Set<string>();
  const keep = (cand: string): void => {
    const c = coerceToPattern(cand, STRICT_TAIL);
    if (c.unrepaired.length === 0) out.add(c.value);
  };
  if (diff > 0) {
    for (let i = 0; i < t.length; i++) {
      const one = t.slice(0, i) + t.slice(i + 1);
      if (diff === 1) keep(one);
      else for (let j = i; j < one.length; j++) keep(one.slice(0, j) + one.slice(j + 1));
    }
  } else {
    for (let i = 0; i <= t.length; i++) {
      const one = t.slice(0, i) + FILLER + t.slice(i);
      if (diff === -1) keep(one);
      else for (let j = i; j <= one.length; j++) keep(one.slice(0, j) + FILLER + one.slice(j));
    }
  }
  return [...out];
}

/**
 * Of line-2 readings rebuilt from characters the OCR added or lost, the only one that makes
 * every check digit hold with line 1 as found. Null when none or several pass (several would
 * let a misread pass by chance).
 */
function onlyPassingLine2(line1: string, candidates: readonly string[], current: string): string | null {
  if (line1.length !== MRZ_LINE_LENGTH) return null;
  const passing = candidates.filter((l2) => l2 !== current && allChecksPass([line1, l2, '']));
  return passing.length === 1 ? passing[0]! : null;
}

/** Characters that may continue line 2's tail on the next OCR line (digits and fillers). */
const TAIL_CONTINUATION = new RegExp(`^(?:[0-9]|${FILLERISH}){1,12}$`);

/** The one digit-like character before line 2's match on its OCR line, if that is all there is. */
function digitBeforeLine2(flat: Flat, index: number, from: number): string | null {
  const li = flat.lineOf[index] ?? 0;
  const extra = flat.text.slice(Math.max(flat.starts[li] ?? 0, from), index);
  return extra.length === 1 && new RegExp(`^${DIGITISH}$`).test(extra) ? extra : null;
}

/**
 * The regex aligns line 2 on the first place its pattern fits, so a character the OCR added
 * inside the birth date (`9109054` read `92109054`) shifts the date by one. When exactly one
 * digit-like character precedes the match on its OCR line and the aligned date fails its check
 * digit, drop each character of the date run in turn and keep the only result whose check
 * digit holds and which is a real date.
 */
function dropInsertedBirthDateChar(flat: Flat, index: number, head: string, from: number): { head: string; position: number; removed: string } | null {
  const extra = digitBeforeLine2(flat, index, from);
  if (extra === null) return null;
  const digitsOf = (x: string): string => coerceToPattern(x, patternOf('9999999')).value;
  const passes = (x: string): boolean => {
    const d = digitsOf(x.slice(0, 7));
    return /^\d{7}$/.test(d) && icaoCheckDigit(d.slice(0, 6)) === Number(d[6]) && isValidYymmdd(d.slice(0, 6));
  };
  if (passes(head)) return null;
  const wide = extra + head;
  const found: { head: string; position: number; removed: string }[] = [];
  for (let k = 0; k < 8; k++) {
    const cand = wide.slice(0, k) + wide.slice(k + 1);
    if (passes(cand) && !found.some((f) => f.head === cand)) found.push({ head: cand, position: k, removed: wide[k]! });
  }
  return found.length === 1 ? found[0]! : null;
}

/**
 * One digit-like character before line 2's match on its OCR line may be a character the OCR
 * added inside the birth date whose check digit then passed by chance: every head with one
 * of the first eight characters dropped, fitting the layout. The other check digits decide.
 */
function insertedHeadAlternatives(flat: Flat, index: number, head: string, from: number): string[] {
  const extra = digitBeforeLine2(flat, index, from);
  if (extra === null) return [];
  const wide = extra + head;
  const out = new Set<string>();
  for (let k = 0; k < 8; k++) {
    const c = coerceToPattern(wide.slice(0, k) + wide.slice(k + 1), LINE2_HEAD);
    if (c.unrepaired.length === 0) out.add(c.value);
  }
  return [...out];
}

function locateLine2(flat: Flat, from: number): (Located & { rest: string; alternatives: string[]; heads: string[] }) | null {
  const repairs: MrzRepair[] = [];
  const warnings: Note[] = [];
  let head: string;
  let headEnd: number;
  let heads: string[] = [];
  LINE2_RE.lastIndex = from;
  const m = LINE2_RE.exec(flat.text);
  if (m) {
    head = m[0];
    headEnd = m.index + m[0].length;
    heads = insertedHeadAlternatives(flat, m.index, head, from);
    const dropped = dropInsertedBirthDateChar(flat, m.index, head, from);
    if (dropped) {
      head = dropped.head;
      repairs.push({ line: 2, position: dropped.position, from: dropped.removed, to: '', kind: 'extra-dropped-birth-date' });
    }
  } else {
    LINE2_LOOSE_RE.lastIndex = from;
    const n = LINE2_LOOSE_RE.exec(flat.text);
    if (!n) return null;
    const li = flat.lineOf[n.index] ?? 0;
    const before = flat.text.slice(Math.max(flat.starts[li] ?? 0, from), n.index);
    if (before.length < 10) return null;
    head = before.slice(-15).padStart(15, '<') + n[0];
    headEnd = n.index + n[0].length;
    warnings.push({ code: 'mrz-line-unaligned', line: 2 });
  }
  const h = coerceToPattern(head, LINE2_HEAD, 0);
  repairs.push(...tag(2, h.repairs));
  for (const p of h.unrepaired) {
    warnings.push(p === 7 ? { code: 'mrz-sex-unrecognised' } : { code: 'mrz-char-unfit', line: 2, position: p });
  }
  // Tail: to the end of the OCR line holding MEX, plus the next OCR line if the tail was split off.
  const li = flat.lineOf[headEnd - 1] ?? 0;
  let end = lineEnd(flat, li);
  let t = flat.text.slice(headEnd, end);
  const next = flat.lines[li + 1];
  if (t.length < 11 && next !== undefined && TAIL_CONTINUATION.test(next) && t.length + next.length <= 13) {
    t += next;
    end = lineEnd(flat, li + 1);
  }
  const len = tailLength(t);
  const tail = t.slice(0, len);
  const rest = t.slice(len);
  if (tail.length === 0) {
    warnings.push({ code: 'mrz-tail-missing' });
    return { line: h.value.padEnd(MRZ_LINE_LENGTH, '<'), end, rest, repairs, warnings, alternatives: [], heads };
  }
  const tb = rebuildTail(tail);
  repairs.push(...tb.repairs);
  warnings.push(...tb.warnings);
  // The tail as read up to the line end, when it is not the 12 characters of the layout.
  const whole = tail + rest;
  const alternatives = whole.length !== 12 && h.unrepaired.length === 0 ? tailAlternatives(whole) : [];
  return { line: h.value + tb.value, end, rest, repairs, warnings, alternatives, heads };
}

// ---------------------------------------------------------------------------------------
// Line 3

const NAME_CHAR = new RegExp(`[A-Z]|${FILLERISH}|[0-9]`);

/**
 * Digits a name line may hold, as a share of its characters: OCR-B's O, I, S read as digits
 * (G0NZALEZ<L0PEZ: a tenth). A piece of line 1 or 2 is half digits or more (5M2412311MEX<01<<…,
 * line 2 with its left end hidden, not found as line 2 and taken for the name line).
 */
const NAME_MAX_DIGITS = 0.3;

function looksLikeName(s: string): boolean {
  if (s.length < 3) return false;
  const letters = (s.match(/[A-Z]/g) ?? []).length;
  const digits = (s.match(/[0-9]/g) ?? []).length;
  const ok = [...s].filter((ch) => NAME_CHAR.test(ch)).length;
  return letters >= 2 && ok / s.length >= 0.8 && digits / s.length <= NAME_MAX_DIGITS;
}

const endsWithFiller = (s: string): boolean => {
  const last = s[s.length - 1] ?? '';
  return last === FILLER || FILLER_SYMBOLS.has(last);
};

function locateLine3Text(flat: Flat, afterLine: number, rest: string): string | null {
  let i = afterLine;
  let text: string;
  if (/[A-Z]{2}/.test(rest) && looksLikeName(rest)) {
    text = rest;
  } else {
    // Skip up to two garbage lines between line 2 and the name.
    let found = -1;
    for (let k = afterLine; k < Math.min(flat.lines.length, afterLine + 3); k++) {
      if (looksLikeName(flat.lines[k] ?? '')) {
        found = k;
        break;
      }
    }
    if (found < 0) return null;
    text = flat.lines[found] ?? '';
    i = found + 1;
  }
  // A name line split in two: join the next piece when it ends in filler or fills the line.
  const next = flat.lines[i];
  if (text.length < 28 && next !== undefined && looksLikeName(next)) {
    const joined = text.length + next.length;
    if (joined <= MRZ_LINE_LENGTH + 1 && (endsWithFiller(next) || joined >= 28)) text += next;
  }
  return text;
}

function rebuildLine3(text: string): { line: string; repairs: MrzRepair[]; warnings: Note[] } {
  const repairs: MrzRepair[] = [];
  const warnings: Note[] = [];
  // Symbols that can only be the chevron, and digits read for letters.
  const c = coerceToPattern(text, Array.from({ length: text.length }, () => 'letterOrFiller' as const));
  let s = c.value;
  repairs.push(...tag(3, c.repairs));
  // Anything else (punctuation, stray marks) cannot stand in a name line.
  s = [...s]
    .map((ch, i) => {
      if (/[A-Z<]/.test(ch)) return ch;
      repairs.push({ line: 3, position: i, from: ch, to: FILLER, kind: 'unexpected-as-filler' });
      return FILLER;
    })
    .join('');
  // A filler duplicated inside the name (`<<<` followed by letters) is one too many: the
  // surname/given-name separator is exactly `<<`.
  s = s.replace(/<{3,}(?=[A-Z])/g, (run, at: number) => {
    repairs.push({ line: 3, position: at + 2, from: '<'.repeat(run.length - 2), to: '', kind: 'filler-deduplicated' });
    return '<<';
  });
  // `<` read as K or C in the trailing filler: a run of 3+ of the same letter cannot end a name.
  s = s.replace(/(?<=[A-Z<])([KC])\1{2,}(?=<*$)/, (run, _ch: string, at: number) => {
    for (let k = 0; k < run.length; k++) repairs.push({ line: 3, position: at + k, from: run[k] ?? '', to: FILLER, kind: 'filler-misread' });
    return FILLER.repeat(run.length);
  });
  // ... and a lone K/C/L between fillers (or between a filler and the end) is a filler too.
  let prev = '';
  while (prev !== s) {
    prev = s;
    s = s.replace(/(?<=<)[KCL](?=<)/, (ch, at: number) => {
      repairs.push({ line: 3, position: at, from: ch, to: FILLER, kind: 'filler-misread' });
      return FILLER;
    });
  }
  if (s.length < MRZ_LINE_LENGTH) {
    if (s.length > 0) {
      repairs.push({ line: 3, position: s.length, from: '', to: '<'.repeat(MRZ_LINE_LENGTH - s.length), kind: 'line-padded' });
    }
    s = s.padEnd(MRZ_LINE_LENGTH, FILLER);
  } else if (s.length > MRZ_LINE_LENGTH) {
    const extra = s.slice(MRZ_LINE_LENGTH);
    if (!/^<+$/.test(extra)) warnings.push({ code: 'mrz-line3-too-long', count: s.length });
    repairs.push({ line: 3, position: MRZ_LINE_LENGTH, from: extra.replace(/[A-Z]/g, '?'), to: '', kind: 'line-cut' });
    s = s.slice(0, MRZ_LINE_LENGTH);
  }
  return { line: s, repairs, warnings };
}

// ---------------------------------------------------------------------------------------

/**
 * Locates the three MRZ lines in raw OCR text of a card back (or of the MRZ band alone)
 * and rebuilds each to 30 characters. Tolerates garbage lines around the MRZ, spaces,
 * lines split in two or joined, `<` misread/dropped/duplicated, and misread `IDMEX`/`MEX`.
 * Returns null when neither line 1 nor line 2 can be found.
 */
export function findMrz(text: string): MrzCandidate | null {
  const flat = flatten(text);
  const l1 = locateLine1(flat);
  const l2 = locateLine2(flat, l1?.end ?? 0);
  if (!l1 && !l2) return null;
  const repairs: MrzRepair[] = [...(l1?.repairs ?? []), ...(l2?.repairs ?? [])];
  const warnings: Note[] = [...(l1?.warnings ?? []), ...(l2?.warnings ?? [])];
  if (!l1) warnings.push({ code: 'mrz-line-missing', line: 1 });
  if (!l2) warnings.push({ code: 'mrz-line-missing', line: 2 });
  const after = l2 ?? l1;
  const afterLine = after ? (flat.lineOf[after.end - 1] ?? -1) + 1 : flat.lines.length;
  const t3 = locateLine3Text(flat, afterLine, l2?.rest ?? '');
  let line3 = '';
  if (t3 === null) warnings.push({ code: 'mrz-line-missing', line: 3 });
  else {
    const r3 = rebuildLine3(t3);
    line3 = r3.line;
    repairs.push(...r3.repairs);
    warnings.push(...r3.warnings);
  }
  const fit = (s: string, n: MrzLineNumber): string => {
    if (s === '' || s.length === MRZ_LINE_LENGTH) return s;
    warnings.push({ code: 'mrz-line-length', line: n, count: s.length });
    return s.padEnd(MRZ_LINE_LENGTH, FILLER).slice(0, MRZ_LINE_LENGTH);
  };
  const lines: [string, string, string] = [fit(l1?.line ?? '', 1), fit(l2?.line ?? '', 2), line3];
  let kept = { repairs, warnings };
  if (l2) {
    // A tail read with characters added or lost: its own repairs and warnings described the
    // reading now replaced.
    const tail = onlyPassingLine2(lines[0], l2.alternatives.map((alt) => lines[1].slice(0, 18) + alt), lines[1]);
    if (tail !== null) {
      kept = {
        repairs: [...repairs.filter((r) => !(r.line === 2 && r.position >= 18)), { line: 2, position: 18, from: '', to: '', kind: 'realigned-by-check-digits' }],
        warnings: warnings.filter((w) => !isTailNote(w)),
      };
      lines[1] = tail;
    }
    // A birth date that passed its check digit by chance with a character the OCR added.
    const head = allChecksPass([lines[0], lines[1], '']) ? null : onlyPassingLine2(lines[0], l2.heads.map((h) => h + lines[1].slice(18)), lines[1]);
    if (head !== null) {
      kept.repairs.push({ line: 2, position: 0, from: '', to: '', kind: 'extra-dropped' });
      lines[1] = head;
    }
  }
  // Line 3 and the sex are outside every check digit: their troubles do not misalign the checks.
  const aligned = lines[0] !== '' && lines[1] !== '' && kept.warnings.every(outsideTheChecks);
  return { lines, aligned, repairs: kept.repairs, warnings: kept.warnings };
}

/** A note about line 2's tail (positions 18–29): replaced with the tail when it is realigned. */
function isTailNote(n: Note): boolean {
  switch (n.code) {
    case 'mrz-char-unfit':
      return n.line === 2 && n.position >= 18;
    case 'mrz-optional-length':
    case 'mrz-optional-layout':
    case 'mrz-tail-missing':
      return true;
    case 'mrz-line-length':
      return n.line === 2;
    default:
      return false;
  }
}

/** A note about what no check digit covers (line 3, the sex): it does not misalign the checks. */
function outsideTheChecks(n: Note): boolean {
  if (n.code === 'mrz-sex-unrecognised' || n.code === 'mrz-line3-too-long') return true;
  return 'line' in n && n.line === 3;
}

/** A note that says a line was rebuilt rather than read as it is (realigned, mis-sized, not aligned). */
export function lineRebuilt(c: { readonly repairs: readonly MrzRepair[]; readonly warnings: readonly Note[] }, line: 1 | 2): boolean {
  return c.repairs.some((r) => r.line === line && REPAIRS_REALIGNED.has(r.kind)) || c.warnings.some((w) => noteLine(w) === line);
}

/** The MRZ line a note is about, if any (line-2 tail notes included). */
export function noteLine(n: Note): 1 | 2 | 3 | undefined {
  switch (n.code) {
    case 'mrz-line-missing':
    case 'mrz-line-length':
    case 'mrz-line-unaligned':
    case 'mrz-char-unfit':
    case 'mrz-repair':
      return n.line;
    case 'mrz-sex-unrecognised':
    case 'mrz-sex-unreadable':
    case 'mrz-optional-length':
    case 'mrz-optional-layout':
    case 'mrz-tail-missing':
    case 'mrz-date-invalid':
    case 'mrz-emission-layout':
    case 'mrz-nationality':
      return 2;
    case 'mrz-line3-too-long':
    case 'mrz-name-separator-missing':
    case 'mrz-name-truncated':
      return 3;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Fields: a declarative table in the manner of cheminfo/mrz td1Fields.ts.

type Lines = readonly [string, string, string];

interface FieldSpec {
  readonly field: 'idMex' | 'cicCheckDigit' | 'section' | 'citizenId' | 'idNumber' | 'birthDate' | 'birthDateCheckDigit' | 'expiryDate' | 'expiryCheckDigit' | 'nationality' | 'optionalData' | 'compositeCheckDigit';
  readonly line: MrzLineNumber;
  readonly start: number;
  readonly end: number;
  readonly parse: (raw: string) => string;
}

/** Digits only, else unreadable (''). */
const digits = (raw: string): string => (/^\d+$/.test(raw) ? raw : '');
const date = (raw: string): string => (isValidYymmdd(raw) ? raw : '');
const expiry = (raw: string): string => (resolveExpiryDate(raw) ? raw : '');
const asIs = (raw: string): string => raw;
const letters = (raw: string): string => (/^[A-Z]+$/.test(raw) ? raw : '');

const FIELD_TABLE: readonly FieldSpec[] = [
  { field: 'idMex', line: 1, start: 5, end: 14, parse: digits },
  { field: 'cicCheckDigit', line: 1, start: 14, end: 15, parse: digits },
  { field: 'idNumber', line: 1, start: 17, end: 30, parse: digits },
  { field: 'section', line: 1, start: 17, end: 21, parse: digits },
  { field: 'citizenId', line: 1, start: 21, end: 30, parse: digits },
  { field: 'birthDate', line: 2, start: 0, end: 6, parse: date },
  { field: 'birthDateCheckDigit', line: 2, start: 6, end: 7, parse: digits },
  { field: 'expiryDate', line: 2, start: 8, end: 14, parse: expiry },
  { field: 'expiryCheckDigit', line: 2, start: 14, end: 15, parse: digits },
  { field: 'nationality', line: 2, start: 15, end: 18, parse: letters },
  { field: 'optionalData', line: 2, start: 18, end: 29, parse: asIs },
  { field: 'compositeCheckDigit', line: 2, start: 29, end: 30, parse: digits },
];

interface CheckSpec {
  readonly name: MrzCheckName;
  /** [line, start, end) ranges whose characters the check digit covers. */
  readonly ranges: readonly (readonly [MrzLineNumber, number, number])[];
  readonly digit: readonly [MrzLineNumber, number];
  /**
   * [line, start, end) ranges that must hold digits for the check to mean anything: ICAO
   * gives `<` the value 0 and letters 10–35, so a padded or misaligned line could
   * otherwise pass.
   */
  readonly digitsOnly: readonly (readonly [MrzLineNumber, number, number])[];
}

/** ICAO 9303 Part 5 §4.2.2 (TD1); the composite ranges were verified on the synthetic examples of ine-formats.md §2. */
const CHECK_TABLE: readonly CheckSpec[] = [
  { name: 'cic', ranges: [[1, 5, 14]], digit: [1, 14], digitsOnly: [[1, 5, 14]] },
  { name: 'birthDate', ranges: [[2, 0, 6]], digit: [2, 6], digitsOnly: [[2, 0, 6]] },
  { name: 'expiry', ranges: [[2, 8, 14]], digit: [2, 14], digitsOnly: [[2, 8, 14]] },
  {
    name: 'composite',
    ranges: [[1, 5, 30], [2, 0, 7], [2, 8, 15], [2, 18, 29]],
    digit: [2, 29],
    // The optional data may hold fillers (one public fixture has a different layout).
    digitsOnly: [[1, 5, 15], [1, 17, 30], [2, 0, 7], [2, 8, 15]],
  },
];

const lineOf = (lines: Lines, n: MrzLineNumber): string => (n === 1 ? lines[0] : n === 2 ? lines[1] : lines[2]);

function checkPasses(lines: Lines, spec: CheckSpec): boolean {
  const data = spec.ranges.map(([n, s, e]) => lineOf(lines, n).slice(s, e)).join('');
  const expectedLength = spec.ranges.reduce((sum, [, s, e]) => sum + e - s, 0);
  if (data.length !== expectedLength) return false;
  if (!spec.digitsOnly.every(([n, st, e]) => /^\d+$/.test(lineOf(lines, n).slice(st, e)))) return false;
  const digit = lineOf(lines, spec.digit[0])[spec.digit[1]] ?? '';
  if (!/^\d$/.test(digit)) return false;
  const expected = icaoCheckDigit(data);
  return !Number.isNaN(expected) && expected === Number(digit);
}

/** The four ICAO checks on three 30-character lines as they are, with no repair. */
export function checkMrzLines(lines: readonly [string, string, string]): MrzChecks {
  return runChecks(lines);
}

/** All four ICAO checks hold on the lines as they are. */
function allChecksPass(lines: Lines): boolean {
  return CHECK_TABLE.every((s) => checkPasses(lines, s));
}

function runChecks(lines: Lines): MrzChecks {
  const out: Record<MrzCheckName, boolean> = { cic: false, birthDate: false, expiry: false, composite: false };
  for (const spec of CHECK_TABLE) out[spec.name] = checkPasses(lines, spec);
  return { ...out, birthDateExists: birthDateExists(lines), expiryExists: expiryExists(lines) };
}

/** Line 2 positions 0–5: a real birth date (the century is unknown here: either may hold it). */
const birthDateExists = (lines: Lines): boolean => isValidYymmdd(lines[1].slice(0, 6));
/** Line 2 positions 8–13: a real expiry date, always 20YY (the MRZ exists since 2014). */
const expiryExists = (lines: Lines): boolean => resolveExpiryDate(lines[1].slice(8, 14)) !== null;

/** Positions (line, index) a check covers that hold digits, check digit included. */
function digitPositions(lines: Lines, spec: CheckSpec): (readonly [MrzLineNumber, number])[] {
  const out: (readonly [MrzLineNumber, number])[] = [];
  for (const [n, s, e] of [...spec.ranges, [spec.digit[0], spec.digit[1], spec.digit[1] + 1] as const]) {
    for (let i = s; i < e; i++) if (/\d/.test(lineOf(lines, n)[i] ?? '')) out.push([n, i]);
  }
  return out;
}

/** Candidates for one check: one confusable digit changed among the positions it covers. */
function candidatesFor(lines: Lines, spec: CheckSpec, positions: readonly (readonly [MrzLineNumber, number])[]): MrzRepair[][] {
  const out: MrzRepair[][] = [];
  for (const [n, i] of positions) {
    const line = lineOf(lines, n);
    for (const c of singleSwapCandidates(line, [i], { check: MRZ_CHECK_IDS[spec.name] })) {
      out.push(c.changes.map((r) => ({ ...r, line: n })));
    }
  }
  return out;
}

function applyRepairs(lines: Lines, repairs: readonly MrzRepair[]): Lines {
  const out: [string, string, string] = [lines[0], lines[1], lines[2]];
  for (const r of repairs) {
    const k = r.line - 1;
    const l = out[k] ?? '';
    out[k] = l.slice(0, r.position) + r.to + l.slice(r.position + r.from.length);
  }
  return out;
}

/** A date field's own validity, used to reject candidates that pass the digit but not the calendar. */
function datesPlausible(lines: Lines): boolean {
  return birthDateExists(lines) && expiryExists(lines);
}

const checkWarning = (spec: CheckSpec): NoteOf<'mrz-check-unrepaired'> => ({ code: 'mrz-check-unrepaired', check: spec.name });

/**
 * When check digits fail, try one confusable-digit change within the failing field (data
 * or check digit) — or, when only the composite fails, among the digits only the
 * composite covers — and keep the change that makes every check pass, only if it is the
 * only one. With two field checks failing nothing is changed.
 *
 * Limits, by arithmetic: the composite covers the CIC with the same 7-3-1 phase as the CIC's
 * own check, so for the CIC it adds no evidence; what keeps a wrong candidate out there is
 * only the confusion table. A misread outside the table (say 4 for 1) can therefore be
 * "repaired" into another value that passes. Every such change is recorded with its reason
 * so the merge step can weigh it.
 */
function repairByCheckDigits(lines: Lines, today: Date, compositeRead: boolean): { lines: Lines; repairs: MrzRepair[]; warnings: Note[] } {
  const checks = runChecks(lines);
  const failing = CHECK_TABLE.filter((s) => !checks[s.name]);
  if (failing.length === 0) return { lines, repairs: [], warnings: [] };
  const fieldSpecs = failing.filter((s) => s.name !== 'composite');
  let slots: MrzRepair[][][];
  if (fieldSpecs.length > 1) {
    // Two independent misreads are far less likely than a wrong or synthetic MRZ, and
    // combining candidates of two fields lets a wrong combination pass by chance.
    return { lines, repairs: [], warnings: failing.map(checkWarning) };
  }
  if (fieldSpecs.length > 0) {
    slots = fieldSpecs.map((spec) => candidatesFor(lines, spec, digitPositions(lines, spec)));
  } else {
    // Only the composite fails: the error is in what only it covers (line 1 positions 17–29,
    // the optional data) or in the composite digit itself (then it stays flagged).
    const composite = CHECK_TABLE.find((s) => s.name === 'composite');
    if (!composite) return { lines, repairs: [], warnings: [] };
    // A tail not read in its layout was padded or cut to fit: the last character taken for
    // the composite is a guess, and a digit changed to satisfy it a second guess (hard eval:
    // a finger over line 2's end, `<01<<18` padded with its `0` as the composite, and a
    // correctly read 0 of line 1 changed to 9 to match it).
    if (!compositeRead) return { lines, repairs: [], warnings: failing.map(checkWarning) };
    // Not the composite digit itself: it is the only check here, and changing it would
    // make any misread in those positions pass.
    const own = digitPositions(lines, composite).filter(([n, i]) => (n === 1 && i >= 17) || (n === 2 && i >= 18 && i < 29));
    slots = [candidatesFor(lines, composite, own)];
  }
  const combos = product(slots).map((parts) => parts.flat());
  const all = (l: Lines): boolean => allChecksPass(l) && datesPlausible(l);
  // Every INE expiry seen is 31 December (ine-formats.md §2): a candidate that changes the
  // expiry must keep it so. Used only to reject candidates, never to judge a reading.
  // INE cards are valid 10 years and the MRZ exists since 2014, so a changed expiry year must
  // fall between 2014 and today + 11.
  const maxYy = ((today.getFullYear() + 11) % 100);
  const expiryKept = (l: Lines, repairs: readonly MrzRepair[]): boolean => {
    if (!repairs.some((r) => r.line === 2 && r.position >= 8 && r.position <= 14)) return true;
    const yy = Number(l[1].slice(8, 10));
    return l[1].slice(10, 14) === '1231' && yy >= 14 && yy <= maxYy;
  };
  const winner = pickUnique(combos, (repairs) => {
    const l = applyRepairs(lines, repairs);
    return all(l) && expiryKept(l, repairs);
  });
  const warnings: Note[] = [];
  if (winner) return { lines: applyRepairs(lines, winner), repairs: winner, warnings };
  warnings.push(...failing.map(checkWarning));
  return { lines, repairs: [], warnings };
}

const SURNAME_PARTICLES = new Set(['DA', 'DAS', 'DE', 'DEL', 'DER', 'DI', 'DIE', 'EL', 'LA', 'LAS', 'LE', 'LES', 'LOS', 'MAC', 'MC', 'SAN', 'SANTA', 'VAN', 'VON', 'Y']);

/**
 * Splits the surname tokens into paterno and materno. Surnames are joined by `<`, but so
 * are the words of a compound surname (DE LA CRUZ): particles are attached to the word
 * that follows them, and the first group is the paterno. With more than two tokens this
 * is a guess, flagged so the merge step can prefer the front's lines.
 */
function splitSurnames(tokens: readonly string[]): [string, string] {
  const groups: string[][] = [];
  let pending: string[] = [];
  for (const t of tokens) {
    pending.push(t);
    if (!SURNAME_PARTICLES.has(t)) {
      groups.push(pending);
      pending = [];
    }
  }
  if (pending.length > 0) {
    if (groups.length > 0) groups[groups.length - 1]?.push(...pending);
    else groups.push(pending);
  }
  const first = groups[0]?.join(' ') ?? '';
  const second = groups.slice(1).map((g) => g.join(' ')).join(' ');
  return [first, second];
}

type NameFields = Pick<MrzFields, 'firstLastName' | 'secondLastName' | 'givenNames' | 'surnames' | 'surnameSplitAmbiguous' | 'nameTruncated'>;

function parseNameLine(line3: string, warnings: Note[]): NameFields {
  const empty: NameFields = { firstLastName: '', secondLastName: '', givenNames: '', surnames: [], surnameSplitAmbiguous: false, nameTruncated: false };
  if (!/^[A-Z<]{30}$/.test(line3)) return empty;
  const nameTruncated = !line3.endsWith(FILLER);
  const body = line3.replace(/<+$/, '');
  const sep = body.indexOf('<<');
  if (sep < 0) warnings.push({ code: 'mrz-name-separator-missing' });
  const surnamePart = sep < 0 ? body : body.slice(0, sep);
  const givenPart = sep < 0 ? '' : body.slice(sep + 2);
  const surnames = surnamePart.split('<').filter(Boolean);
  const [firstLastName, secondLastName] = splitSurnames(surnames);
  if (nameTruncated) warnings.push({ code: 'mrz-name-truncated' });
  return {
    firstLastName,
    secondLastName,
    givenNames: givenPart.split('<').filter(Boolean).join(' '),
    surnames,
    surnameSplitAmbiguous: surnames.length > 2,
    nameTruncated,
  };
}

function readFields(lines: Lines, warnings: Note[]): MrzFields {
  const f: Record<FieldSpec['field'], string> = {
    idMex: '', cicCheckDigit: '', section: '', citizenId: '', idNumber: '', birthDate: '', birthDateCheckDigit: '',
    expiryDate: '', expiryCheckDigit: '', nationality: '', optionalData: '', compositeCheckDigit: '',
  };
  for (const spec of FIELD_TABLE) {
    const raw = lineOf(lines, spec.line).slice(spec.start, spec.end);
    if (raw.length !== spec.end - spec.start) continue;
    f[spec.field] = spec.parse(raw);
    if (f[spec.field] === '' && (spec.field === 'birthDate' || spec.field === 'expiryDate')) {
      warnings.push({ code: 'mrz-date-invalid', check: spec.field === 'birthDate' ? 'birthDate' : 'expiry' });
    }
  }
  const sexChar = lines[1][7] ?? '';
  const sex = sexChar === 'H' || sexChar === 'M' || sexChar === 'X' ? sexChar : '';
  const opt = f.optionalData;
  const issueNumber = /^<\d\d<$/.test(opt.slice(0, 4)) ? opt.slice(1, 3) : '';
  if (opt !== '' && issueNumber === '') warnings.push({ code: 'mrz-emission-layout' });
  if (f.nationality !== '' && f.nationality !== 'MEX') warnings.push({ code: 'mrz-nationality' });
  return {
    idMex: f.idMex,
    cicCheckDigit: f.cicCheckDigit,
    section: f.section,
    citizenId: f.citizenId,
    idNumber: f.idNumber,
    birthDate: f.birthDate,
    birthDateCheckDigit: f.birthDateCheckDigit,
    sex,
    expiryDate: f.expiryDate,
    expiryCheckDigit: f.expiryCheckDigit,
    expirationYear: f.expiryDate ? '20' + f.expiryDate.slice(0, 2) : '',
    nationality: f.nationality,
    issueNumber,
    optionalData: opt,
    compositeCheckDigit: f.compositeCheckDigit,
    ...parseNameLine(lines[2], warnings),
  };
}

export interface MrzOptions {
  /** Bounds the plausible expiry year of a check-digit candidate; defaults to now. */
  readonly today?: Date;
  /**
   * The lines come from a reading whose line-2 tail was not read in its layout (padded or cut
   * to fit, OPTIONAL_DATA_NOTES): the composite digit is no check to repair by.
   */
  readonly tailUnread?: boolean;
}

/**
 * Parses an INE MRZ from the three lines or from raw OCR text (located with `findMrz`).
 * Never throws: an MRZ that cannot be located gives `found: false`, empty fields and
 * `valid: false`.
 */
export function parseMrz(input: string | readonly string[], options: MrzOptions = {}): MrzResult {
  const text = typeof input === 'string' ? input : input.join('\n');
  const candidate = findMrz(text);
  if (!candidate) {
    const lines: Lines = ['', '', ''];
    return {
      found: false,
      lines,
      fields: readFields(lines, []),
      checks: runChecks(lines),
      valid: false,
      repairs: [],
      warnings: [{ code: 'mrz-not-found' }],
    };
  }
  const warnings = [...candidate.warnings];
  const byCheck = candidate.aligned
    ? repairByCheckDigits(candidate.lines, options.today ?? new Date(), !options.tailUnread && !tailUnread(candidate.warnings))
    : { lines: candidate.lines, repairs: [], warnings: [] };
  warnings.push(...byCheck.warnings);
  return readMrzLines(byCheck.lines, [...candidate.repairs, ...byCheck.repairs], warnings);
}

/**
 * Three lines already located and rebuilt, read as they are: the checks and the fields, no
 * repair. `repairs` and `warnings` are what it took to get these lines, carried over.
 */
export function readMrzLines(lines: Lines, repairs: readonly MrzRepair[] = [], warnings: readonly Note[] = []): MrzResult {
  const notes = [...warnings];
  const checks = runChecks(lines);
  const fields = readFields(lines, notes);
  if (lines[1] !== '' && fields.sex === '') notes.push({ code: 'mrz-sex-unreadable' });
  return {
    found: true,
    lines,
    fields,
    checks,
    valid: checkDigitsPassed(checks) === 4 && checks.birthDateExists && checks.expiryExists,
    repairs: [...repairs],
    warnings: notes,
  };
}
