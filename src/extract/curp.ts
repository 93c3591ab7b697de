/**
 * CURP (Clave Única de Registro de Población), 18 characters — ine-formats.md §3:
 *
 *   1–4 name letters · 5–10 YYMMDD · 11 sex H/M(/X) · 12–13 state (RENAPO, NE = abroad)
 *   14–16 internal consonants · 17 homonymy differentiator (digit before 2000, letter from
 *   2000) · 18 check digit over RENAPO's 37-character alphabet.
 *
 * Repair follows the position types; digit misreads are settled by the check digit when a
 * single candidate passes it, and the birth date / sex read elsewhere on the card (hints)
 * settle what the check digit cannot see: position 9 has weight 10, and `0`/`O` at
 * position 17 have the same value mod 10 at weight 2.
 *
 * In this module `Repair.position` is 0-based like everywhere else; warnings speak of
 * 1-based CURP positions, as RENAPO's instructivo does. No warning carries the value.
 */
import { curpNameKey } from '../domain/name-codes.ts';
import type { Note } from '../evidence.ts';
import { CURP_INCONVENIENT_WORDS, CURP_STATE_CODES } from '../domain/states.ts';
import { curpCheckDigit } from './check-digits.ts';
import { formatDdMmYyyy, isAfterToday, isValidYymmdd, parseDdMmYyyy, resolveBirthDate, toYymmdd, type DateParts } from './dates.ts';
import { AS_DIGIT, AS_SEX, classOf, DIGIT_CONFUSIONS, LETTER_CONFUSIONS } from '../domain/lookalikes.ts';
import {
  coerceToPattern,
  pickUnique,
  product,
  singleSwapCandidates,
  bestWindow,
  type Candidate,
  type PositionClass,
  type Repair,
} from './repair.ts';

const CURP_LENGTH = 18;

/** RENAPO structure; position 2 is the first internal vowel of the paterno, or X. */
export const CURP_FORMAT = /^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$/;

export interface CurpHints {
  /**
   * Birth date read elsewhere: `YYMMDD` (MRZ line 2), `DD/MM/YYYY` (front) or parts.
   * A full year also tells whether position 17 is a digit or a letter.
   */
  readonly birthDate?: string | DateParts;
  /** Sex read elsewhere (MRZ, front): H, M or X. */
  readonly sex?: string;
  /** For century resolution; defaults to now. */
  readonly today?: Date;
}

export interface CurpChecks {
  readonly format: boolean;
  /** Positions 5–10 are a real date, not after today in the century position 17 gives. */
  readonly date: boolean;
  readonly state: boolean;
  readonly sex: boolean;
  readonly checkDigit: boolean;
  /** Positions 1–4 do not spell one of RENAPO's inconvenient words. */
  readonly inconvenientWord: boolean;
}

export interface CurpResult {
  /** The CURP after repair (upper case, spaces removed); as read when it could not be repaired. */
  readonly value: string;
  /** Every check passes. */
  readonly valid: boolean;
  readonly checks: CurpChecks;
  /** `DD/MM/YYYY`, century from position 17; '' when not a real date. */
  readonly birthDate: string;
  readonly sex: 'H' | 'M' | 'X' | '';
  /** RENAPO state code (positions 12–13), '' when not a known code. */
  readonly stateCode: string;
  readonly repairs: Repair[];
  readonly warnings: Note[];
  /** Disagreements with the hints (position kinds only). */
  readonly hintDisagreements: readonly ('birthDate' | 'sex' | 'century')[];
}

interface HintInfo {
  readonly yymmdd?: string;
  /** 1900 or 2000 when known. */
  readonly century?: number;
  readonly sex?: string;
}

function readHints(h: CurpHints | undefined): HintInfo {
  if (!h) return {};
  const out: { yymmdd?: string; century?: number; sex?: string } = {};
  const b = h.birthDate;
  if (typeof b === 'string') {
    if (/^\d{6}$/.test(b)) out.yymmdd = b;
    else {
      const p = parseDdMmYyyy(b);
      if (p) {
        out.yymmdd = toYymmdd(p);
        out.century = p.year < 2000 ? 1900 : 2000;
      }
    }
  } else if (b) {
    out.yymmdd = toYymmdd(b);
    out.century = b.year < 2000 ? 1900 : 2000;
  }
  if (out.yymmdd !== undefined && out.century === undefined) {
    // A two-digit year later than this year's can only be 19YY (INE holders are adults).
    const yy = Number(out.yymmdd.slice(0, 2));
    if (yy > (h.today ?? new Date()).getFullYear() % 100) out.century = 1900;
  }
  if (h.sex && /^[HMX]$/.test(h.sex)) out.sex = h.sex;
  return out;
}

/** Sex: H/M (X accepted, as npm curp 1.4.0 does); `4` is the usual misread of H. */
const SEX_CLASS: PositionClass = { oneOf: 'HMX', map: AS_SEX, kind: 'sex-misread' };

function patternFor(century: number | undefined): PositionClass[] {
  const p17: PositionClass = century === 1900 ? 'digit' : century === 2000 ? 'letter' : 'alnum';
  return [
    'letter', 'letter', 'letter', 'letter',
    'digit', 'digit', 'digit', 'digit', 'digit', 'digit',
    SEX_CLASS,
    'letter', 'letter',
    'letter', 'letter', 'letter',
    p17,
    'digit',
  ];
}

function centuryOf(value: string): number | undefined {
  const p17 = value[16] ?? '';
  if (/^\d$/.test(p17)) return 1900;
  if (/^[A-Z]$/.test(p17)) return 2000;
  return undefined;
}

/**
 * Positions 5–10 name a real date that is not in the future. Position 17 fixes the century
 * (RENAPO; ine-formats.md §3): a digit is 19YY, always past; a letter is 20YY, which may be
 * after today, and no one is born tomorrow.
 */
function birthDateOk(yymmdd: string, century: number | undefined, today: Date): boolean {
  if (!isValidYymmdd(yymmdd, century)) return false;
  if (century === undefined) return true;
  const born = { year: century + Number(yymmdd.slice(0, 2)), month: Number(yymmdd.slice(2, 4)), day: Number(yymmdd.slice(4, 6)) };
  return !isAfterToday(born, today);
}

/** RENAPO's checks on an 18-character CURP as it is; `today` bounds the birth date (default now). */
export function curpChecks(value: string, today: Date = new Date()): CurpChecks {
  const first17 = value.slice(0, 17);
  const check = curpCheckDigit(first17);
  return {
    format: value.length === CURP_LENGTH && CURP_FORMAT.test(value),
    date: birthDateOk(value.slice(4, 10), centuryOf(value), today),
    state: CURP_STATE_CODES.has(value.slice(11, 13)),
    sex: /^[HMX]$/.test(value[10] ?? ''),
    checkDigit: !Number.isNaN(check) && /^\d$/.test(value[17] ?? '') && check === Number(value[17]),
    inconvenientWord: !CURP_INCONVENIENT_WORDS.has(value.slice(0, 4)),
  };
}

const allPass = (c: CurpChecks): boolean => c.format && c.date && c.state && c.sex && c.checkDigit && c.inconvenientWord;

function disagreements(value: string, hints: HintInfo): ('birthDate' | 'sex' | 'century')[] {
  const out: ('birthDate' | 'sex' | 'century')[] = [];
  if (hints.yymmdd !== undefined && value.slice(4, 10) !== hints.yymmdd) out.push('birthDate');
  if (hints.sex !== undefined && value[10] !== hints.sex) out.push('sex');
  const c = centuryOf(value);
  if (hints.century !== undefined && c !== undefined && c !== hints.century) out.push('century');
  return out;
}


function candidatePool(value: string, typeRepairs: readonly Repair[], hints: HintInfo): Candidate[] {
  const pool: Candidate[] = [];
  // Ñ never appears in a CURP (RENAPO writes X), so an Ñ read is an N or an X.
  const enyes = [...value].flatMap((ch, i) => (ch === 'Ñ' ? [i] : []));
  const bases: Candidate[] = [{ value, changes: [] }];
  if (enyes.length > 0) {
    bases.length = 0;
    for (const choice of product(enyes.map(() => ['N', 'X']))) {
      const chars = [...value];
      const changes: Repair[] = [];
      enyes.forEach((pos, k) => {
        const to = choice[k] ?? 'X';
        chars[pos] = to;
        changes.push({ position: pos, from: 'Ñ', to, kind: 'enye-resolved' });
      });
      bases.push({ value: chars.join(''), changes });
    }
    pool.push(...bases);
  }
  const repairedLetters = new Set(typeRepairs.filter((r) => /[A-Z]/.test(r.to)).map((r) => r.position));
  const repaired = typeRepairs.map((r) => r.position);
  for (const base of bases) {
    // With one check digit, about one in ten wrong candidates passes it by chance: swaps are
    // only tried where the reading is already in doubt (a character repaired by type), or
    // everywhere when a birth date read elsewhere pins the date positions.
    // Never the check digit itself (position 18): changing the digit that verifies the rest
    // would make any misread pass.
    const digitPositions = [4, 5, 6, 7, 8, 9, 16].filter((i) => /\d/.test(base.value[i] ?? ''));
    const doubtful = hints.yymmdd !== undefined ? digitPositions : repaired;
    // Position 17 (the homonymy letter from 2000 on) is a single glyph in an 18-glyph run,
    // where I/J/L are the usual confusion; the check digit (weight 2) tells them apart.
    const homonymyLetter = /[A-Z]/.test(base.value[16] ?? '') ? [16] : [];
    // A state (positions 12–13) RENAPO does not have: a letter of it misread (QT read OT).
    const stateLetters = CURP_STATE_CODES.has(base.value.slice(11, 13)) ? [] : [11, 12];
    const positions = [...new Set([...doubtful, ...repairedLetters, ...homonymyLetter, ...stateLetters])].sort((a, b) => a - b);
    const swaps = singleSwapCandidates(base.value, positions, {
      check: 'curp-check-digit',
      alternativesFor: (ch, pos) => {
        if (pos === 16 && (ch === '0' || ch === 'O')) return [...(DIGIT_CONFUSIONS[ch] ?? []), ch === '0' ? 'O' : '0'];
        if (/\d/.test(ch)) return DIGIT_CONFUSIONS[ch] ?? [];
        // A letter at position 17, or one a digit-for-letter repair put there: its look-alikes.
        return pos === 16 || repairedLetters.has(pos) || stateLetters.includes(pos) ? [...(LETTER_CONFUSIONS[ch] ?? '')] : [];
      },
    });
    for (const s of swaps) pool.push({ value: s.value, changes: [...base.changes, ...s.changes] });
    // The hints' date where the CURP's differs: what the check digit cannot see.
    if (hints.yymmdd !== undefined && base.value.slice(4, 10) !== hints.yymmdd) {
      const chars = [...base.value];
      const changes: Repair[] = [...base.changes];
      for (let k = 0; k < 6; k++) {
        const from = chars[4 + k] ?? '';
        const to = hints.yymmdd[k] ?? '';
        if (from !== to) {
          changes.push({ position: 4 + k, from, to, kind: 'settled-by-other-reading' });
          chars[4 + k] = to;
        }
      }
      // Only digit-for-digit confusions are repairs; anything else is a disagreement.
      if (changes.slice(base.changes.length).every((c) => (DIGIT_CONFUSIONS[c.from] ?? []).includes(c.to))) {
        pool.push({ value: chars.join(''), changes });
      }
    }
  }
  // The same string reached two ways is one candidate.
  const seen = new Set<string>();
  return pool.filter((c) => !seen.has(c.value) && seen.add(c.value) !== undefined);
}

const emptyChecks: CurpChecks = { format: false, date: false, state: false, sex: false, checkDigit: false, inconvenientWord: false };

/**
 * Validates and repairs a CURP read by OCR. Never throws. `hints` carries the birth date and
 * sex read elsewhere (MRZ, front) to settle what the check digit cannot.
 */
export function parseCurp(raw: string, hints?: CurpHints): CurpResult {
  const info = readHints(hints);
  // Separators people and OCR put inside a code: spaces, `-`, `.`, `/`, `*`.
  const cleaned = raw.toUpperCase().replace(/[\s\-./*]/g, '');
  const warnings: Note[] = [];
  if (cleaned.length !== CURP_LENGTH) {
    warnings.push({ code: 'code-length', field: 'curp', count: cleaned.length });
    return { value: cleaned, valid: false, checks: emptyChecks, birthDate: '', sex: '', stateCode: '', repairs: [], warnings, hintDisagreements: [] };
  }
  // Century of position 17: from the hints when known; else a date later than today is 19YY.
  let century = info.century;
  if (century === undefined) {
    const yy = Number(cleaned.slice(4, 6).replace(/O/g, '0'));
    if (!Number.isNaN(yy) && yy > (hints?.today ?? new Date()).getFullYear() % 100) century = 1900;
  }
  const coerced = coerceToPattern(cleaned, patternFor(century));
  let value = coerced.value;
  const repairs: Repair[] = [...coerced.repairs];
  for (const p of coerced.unrepaired) {
    if (value[p] !== 'Ñ') warnings.push({ code: 'code-char-unfit', field: 'curp', position: p });
  }
  const today = hints?.today ?? new Date();
  const acceptable = (v: string): boolean => allPass(curpChecks(v, today)) && disagreements(v, info).length === 0;
  if (!acceptable(value)) {
    const winner = pickUnique(candidatePool(value, coerced.repairs, info), (c) => acceptable(c.value));
    if (winner) {
      value = winner.value;
      repairs.push(...winner.changes);
    } else if (value.includes('Ñ')) {
      warnings.push({ code: 'curp-enye-ambiguous' });
    }
  }
  const checks = curpChecks(value, today);
  if (!checks.format) warnings.push({ code: 'code-structure', field: 'curp' });
  if (!checks.date) warnings.push(isValidYymmdd(value.slice(4, 10), centuryOf(value)) ? { code: 'curp-date-future' } : { code: 'code-date', field: 'curp' });
  if (!checks.state) warnings.push({ code: 'code-state', field: 'curp' });
  if (!checks.sex) warnings.push({ code: 'code-sex', field: 'curp' });
  if (!checks.checkDigit) warnings.push({ code: 'curp-check-digit' });
  if (!checks.inconvenientWord) warnings.push({ code: 'curp-inconvenient-word' });
  const hintDisagreements = disagreements(value, info);
  const HINT_NOTES: Record<(typeof hintDisagreements)[number], Note> = {
    birthDate: { code: 'code-hint-birth-date', field: 'curp' },
    sex: { code: 'code-hint-sex', field: 'curp' },
    century: { code: 'curp-hint-century' },
  };
  for (const d of hintDisagreements) warnings.push(HINT_NOTES[d]);
  const dob = checks.date ? resolveBirthDate(value.slice(4, 10), { curpPosition17: value[16] ?? '' }) : null;
  const sexCh = value[10] ?? '';
  return {
    value,
    valid: allPass(checks),
    checks,
    birthDate: dob ? formatDdMmYyyy(dob) : '',
    sex: sexCh === 'H' || sexCh === 'M' || sexCh === 'X' ? sexCh : '',
    stateCode: checks.state ? value.slice(11, 13) : '',
    repairs,
    warnings,
    hintDisagreements,
  };
}

/** Loose shape of a CURP as OCR returns it, before repair (digits/letters confusable). */
const DIGITISH = `[0-9${classOf(Object.keys(AS_DIGIT))}]`;
const CURP_LOOSE = new RegExp(`[A-Z0-9Ñ]{4}${DIGITISH}{6}[HMX4][A-Z0-9Ñ]{5}[A-Z0-9]${DIGITISH}`);

/**
 * Finds a CURP-like token in OCR text (e.g. the CURP line of the front), tolerating spaces
 * inside it and labels around it. Among the 18-character windows that can be repaired into
 * the CURP structure, prefers one whose check digit passes, then the fewest repairs.
 * Returns the window as read (pass it to `parseCurp`), or null.
 */
export function findCurp(text: string): string | null {
  return bestWindow(text, CURP_LENGTH, (raw) => {
    if (!CURP_LOOSE.test(raw)) return null;
    const c = coerceToPattern(raw, patternFor(undefined));
    if (c.unrepaired.length > 0) return null;
    const checks = curpChecks(c.value);
    if (!checks.format || !checks.state) return null;
    return (checks.checkDigit ? 0 : 100) + (checks.date ? 0 : 50) + c.repairs.length;
  });
}

export interface NameMatch {
  /** All compared positions agree. */
  readonly matches: boolean;
  /** 1-based positions that differ from the letters derived from the names. */
  readonly mismatchedPositions: readonly number[];
}

/** Compares CURP positions 1–4 and 14–16 with the letters RENAPO derives from the names. */
export function curpMatchesNames(curp: string, paterno: string, materno: string, given: string): NameMatch & { readonly initials: boolean; readonly consonants: boolean } {
  const key = curpNameKey(paterno, materno, given);
  const expected = key.initials + key.consonants;
  const read = curp.slice(0, 4) + curp.slice(13, 16);
  const positions = [1, 2, 3, 4, 14, 15, 16];
  const mismatchedPositions = positions.filter((_p, k) => read[k] !== expected[k]);
  return {
    matches: mismatchedPositions.length === 0,
    initials: mismatchedPositions.every((p) => p > 4),
    consonants: mismatchedPositions.every((p) => p < 14),
    mismatchedPositions,
  };
}
