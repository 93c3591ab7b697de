/**
 * The front's two 18-character codes. The CURP has a check digit and RENAPO's rules; the clave
 * de elector has neither, so it is never better than unverified. Both carry the birth date,
 * the sex and name letters, which bind them to the rest of the card and repair them from it.
 */
import { mayBeLetter } from '../domain/lookalikes.ts';
import { claveNameKey, curpNameKey } from '../domain/name-codes.ts';
import { STATES } from '../domain/states.ts';
import type { ClaveRepairPart, CodeField, Note } from '../evidence.ts';
import { parseClave } from '../extract/clave.ts';
import type { CardFields, FieldName, FieldCheck, Verdict } from '../record.ts';
import { parseDdMmYyyy, toYymmdd } from '../extract/dates.ts';

/** Where each code holds the birth date (0-based start of YYMMDD). */
const DATE_AT: Readonly<Record<CodeField, number>> = { curp: 4, electoralId: 6 };

/**
 * The best reading of an 18-character code: as read; with the birth date's unreadable
 * characters taken from an MRZ date its check digit verified; with one character dropped when
 * the OCR inserted one, or one doubled when it read a character printed twice once (each kept
 * only when exactly one such candidate passes every check).
 */
export function bestReading<T extends { valid: boolean; value: string; repairs?: readonly unknown[] }>(
  field: CodeField,
  raw: string,
  parse: (code: string) => T,
  notes: Note[],
  verifiedYymmdd?: string,
): T {
  const first = parse(raw.slice(0, 18));
  if (first.valid) return first;
  if (verifiedYymmdd) {
    const at = DATE_AT[field];
    const code = first.value.length === 18 ? first.value : raw.slice(0, 18);
    const filled = [...code].map((ch, i) => (i >= at && i < at + 6 && !/[0-9]/.test(ch) ? verifiedYymmdd[i - at]! : ch)).join('');
    if (filled !== code) {
      const r = parse(filled);
      if (r.valid) {
        notes.push({ code: 'code-birth-date-from-mrz', field });
        return r;
      }
    }
  }
  if (raw.length === 17) {
    // A character read once where it is printed twice (CTC decoding merges a repeated glyph
    // with no blank between: DIIJ → DIJ). Kept only when exactly one doubling passes.
    // Counted by value (the parser's own repairs may bring two doublings to the same code); a
    // doubling that passes as read wins over one that passes only once the parser chose a
    // character by the check digit, a second guess on top of the first.
    const passing = new Map<string, T>();
    for (let i = 0; i < 17; i++) {
      const r = parse(raw.slice(0, i + 1) + raw.slice(i));
      if (r.valid) passing.set(r.value, r);
    }
    const plain = [...passing.values()].filter((r) => (r.repairs?.length ?? 0) === 0);
    const only = plain.length === 1 ? plain[0] : plain.length === 0 && passing.size === 1 ? [...passing.values()][0] : undefined;
    if (only) {
      notes.push({ code: 'code-doubled-restored', field });
      return only;
    }
    return first;
  }
  if (raw.length < 19) return first;
  const seen = new Set<string>();
  const passing: T[] = [];
  for (let i = 0; i < 19; i++) {
    const cand = (raw.slice(0, i) + raw.slice(i + 1)).slice(0, 18);
    if (seen.has(cand)) continue;
    seen.add(cand);
    const r = parse(cand);
    if (r.valid) passing.push(r);
  }
  if (passing.length === 1) {
    notes.push({ code: 'code-extra-dropped', field });
    return passing[0]!;
  }
  return first;
}

/**
 * `value` with `want` written over it from `at`, when they differ in 1 to `maxDiff`
 * characters (with `lookAlike`, only where the character read is a look-alike of the one
 * wanted, LETTER_CONFUSIONS); else `value` unchanged.
 */
export function overwrite(value: string, at: number, want: string, maxDiff: number, lookAlike: boolean): string {
  const have = value.slice(at, at + want.length);
  const diff = [...want].filter((c, i) => c !== have[i]).length;
  if (want.length === 0 || diff === 0 || diff > maxDiff) return value;
  if (lookAlike && ![...want].every((c, i) => mayBeLetter(have[i] ?? '', c))) return value;
  return value.slice(0, at) + want + value.slice(at + want.length);
}

type Checks = Partial<Record<FieldName, FieldCheck>>;

/**
 * The CURP with its birth date, sex and name letters taken from the card's verified values
 * where the reading differs (name letters only for look-alike misreads). The check digit is
 * never changed: it is what must then confirm the result. Undefined when nothing would change.
 */
export function curpRepairCandidate(fields: CardFields, checks: Checks): string | undefined {
  let out = fields.curp;
  const dob = checks.dateOfBirth?.verdict === 'valid' ? parseDdMmYyyy(fields.dateOfBirth) : null;
  if (dob) out = overwrite(out, 4, toYymmdd(dob), 2, false);
  if (checks.sex?.verdict === 'valid') out = overwrite(out, 10, fields.sex, 1, false);
  // Names read alike on the front and in MRZ line 3 (their verdict may be invalid only
  // because the misread CURP letters disagree with them).
  if ((['firstLastName', 'name'] as const).every((f) => checks[f]?.source === 'both' || checks[f]?.source === 'back')) {
    const key = curpNameKey(fields.firstLastName, fields.secondLastName, fields.name);
    out = overwrite(out, 0, key.initials, 2, true);
    out = overwrite(out, 13, key.consonants, 2, true);
  }
  return out !== fields.curp ? out : undefined;
}

export interface ClaveContext {
  /** The card's birth date as YYMMDD, '' when none was settled. */
  readonly dobYymmdd: string;
  readonly dobValid: boolean;
  readonly sex: string;
  readonly sexValid: boolean;
  /** A CURP that passed every check (its state of birth is the clave's too). */
  readonly validCurp: string;
  readonly names: { readonly paterno: string; readonly materno: string; readonly given: string };
  /** The names are bound (read alike on both sides, or taken from the MRZ). */
  readonly namesBound: boolean;
}

/**
 * The clave's verdict, after repairing it from what the card establishes elsewhere where it
 * holds the same thing: the birth date and sex when verified, the state of birth from a valid
 * CURP, the name letters (look-alike misreads only) when the names are bound. A repair is kept
 * only when the repaired clave holds together (a misaligned reading does not).
 * Never `valid`: no check digit exists and nothing else on the card carries the 3-digit
 * homoclave, so a misread there could not be seen.
 */
export function judgeClave(read: ReturnType<typeof parseClave>, card: ClaveContext, notes: Note[]): { value: string; verdict: Verdict } {
  let value = read.value;
  const repaired: ClaveRepairPart[] = [];
  const repair = (at: number, want: string, what: ClaveRepairPart, maxDiff: number, lookAlike = false): void => {
    const next = overwrite(value, at, want, maxDiff, lookAlike);
    if (next !== value) repaired.push(what);
    value = next;
  };
  if (value.length === 18) {
    if (card.dobYymmdd && card.dobValid) repair(6, card.dobYymmdd, 'birth date', 2);
    const stateOfBirth = card.validCurp ? STATES.find((s) => s.curp === card.validCurp.slice(11, 13))?.inegi : undefined;
    if (stateOfBirth) repair(12, stateOfBirth, 'state of birth', 1);
    if (card.sex && card.sexValid) repair(14, card.sex, 'sex', 1);
    if (card.namesBound) repair(0, claveNameKey(card.names.paterno, card.names.materno, card.names.given), 'name letters', 3, true);
  }
  if (repaired.length > 0 && !parseClave(value).valid) {
    value = read.value;
    repaired.length = 0;
  }
  if (repaired.length > 0) notes.push({ code: 'clave-repaired-from-card', parts: repaired });
  const agreesDob = card.dobYymmdd === '' || value.slice(6, 12) === card.dobYymmdd;
  const agreesSex = !card.sex || value[14] === card.sex;
  const { paterno, materno, given } = card.names;
  const key = paterno || given ? claveNameKey(paterno, materno, given) : '';
  const agreesNames = key === '' || value.slice(0, 6) === key;
  if (!agreesDob) notes.push({ code: 'code-differs', field: 'electoralId', what: 'birth date' });
  if (!agreesSex) notes.push({ code: 'code-differs', field: 'electoralId', what: 'sex' });
  if (!agreesNames) notes.push({ code: 'code-differs', field: 'electoralId', what: 'name letters' });
  const valid = repaired.length > 0 ? parseClave(value).valid : read.valid;
  return { value, verdict: !valid || !agreesDob || !agreesSex || !agreesNames ? 'invalid' : 'unverified' };
}
