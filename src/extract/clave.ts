/**
 * Clave de elector, 18 characters — ine-formats.md §4:
 *
 *   1–6 name letters (initial + first internal consonant of paterno, materno, nombre)
 *   7–12 YYMMDD · 13–14 INEGI state 01–32, or 87/88 (born abroad / naturalised)
 *   15 sex H/M · 16–18 homoclave digits
 *
 * No check digit exists, so repair is by position type only, and everything that cannot be
 * checked (the name letters: INE does not publish the full algorithm) is a warning at most.
 * `Repair.position` is 0-based; warnings speak of 1-based positions and carry no value.
 */
import { AS_DIGIT, AS_SEX, classOf } from '../domain/lookalikes.ts';
import { claveNameKey } from '../domain/name-codes.ts';
import type { Note } from '../evidence.ts';
import { CLAVE_STATE_CODES } from '../domain/states.ts';
import type { NameMatch } from './curp.ts';
import { formatDdMmYyyy, isValidYymmdd, parseDdMmYyyy, resolveBirthDate, toYymmdd, type DateParts } from './dates.ts';
import { bestWindow, coerceToPattern, patternOf, type PositionClass, type Repair } from './repair.ts';

export const CLAVE_LENGTH = 18;

/** Structure (Trellix's regex with the name letters relaxed to A–Z, since X stands in for missing consonants). */
export const CLAVE_FORMAT = /^[A-Z]{6}\d{6}(0[1-9]|[12]\d|3[0-2]|87|88)[HM]\d{3}$/;

export interface ClaveHints {
  /** Birth date read elsewhere: `YYMMDD`, `DD/MM/YYYY` or parts (a full year also fixes the century). */
  readonly birthDate?: string | DateParts;
  readonly sex?: string;
  readonly today?: Date;
}

export interface ClaveChecks {
  readonly format: boolean;
  readonly date: boolean;
  readonly state: boolean;
  readonly sex: boolean;
}

export interface ClaveResult {
  readonly value: string;
  readonly valid: boolean;
  readonly checks: ClaveChecks;
  /** `DD/MM/YYYY`; the century comes from the hint, else YY after this year → 19YY. '' when not a real date. */
  readonly birthDate: string;
  readonly sex: 'H' | 'M' | '';
  /** INEGI code (01–32, 87, 88), '' when not one. */
  readonly stateCode: string;
  readonly repairs: Repair[];
  readonly warnings: Note[];
  readonly hintDisagreements: readonly ('birthDate' | 'sex')[];
}

/** The record field the clave fills (notes name it). */
const FIELD = 'electoralId';

/** Sex: H/M only on the clave; `4` is the usual misread of H. */
const SEX_CLASS: PositionClass = { oneOf: 'HM', map: AS_SEX, kind: 'sex-misread' };
const PATTERN: PositionClass[] = [...patternOf('LLLLLL' + '999999' + '99'), SEX_CLASS, ...patternOf('999')];

function hintDate(b: string | DateParts | undefined): { yymmdd?: string; year?: number } {
  if (b === undefined) return {};
  if (typeof b !== 'string') return { yymmdd: toYymmdd(b), year: b.year };
  if (/^\d{6}$/.test(b)) return { yymmdd: b };
  const p = parseDdMmYyyy(b);
  return p ? { yymmdd: toYymmdd(p), year: p.year } : {};
}

export function claveChecks(value: string, century?: number): ClaveChecks {
  return {
    format: value.length === CLAVE_LENGTH && CLAVE_FORMAT.test(value),
    date: isValidYymmdd(value.slice(6, 12), century),
    state: CLAVE_STATE_CODES.has(value.slice(12, 14)),
    sex: /^[HM]$/.test(value[14] ?? ''),
  };
}

/** Validates and repairs a clave de elector read by OCR. Never throws. */
export function parseClave(raw: string, hints?: ClaveHints): ClaveResult {
  const cleaned = raw.toUpperCase().replace(/[\s\-.]/g, '');
  const warnings: Note[] = [];
  const hd = hintDate(hints?.birthDate);
  if (cleaned.length !== CLAVE_LENGTH) {
    warnings.push({ code: 'code-length', field: FIELD, count: cleaned.length });
    return {
      value: cleaned,
      valid: false,
      checks: { format: false, date: false, state: false, sex: false },
      birthDate: '',
      sex: '',
      stateCode: '',
      repairs: [],
      warnings,
      hintDisagreements: [],
    };
  }
  const c = coerceToPattern(cleaned, PATTERN);
  const value = c.value;
  for (const p of c.unrepaired) warnings.push({ code: 'code-char-unfit', field: FIELD, position: p });
  const century = hd.year !== undefined && hd.yymmdd === value.slice(6, 12) ? Math.floor(hd.year / 100) * 100 : undefined;
  const checks = claveChecks(value, century);
  if (!checks.format) warnings.push({ code: 'code-structure', field: FIELD });
  if (!checks.date) warnings.push({ code: 'code-date', field: FIELD });
  if (!checks.state) warnings.push({ code: 'code-state', field: FIELD });
  if (!checks.sex) warnings.push({ code: 'code-sex', field: FIELD });
  const hintDisagreements: ('birthDate' | 'sex')[] = [];
  if (hd.yymmdd !== undefined && hd.yymmdd !== value.slice(6, 12)) {
    hintDisagreements.push('birthDate');
    warnings.push({ code: 'code-hint-birth-date', field: FIELD });
  }
  if (hints?.sex && /^[HM]$/.test(hints.sex) && hints.sex !== value[14]) {
    hintDisagreements.push('sex');
    warnings.push({ code: 'code-hint-sex', field: FIELD });
  }
  const dob = checks.date
    ? resolveBirthDate(value.slice(6, 12), {
        ...(century !== undefined ? { curpPosition17: century < 2000 ? '0' : 'A' } : {}),
        ...(hints?.today ? { today: hints.today } : {}),
      })
    : null;
  const sexCh = value[14] ?? '';
  return {
    value,
    valid: checks.format && checks.date && checks.state && checks.sex,
    checks,
    birthDate: dob ? formatDdMmYyyy(dob) : '',
    sex: sexCh === 'H' || sexCh === 'M' ? sexCh : '',
    stateCode: checks.state ? value.slice(12, 14) : '',
    repairs: c.repairs,
    warnings,
    hintDisagreements,
  };
}

const DIGITISH = `[0-9${classOf(Object.keys(AS_DIGIT))}]`;
const CLAVE_LOOSE = new RegExp(`[A-Z0-9]{6}${DIGITISH}{8}[HM4]${DIGITISH}{3}`);

/**
 * Finds a clave-de-elector-like token in OCR text, tolerating spaces inside it. Among the
 * 18-character windows that repair into the structure with a real date, keeps the one
 * needing the fewest repairs. Returns the window as read (pass it to `parseClave`), or null.
 */
export function findClave(text: string): string | null {
  return bestWindow(text, CLAVE_LENGTH, (raw) => {
    if (!CLAVE_LOOSE.test(raw)) return null;
    const c = coerceToPattern(raw, PATTERN);
    if (c.unrepaired.length > 0) return null;
    const checks = claveChecks(c.value);
    if (!checks.format) return null;
    return (checks.date ? 0 : 50) + c.repairs.length;
  });
}

/**
 * Compares positions 1–6 with the letters derived from the names (claveNameKey). INE does
 * not publish the full algorithm, so a mismatch is a warning for the caller, never a failure.
 */
export function claveMatchesNames(clave: string, paterno: string, materno: string, given: string): NameMatch {
  const expected = claveNameKey(paterno, materno, given);
  const mismatchedPositions = [1, 2, 3, 4, 5, 6].filter((p) => clave[p - 1] !== expected[p - 1]);
  return { matches: mismatchedPositions.length === 0, mismatchedPositions };
}
