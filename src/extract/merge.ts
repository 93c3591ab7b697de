/**
 * Front + back → one record. Every value that the card carries twice is a cross-check:
 * DOB (front, CURP, clave, MRZ), sex (front, CURP, clave, MRZ), names (front, MRZ line 3,
 * CURP and clave letters), sección (front, MRZ line 1), emission number (front, MRZ line 2),
 * vigencia (front, MRZ expiry). A field is `valid` only when a check binds it and nothing
 * contradicts it; disagreements become warnings (never with the values themselves).
 */
import { curpNameKey, claveNameKey, normalizeName } from '../domain/name-codes.ts';
import { STATES } from '../domain/states.ts';
import { emptyFields, type CardFields, type FieldCheck, type FieldName, type FieldSource, type Verdict } from '../record.ts';
import type { BackReading } from './back.ts';
import { parseClave } from './clave.ts';
import { CHOSEN_BY_CHECK_DIGIT, parseCurp } from './curp.ts';
import { formatDdMmYyyy, parseDdMmYyyy, resolveBirthDate, type DateParts } from './dates.ts';
import type { FrontReading } from './front.ts';
import { describeMrzRepair, parseMrz, type MrzResult } from './mrz.ts';

export interface MergedCard {
  readonly fields: CardFields;
  readonly checks: Partial<Record<FieldName, FieldCheck>>;
  readonly warnings: string[];
  /** Non-empty fields. */
  readonly filled: number;
}

/**
 * The best reading of an 18-character code: as read, or with one character dropped when the
 * OCR inserted one (kept only when exactly one such candidate passes every check).
 */
function bestReading<T extends { valid: boolean; value: string }>(
  raw: string,
  parse: (code: string) => T,
  warnings: string[],
  label: string,
  datePosition?: number,
  verifiedYymmdd?: string,
): T {
  const first = parse(raw.slice(0, 18));
  if (first.valid) return first;
  // A letter where the birth date's digits belong, with a birth date verified by the MRZ
  // check digit: take the digit from there (the code's own checks must then pass).
  if (datePosition !== undefined && verifiedYymmdd) {
    const code = first.value.length === 18 ? first.value : raw.slice(0, 18);
    let filled = '';
    for (let i = 0; i < code.length; i++) {
      const k = i - datePosition;
      filled += k >= 0 && k < 6 && !/[0-9]/.test(code[i]!) ? verifiedYymmdd[k]! : code[i]!;
    }
    if (filled !== code) {
      const r = parse(filled);
      if (r.valid) {
        warnings.push(`${label}: unreadable birth-date characters taken from the MRZ`);
        return r;
      }
    }
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
    warnings.push(`${label}: one extra character read by the OCR was dropped`);
    return passing[0]!;
  }
  return first;
}

/** How many of the CURP's name letters (positions 1–4 and 14–16) these names give, 0–7. */
function curpLetters(curp: string, paterno: string, materno: string, given: string): number {
  if (curp.length !== 18) return 0;
  const k = curpNameKey(paterno, materno, given);
  const want = k.initials + k.consonants;
  const got = curp.slice(0, 4) + curp.slice(13, 16);
  return [...want].filter((c, i) => c === got[i]).length;
}

/** How many of the clave's name letters (positions 1–6) these names give, 0–6. */
function claveLetters(clave: string, paterno: string, materno: string, given: string): number {
  if (clave.length < 6) return 0;
  const want = claveNameKey(paterno, materno, given);
  return [...clave.toUpperCase().slice(0, 6)].filter((c, i) => c === want[i]).length;
}

/**
 * `value` with `want` written over it from `at`, when they differ in 1 to `maxDiff`
 * characters (with `lookAlike`, only where the character read is a look-alike of the one
 * wanted); else `value` unchanged.
 */
function overwrite(value: string, at: number, want: string, maxDiff: number, lookAlike: boolean): string {
  const have = value.slice(at, at + want.length);
  const diff = [...want].filter((c, i) => c !== have[i]).length;
  if (want.length === 0 || diff === 0 || diff > maxDiff) return value;
  if (lookAlike && ![...want].every((c, i) => c === have[i] || LETTER_LOOKALIKES[have[i]!]?.includes(c) === true)) return value;
  return value.slice(0, at) + want + value.slice(at + want.length);
}

/** Letters OCR confuses, read → what may have been printed (clave and CURP name letters). */
const LETTER_LOOKALIKES: Readonly<Record<string, string>> = {
  I: 'JLT', J: 'I', L: 'I', T: 'I', O: 'DQC', D: 'O', Q: 'O', C: 'GO', G: 'C', U: 'V', V: 'U', M: 'N', N: 'M', E: 'F', F: 'E', B: 'R', R: 'B', K: 'X', X: 'K',
};

/** MRZ line 3 form of a name part: Ñ → N, spaces → `<`, letters only. */
function mrzForm(s: string): string {
  return normalizeName(s)
    .replace(/Ñ/g, 'N')
    .replace(/[^A-Z ]/g, '')
    .trim()
    .replace(/\s+/g, '<');
}

const yymmdd = (p: DateParts): string =>
  String(p.year % 100).padStart(2, '0') + String(p.month).padStart(2, '0') + String(p.day).padStart(2, '0');

interface Vote<T> {
  readonly value: T;
  readonly source: 'front' | 'back';
  /** Covered by a check digit that passed. */
  readonly checked: boolean;
  readonly label: string;
}

/**
 * The value most sources agree on (check-digit-covered readings first), whether a checked
 * reading supports it, and which sources disagree.
 */
function decide<T>(votes: readonly Vote<T>[], same: (a: T, b: T) => boolean) {
  let best: { value: T; support: Vote<T>[] } | undefined;
  for (const v of votes) {
    const support = votes.filter((o) => same(o.value, v.value));
    const score = support.length * 2 + support.filter((s) => s.checked).length * 3;
    const bestScore = best ? best.support.length * 2 + best.support.filter((s) => s.checked).length * 3 : -1;
    if (score > bestScore) best = { value: v.value, support };
  }
  if (!best) return undefined;
  const dissent = votes.filter((o) => !same(o.value, best.value));
  const sources = new Set(best.support.map((s) => s.source));
  const source: FieldSource = sources.size === 2 ? 'both' : (best.support[0]?.source ?? '');
  return {
    value: best.value,
    support: best.support,
    dissent,
    source,
    checked: best.support.some((s) => s.checked),
  };
}

/**
 * @param repairCodes when the CURP fails its checks, try once more with its birth date, sex
 *   and name letters corrected from what the rest of the card verifies (see repairCurp).
 */
export function mergeCard(front: FrontReading, back: BackReading, repairCodes = true): MergedCard {
  const fields = emptyFields();
  const checks: Partial<Record<FieldName, FieldCheck>> = {};
  const warnings: string[] = [];
  const set = (f: FieldName, value: string, verdict: Verdict, source: FieldSource): void => {
    if (value === '') return;
    fields[f] = value;
    checks[f] = { verdict, source };
  };

  let mrz = back.mrz?.found ? back.mrz : null;
  if (mrz && !mrz.checks.birthDate) {
    const corrected = birthDateFromFront(mrz, front);
    if (corrected) {
      mrz = corrected;
      warnings.push("MRZ: birth date corrected from the front's reading; the MRZ's own check digits confirm it");
    }
  }
  if (mrz) {
    for (const r of mrz.repairs) warnings.push(describeMrzRepair(r));
    warnings.push(...mrz.warnings);
    if (!mrz.checks.cic) warnings.push('MRZ: CIC check digit fails');
    if (!mrz.checks.birthDate) warnings.push('MRZ: birth date check digit fails');
    if (!mrz.checks.expiry) warnings.push('MRZ: expiry check digit fails');
    if (!mrz.checks.composite) warnings.push('MRZ: composite check digit fails');
  } else {
    warnings.push('back: no MRZ found');
  }
  const m = mrz?.fields;
  const mc = mrz?.checks;

  // ---- CURP first: its position 17 settles the birth century.
  // Hints settle what the CURP check digit cannot see (ine-formats.md §3): the DOB read
  // elsewhere, preferring the MRZ's when its check digit holds.
  // The front's printed date carries the century: use it when it agrees with a checked MRZ date.
  const frontDobParts = front.dateOfBirth ? parseDdMmYyyy(front.dateOfBirth) : null;
  const mrzDobOk = m?.birthDate && mc?.birthDate ? m.birthDate : undefined;
  const dobHint =
    mrzDobOk !== undefined
      ? frontDobParts && yymmdd(frontDobParts) === mrzDobOk
        ? front.dateOfBirth
        : mrzDobOk
      : front.dateOfBirth || m?.birthDate || undefined;
  const sexHint = m?.sex || front.sex || undefined;
  const verifiedDob = m?.birthDate && mc?.birthDate ? m.birthDate : undefined;
  const curp = front.curp
    ? bestReading(front.curp, (c) => parseCurp(c, { birthDate: dobHint, sex: sexHint }), warnings, 'CURP', 4, verifiedDob)
    : null;
  if (curp) {
    warnings.push(...curp.warnings.map((w) => `CURP: ${w}`));
    if (curp.repairs.length > 0) warnings.push(`CURP: ${curp.repairs.length} character(s) repaired by position type`);
  }
  const curpValue = curp?.value ?? '';
  const curpOk = curp?.valid === true;
  const frontDob = front.dateOfBirth ? parseDdMmYyyy(front.dateOfBirth) : null;
  // The century: a valid CURP's position 17 (digit before 2000, letter from 2000), else the
  // front's printed 4-digit year; otherwise a guess that is never marked valid.
  const curpCentury = curpOk ? (/[0-9]/.test(curpValue[16] ?? '') ? 1900 : 2000) : undefined;
  const century = curpCentury ?? (frontDob ? Math.floor(frontDob.year / 100) * 100 : undefined);
  const centuryHint = century === undefined ? {} : { curpPosition17: century === 1900 ? '0' : 'A' };
  if (curpCentury !== undefined && frontDob && Math.floor(frontDob.year / 100) * 100 !== curpCentury) {
    warnings.push('date of birth: the century printed on the front differs from the CURP');
  }

  // ---- Date of birth: compared as YYMMDD across MRZ, CURP, front and clave.
  const dobVotes: Vote<string>[] = [];
  if (m?.birthDate && resolveBirthDate(m.birthDate)) dobVotes.push({ value: m.birthDate, source: 'back', checked: mc?.birthDate === true, label: 'MRZ' });
  if (curpValue.length === 18 && resolveBirthDate(curpValue.slice(4, 10))) dobVotes.push({ value: curpValue.slice(4, 10), source: 'front', checked: curpOk, label: 'CURP' });
  if (frontDob) dobVotes.push({ value: yymmdd(frontDob), source: 'front', checked: false, label: 'front date' });
  const clave = front.clave
    ? bestReading(front.clave, (c) => parseClave(c, { birthDate: dobHint, sex: sexHint }), warnings, 'clave de elector', 6, verifiedDob)
    : null;
  const claveValue = clave?.value ?? '';
  if (claveValue.length === 18 && resolveBirthDate(claveValue.slice(6, 12))) dobVotes.push({ value: claveValue.slice(6, 12), source: 'front', checked: false, label: 'clave' });
  const dobVote = decide(dobVotes, (a, b) => a === b);
  const dob = dobVote ? { ...dobVote, date: resolveBirthDate(dobVote.value, centuryHint) } : undefined;
  if (dob?.date) {
    for (const d of dob.dissent) warnings.push(`date of birth: ${d.label} disagrees with ${dob.support.map((s) => s.label).join(' and ')}`);
    const agreed = dob.checked ? dob.support.length >= 2 || dob.dissent.length === 0 : dob.support.length >= 2 && dob.dissent.length === 0;
    const verdict: Verdict = century === undefined ? 'unverified' : agreed ? 'valid' : dob.dissent.length > 0 ? 'invalid' : 'unverified';
    set('dateOfBirth', formatDdMmYyyy(dob.date), verdict, dob.source);
  }
  const dobYymmdd = dob?.date ? dob.value : '';

  // ---- Sex: MRZ (no check digit covers it), CURP (check digit does), clave, front.
  const sexVotes: Vote<string>[] = [];
  if (m?.sex) sexVotes.push({ value: m.sex, source: 'back', checked: false, label: 'MRZ' });
  if (curpValue.length === 18 && /[HMX]/.test(curpValue[10] ?? '')) sexVotes.push({ value: curpValue[10]!, source: 'front', checked: curpOk, label: 'CURP' });
  if (claveValue.length === 18 && /[HM]/.test(claveValue[14] ?? '')) sexVotes.push({ value: claveValue[14]!, source: 'front', checked: false, label: 'clave' });
  if (front.sex) sexVotes.push({ value: front.sex, source: 'front', checked: false, label: 'front' });
  const sex = decide(sexVotes, (a, b) => a === b);
  if (sex) {
    for (const d of sex.dissent) warnings.push(`sex: ${d.label} disagrees with ${sex.support.map((s) => s.label).join(' and ')}`);
    const verdict: Verdict = sex.support.length >= 2 && sex.support.length > sex.dissent.length ? 'valid' : sex.dissent.length > 0 ? 'invalid' : 'unverified';
    set('sex', sex.value, verdict, sex.source);
  }

  // ---- CURP verdict: its own checks, and agreement with DOB and sex.
  if (curp && curpValue) {
    const agreesDob = dobYymmdd === '' || curpValue.slice(4, 10) === dobYymmdd;
    const agreesSex = !sex || curpValue[10] === sex.value;
    if (!agreesDob) warnings.push('CURP: birth date differs from the card date of birth');
    if (!agreesSex) warnings.push('CURP: sex differs from the card sex');
    // The homoclave (position 17) is bound by nothing but the check digit. A glyph that was not
    // even of the position's type (G where a digit belongs), coerced and then swapped for
    // another by the check digit, is two guesses the check digit alone cannot confirm (a
    // character inserted before it shifts the window and leaves a wrong one that passes).
    const at16 = curp.repairs.filter((r) => r.position === 16);
    const homoclaveChosen = at16.length >= 2 && at16.some((r) => r.reason === CHOSEN_BY_CHECK_DIGIT);
    if (curpOk && homoclaveChosen) warnings.push('CURP: position 17 chosen by the check digit alone; not confirmed');
    set('curp', curpValue, curpOk && agreesDob && agreesSex ? (homoclaveChosen ? 'unverified' : 'valid') : 'invalid', 'front');
  }

  // ---- Names: front lines, MRZ line 3, CURP and clave letters.
  const names = mergeNames(front, mrz, curpValue, warnings);
  set('firstLastName', names.paterno, names.verdict.paterno, names.source.paterno);
  set('secondLastName', names.materno, names.verdict.materno, names.source.materno);
  set('name', names.given, names.verdict.given, names.source.given);
  // Names read alike on both sides that the CURP letters contradict: the CURP is suspect,
  // whatever its check digit says (a repair may have passed it by chance).
  if (checks.curp?.verdict === 'valid' && checks.firstLastName?.source === 'both' && checks.name?.source === 'both') {
    if (curpLetters(curpValue, names.paterno, names.materno, names.given) < 7) {
      checks.curp = { verdict: 'invalid', source: checks.curp.source };
      warnings.push('CURP: letters disagree with the names read alike on the front and in the MRZ');
    }
  }

  // ---- Clave de elector: structure, DOB, sex, name letters. No check digit exists.
  if (clave && claveValue) {
    warnings.push(...clave.warnings.map((w) => `clave de elector: ${w}`));
    // What the card establishes elsewhere repairs the clave where it holds the same thing:
    // the birth date and sex when verified, the state of birth from a valid CURP, the name
    // letters (look-alike misreads only) when the names are bound.
    let value = claveValue;
    const repaired: string[] = [];
    const repair = (at: number, want: string, what: string, maxDiff: number, lookAlike = false): void => {
      const next = overwrite(value, at, want, maxDiff, lookAlike);
      if (next !== value) repaired.push(what);
      value = next;
    };
    if (value.length === 18) {
      if (dobYymmdd && checks.dateOfBirth?.verdict === 'valid') repair(6, dobYymmdd, 'birth date', 2);
      const stateOfBirth = curpOk ? STATES.find((s) => s.curp === curpValue.slice(11, 13))?.inegi : undefined;
      if (stateOfBirth) repair(12, stateOfBirth, 'state of birth', 1);
      if (sex && checks.sex?.verdict === 'valid') repair(14, sex.value, 'sex', 1);
      // Names read alike on both sides, or taken from the MRZ (look-alike letters only).
      const namesBound = (['firstLastName', 'name'] as const).every((f) => checks[f]?.verdict === 'valid' || checks[f]?.source === 'both' || checks[f]?.source === 'back');
      if (namesBound) repair(0, claveNameKey(names.paterno, names.materno, names.given), 'name letters', 3, true);
    }
    // Kept only when the repaired clave holds together (a misaligned reading does not).
    if (repaired.length > 0 && !parseClave(value).valid) {
      value = claveValue;
      repaired.length = 0;
    }
    if (repaired.length > 0) warnings.push(`clave de elector: ${repaired.join(', ')} corrected from the rest of the card`);
    const agreesDob = dobYymmdd === '' || value.slice(6, 12) === dobYymmdd;
    const agreesSex = !sex || value[14] === sex.value;
    const key = names.paterno || names.given ? claveNameKey(names.paterno, names.materno, names.given) : '';
    const agreesNames = key === '' || value.slice(0, 6) === key;
    if (!agreesDob) warnings.push('clave de elector: birth date differs from the card date of birth');
    if (!agreesSex) warnings.push('clave de elector: sex differs from the card sex');
    if (!agreesNames) warnings.push('clave de elector: letters do not match the names read');
    // Never 'valid': no check digit exists and nothing else on the card carries the
    // 3-digit homoclave, so a misread there could not be seen.
    const valid = repaired.length > 0 ? parseClave(value).valid : clave.valid;
    const verdict: Verdict = !valid || !agreesDob || !agreesSex || !agreesNames ? 'invalid' : 'unverified';
    set('electoralId', value, verdict, 'front');
  }

  // ---- Is the MRZ contradicted? Check digits can pass by luck after OCR garbage or a repair;
  // a birth date or sex that disagrees with the card's other, agreeing readings says so.
  // Front readings of sección, emission number and vigencia count against an MRZ that
  // needed a check-digit repair (an unrepaired MRZ outweighs one front reading).
  // Repairs that chose characters or positions the OCR did not give: a check digit's choice,
  // or optional data realigned after characters were lost or added.
  const repairedByCheck = mrz?.repairs.some((r) => r.reason.includes('check digit') || r.reason.includes('realigned')) === true;
  const contradictions: string[] = [];
  if (dob?.date && dob.dissent.some((d) => d.label === 'MRZ') && (dob.checked || dob.support.length >= 2)) contradictions.push('birth date');
  if (sex && sex.dissent.some((d) => d.label === 'MRZ') && sex.support.length >= 2) contradictions.push('sex');
  const frontDisagrees = (fromFront: string, fromBack: string | undefined): boolean => !!fromFront && !!fromBack && fromFront !== fromBack;
  if (repairedByCheck) {
    if (frontDisagrees(front.section, m?.section)) contradictions.push('sección');
    if (frontDisagrees(front.issueNumber, m?.issueNumber)) contradictions.push('emission number');
    if (frontDisagrees(front.validTo, m?.expirationYear)) contradictions.push('vigencia');
  }
  const mrzTrusted = contradictions.length === 0;
  if (!mrzTrusted) warnings.push(`MRZ: contradicted by the front (${contradictions.join(', ')}); its check digits are not trusted`);
  // Optional data realigned by guesswork leaves the composite as its only check (1 in 10 passes
  // by chance): without the front's emission number to confirm it, composite-only fields stay unverified.
  const realigned =
    mrz?.repairs.some((r) => r.reason.includes('realigned')) === true || mrz?.warnings.some((w) => w.includes('optional data')) === true;
  // The front disagreeing on sección or emission number means one of the two readings is wrong;
  // the composite cannot say which (it passes 1 time in 10 by chance).
  const compositeDisputed = frontDisagrees(front.section, m?.section) || frontDisagrees(front.issueNumber, m?.issueNumber);
  // Realigned optional data: the front's emission number would confirm only its first two
  // digits, so the composite is the only check left on the rest, and on line 1's identifier.
  const compositeDoubt = realigned || compositeDisputed;
  if (compositeDoubt && mrzTrusted) warnings.push('MRZ: fields only the composite check covers are not confirmed by the front');
  const trust = (ok: boolean | undefined, compositeOnly = false): Verdict =>
    !ok || !mrzTrusted ? 'invalid' : compositeOnly && compositeDoubt ? 'unverified' : 'valid';

  // ---- MRZ-only fields.
  if (mrz && m && mc) {
    set('mz1', mrz.lines[0], trust(mc.cic && mc.composite, true), 'back');
    set('mz2', mrz.lines[1], trust(mc.birthDate && mc.expiry && mc.composite, true), 'back');
    if (names.mrzLineFromFront && names.mrzLineFromFront !== mrz.lines[2]) {
      warnings.push('MRZ line 3: characters corrected from the front names (confirmed by the CURP letters)');
      set('mz3', names.mrzLineFromFront, 'valid', 'both');
    } else {
      set('mz3', mrz.lines[2], names.mrzLineConfirmed ? 'valid' : 'unverified', 'back');
    }
    set('idMex', m.idMex, trust(mc.cic), 'back');
    set('idNumber', m.idNumber, trust(mc.composite, true), 'back');
    set('citizenId', m.citizenId, trust(mc.composite, true), 'back');
  }

  // ---- Sección: front and MRZ line 1.
  pairField('section', front.section, m?.section ?? '', mc?.composite === true, 'sección');
  // ---- Emission number: AÑO DE REGISTRO's 2 digits and MRZ line 2 optional data.
  pairField('issueNumber', front.issueNumber, m?.issueNumber ?? '', mc?.composite === true, 'emission number');
  // ---- Vigencia end year: front and MRZ expiry.
  pairField('expirationDate', front.validTo, m?.expirationYear ?? '', mc?.expiry === true, 'vigencia');

  /** A value printed on the front and carried in the MRZ: agreement binds it; else the checked MRZ wins, unconfirmed. */
  function pairField(f: FieldName, fromFront: string, fromBack: string, backChecked: boolean, label: string): void {
    // The value: the MRZ's when its checks hold (OCR-B, check digits), else the front's.
    const preferBack = backChecked && mrzTrusted;
    if (fromFront && fromBack) {
      if (fromFront === fromBack) set(f, fromBack, 'valid', 'both');
      else {
        warnings.push(`${label}: front and MRZ disagree`);
        set(f, preferBack ? fromBack : fromFront, 'invalid', preferBack ? 'back' : 'front');
      }
    } else if (fromBack) set(f, fromBack, preferBack && !compositeDoubt ? 'valid' : 'unverified', 'back');
    else if (fromFront) set(f, fromFront, 'unverified', 'front');
  }

  // ---- Front-only fields: printed once, nothing binds them.
  const addr = assignAddress(front.addressLines);
  set('addressLine1', addr[0], 'unverified', 'front');
  set('addressLine2', addr[1], 'unverified', 'front');
  set('addressLine3', addr[2], 'unverified', 'front');
  const cp = /\b(\d{5})\b(?!.*\b\d{5}\b)/.exec(addr[1] || addr.join(' '));
  if (cp?.[1]) set('postalCode', cp[1], 'unverified', 'front');
  const birthYear = dob?.date?.year;
  const plausibleYear = (y: string): boolean => /^(19|20)\d\d$/.test(y) && (birthYear === undefined || Number(y) >= birthYear);
  if (front.registrationYear) set('registrationYear', front.registrationYear, plausibleYear(front.registrationYear) ? 'unverified' : 'invalid', 'front');
  if (front.validFrom) set('validFrom', front.validFrom, plausibleYear(front.validFrom) ? 'unverified' : 'invalid', 'front');
  if (front.emissionYear) set('emissionYear', front.emissionYear, plausibleYear(front.emissionYear) ? 'unverified' : 'invalid', 'front');
  if (front.stateCode) set('stateCode', front.stateCode, /^(0[1-9]|[12]\d|3[0-2])$/.test(front.stateCode) ? 'unverified' : 'invalid', 'front');
  set('municipalityCode', front.municipalityCode, 'unverified', 'front');
  set('localityCode', front.localityCode, 'unverified', 'front');

  // ---- Card model: E/F print ESTADO/MUNICIPIO/LOCALIDAD/EMISIÓN; G/H print VIGENCIA as a range.
  const ef = ['estado', 'municipio', 'localidad', 'emision'].filter((k) => front.labels.includes(k)).length;
  const model = ef >= 2 || front.emissionYear || (front.stateCode && front.municipalityCode) ? 'E/F' : front.validFrom ? 'G/H' : '';
  set('cardModel', model, 'unverified', 'derived');

  const filled = Object.values(fields).filter((v) => v !== '').length;
  if (repairCodes && fields.curp.length === 18 && checks.curp?.verdict !== 'valid') {
    const candidate = repairCurp(fields, checks);
    if (candidate) {
      const again = mergeCard({ ...front, curp: candidate }, back, false);
      // Its own check digit must confirm the corrected CURP as it is (no further repair), and
      // the names must agree with it.
      const namesAgree = (['firstLastName', 'secondLastName', 'name'] as const).every((f) => again.checks[f]?.verdict !== 'invalid');
      if (again.checks.curp?.verdict === 'valid' && again.fields.curp === candidate && namesAgree) {
        again.warnings.push('CURP: misread characters corrected from the verified birth date, sex and names; its check digit confirms them');
        return again;
      }
    }
  }
  return { fields, checks, warnings, filled };
}

/**
 * An MRZ whose birth-date check digit fails, with the birth date the front prints (the date
 * field, or the CURP's) put in its place: kept only when that date differs in at most two
 * digits and the MRZ's own birth-date and composite check digits then pass.
 */
function birthDateFromFront(mrz: MrzResult, front: FrontReading): MrzResult | undefined {
  const [l1, l2, l3] = mrz.lines;
  if (l2.length !== 30) return undefined;
  const dob = front.dateOfBirth ? parseDdMmYyyy(front.dateOfBirth) : null;
  const curp = front.curp.toUpperCase();
  const candidates = new Set([dob ? yymmdd(dob) : '', /^\d{6}$/.test(curp.slice(4, 10)) ? curp.slice(4, 10) : '']);
  for (const c of candidates) {
    if (c.length !== 6 || c === l2.slice(0, 6)) continue;
    if ([...c].filter((ch, i) => ch !== l2[i]).length > 2) continue;
    const again = parseMrz([l1, c + l2.slice(6), l3]);
    if (again.checks.birthDate && again.checks.composite && again.fields.birthDate === c) return again;
  }
  return undefined;
}

/**
 * The CURP with its birth date, sex and name letters taken from the card's verified values
 * where the reading differs (name letters only for look-alike misreads). The check digit is
 * never changed: it is what must then confirm the result. Undefined when nothing would change.
 */
function repairCurp(fields: CardFields, checks: Partial<Record<FieldName, FieldCheck>>): string | undefined {
  let out = fields.curp;
  const dob = checks.dateOfBirth?.verdict === 'valid' ? parseDdMmYyyy(fields.dateOfBirth) : null;
  if (dob) out = overwrite(out, 4, yymmdd(dob), 2, false);
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

const mrzFormCharsOnly = (s: string): boolean => /^[A-Z<]{30}$/.test(s);

/** Letters Spanish names never print twice in a row (CC, LL, RR, NN, EE, OO, AA and SS do occur). */
const NEVER_DOUBLED = /^[BDGHIJKMPQUVWXYZÑÁÉÍÓÚ]$/;

/** OCR-B letters tesseract reads as another letter (read → printed). */
const MRZ3_MISREADS: Readonly<Record<string, string>> = { Q: 'O', D: 'O', O: 'QD', H: 'N', N: 'H', I: 'L', L: 'I' };

/**
 * Address lines as printed. Since 2014 the street may be left off the card, so lines are
 * placed from the bottom: the last is municipality/state, the one before holds colonia + CP.
 */
function assignAddress(lines: readonly string[]): [string, string, string] {
  const ls = lines.slice(0, 3);
  if (ls.length === 3) return [ls[0]!, ls[1]!, ls[2]!];
  if (ls.length === 2) return ['', ls[0]!, ls[1]!];
  if (ls.length === 1) return ['', '', ls[0]!];
  return ['', '', ''];
}

interface Names {
  paterno: string;
  materno: string;
  given: string;
  verdict: { paterno: Verdict; materno: Verdict; given: Verdict };
  source: { paterno: FieldSource; materno: FieldSource; given: FieldSource };
  /** The MRZ name line matches the front names exactly. */
  mrzLineConfirmed: boolean;
  /**
   * MRZ line 3 rebuilt from the front names when the line as read is within two characters of
   * it and the CURP letters confirm the front names: OCR-B misreads (O/Q, I/L) corrected.
   */
  mrzLineFromFront: string | null;
}

function mergeNames(
  front: FrontReading,
  mrz: BackReading['mrz'],
  curp: string,
  warnings: string[],
): Names {
  const lines = front.nameLines;
  let paterno = '';
  let materno = '';
  let given = '';
  const mf = mrz?.fields;
  const mrzSurnames = mf?.surnames ?? [];
  if (lines.length >= 3) {
    [paterno, materno, given] = [lines[0]!, lines[1]!, lines.slice(2).join(' ')];
  } else if (lines.length === 2) {
    // One surname on the card, or a line lost: the MRZ tells how many surnames there are.
    if (mrzSurnames.length === 1) [paterno, given] = [lines[0]!, lines[1]!];
    else [paterno, materno] = [lines[0]!, lines[1]!];
  } else if (lines.length === 1) {
    paterno = lines[0]!;
  }

  // A name read differently on the front and in MRZ line 3: keep the reading the CURP and
  // clave letters bind better (a blurred front misreads whole words). Taken from one reading
  // only, it is never better than unverified.
  const swapped = new Set<'paterno' | 'materno' | 'given'>();
  const mf0 = mrz?.fields;
  const fromMrz = { paterno: mf0?.firstLastName ?? '', materno: mf0?.secondLastName ?? '', given: mf0?.givenNames ?? '' };
  if (mf0 && mrz?.lines[2] && !mf0.nameTruncated && lines.length > 0) {
    const letters = (p: string, m: string, g: string): number => curpLetters(curp, p, m, g) + claveLetters(front.clave, p, m, g);
    for (const part of ['paterno', 'materno', 'given'] as const) {
      const cur = { paterno, materno, given };
      const alt = { ...cur, [part]: fromMrz[part] };
      if (!fromMrz[part] || mrzForm(cur[part]) === mrzForm(fromMrz[part])) continue;
      if (letters(alt.paterno, alt.materno, alt.given) > letters(cur.paterno, cur.materno, cur.given)) {
        ({ paterno, materno, given } = alt);
        swapped.add(part);
      }
    }
    if (swapped.size > 0) warnings.push(`names: ${[...swapped].join(', ')} taken from MRZ line 3, which the CURP/clave letters match better than the front`);
  }

  // A letter the front read twice (ZUÑÑIGA) where MRZ line 3 has it once: Spanish names do
  // not double it, so the front's reading drops the copy and keeps its own accents and Ñ.
  if (mf0 && !mf0.nameTruncated) {
    const cur = { paterno, materno, given };
    for (const part of ['paterno', 'materno', 'given'] as const) {
      const word = cur[part];
      if (!word || !fromMrz[part] || mrzForm(word) === mrzForm(fromMrz[part])) continue;
      for (let k = 0; k + 1 < word.length; k++) {
        const [a, b] = [word[k]!, word[k + 1]!];
        // ÑÑ, or ÑN / NÑ (one copy read without its tilde): keep the marked copy.
        const twice = a === b ? NEVER_DOUBLED.test(a) : mrzForm(a) === mrzForm(b) && mrzForm(a) !== '';
        if (!twice) continue;
        const drop = a !== b && mrzForm(a) === a ? k : k + 1;
        const single = word.slice(0, drop) + word.slice(drop + 1);
        if (mrzForm(single) === mrzForm(fromMrz[part])) {
          cur[part] = single;
          warnings.push(`names: ${part}: a letter read twice on the front dropped (MRZ line 3)`);
          break;
        }
      }
    }
    ({ paterno, materno, given } = cur);
  }

  // Compare with MRZ line 3: surnames joined by `<`, `<<`, given names, cut at 30.
  const mrzLine = mrz?.lines[2] ?? '';
  const [mrzSur = '', mrzGiven = ''] = mrzLine.replace(/<+$/, '').split('<<');
  const frontSur = [mrzForm(paterno), mrzForm(materno)].filter(Boolean).join('<');
  const frontGiven = mrzForm(given);
  const truncated = mf?.nameTruncated === true;
  const surAgree = mrzLine !== '' && frontSur !== '' && (frontSur === mrzSur || (truncated && mrzGiven === '' && frontSur.startsWith(mrzSur)));
  const givenAgree =
    mrzLine !== '' && frontGiven !== '' && (frontGiven === mrzGiven || (truncated && mrzGiven.length > 0 && frontGiven.startsWith(mrzGiven)));
  const givenFull = givenAgree && frontGiven === mrzGiven;

  // Fill from the MRZ what the front did not give (Ñ and spacing cannot be recovered there).
  if (mrzLine && mf) {
    if (!paterno && mf.firstLastName) {
      paterno = mf.firstLastName;
      materno = mf.secondLastName;
    }
    if (!given && mf.givenNames && !truncated) given = mf.givenNames;
  }

  // Ñ read without its tilde: the CURP writes Ñ as X, so an N where the CURP has X for that
  // letter was an Ñ (NUNEZ → NUÑEZ when the CURP reads NXX…/…X…).
  if (curp.length === 18) {
    const agreement = (p: string, m: string, g: string): number => curpLetters(curp, p, m, g);
    for (const part of ['paterno', 'materno', 'given'] as const) {
      const cur = { paterno, materno, given };
      const word = cur[part];
      for (let i = word.indexOf('N'); i >= 0 && i < 40; i = word.indexOf('N', i + 1)) {
        const alt = { ...cur, [part]: word.slice(0, i) + 'Ñ' + word.slice(i + 1) };
        if (agreement(alt.paterno, alt.materno, alt.given) > agreement(cur.paterno, cur.materno, cur.given)) {
          ({ paterno, materno, given } = alt);
          warnings.push(`names: ${part}: Ñ restored where the CURP has X`);
          break;
        }
      }
    }
  }

  // CURP letters bind the names: positions 1–4 and 14–16.
  let curpAgrees: boolean | undefined;
  if (curp.length === 18 && (paterno || given)) {
    curpAgrees = curpLetters(curp, paterno, materno, given) === 7;
    if (!curpAgrees) warnings.push('names: CURP letters do not match the names read');
  }


  const fromFront = lines.length > 0;
  const surVerdict: Verdict = surAgree && curpAgrees !== false ? 'valid' : mrzLine && frontSur && !surAgree ? 'invalid' : curpAgrees === false ? 'invalid' : 'unverified';
  const givenVerdict: Verdict =
    givenFull && curpAgrees !== false ? 'valid' : mrzLine && frontGiven && !givenAgree ? 'invalid' : curpAgrees === false ? 'invalid' : 'unverified';
  const src = (agree: boolean): FieldSource => (agree ? 'both' : fromFront ? 'front' : 'back');

  let mrzLineFromFront: string | null = null;
  if (swapped.size === 0 && mrzLine.length === 30 && fromFront && frontSur && frontGiven && curpAgrees === true) {
    const rebuilt = `${frontSur}<<${frontGiven}`.padEnd(30, '<').slice(0, 30);
    // Only known OCR-B misreads, position by position: the CURP letters cannot tell LOPEZ
    // from LOPES, so a front/MRZ difference outside this table stays a disagreement.
    const diffs = [...rebuilt].flatMap((ch, i) => (ch === mrzLine[i] ? [] : [[mrzLine[i]!, ch] as const]));
    const substitutions = diffs.length > 0 && diffs.length <= 2 && diffs.every(([read, printed]) => MRZ3_MISREADS[read]?.includes(printed) === true);
    // A glyph read twice (CCASTANEDA) or a stray one inserted (UMENDOZA, DE<SLEON): dropping
    // it and refilling the end gives the front's line exactly.
    const doubled = [...mrzLine].some((ch, k) => ch !== '<' && (mrzLine.slice(0, k) + mrzLine.slice(k + 1) + '<') === rebuilt);
    const fixable = substitutions || doubled;
    if (fixable && mrzFormCharsOnly(rebuilt)) {
      mrzLineFromFront = rebuilt;
      // The corrected line and the front agree: names are bound by two readings and the CURP.
      return {
        paterno,
        materno,
        given,
        verdict: { paterno: 'valid', materno: 'valid', given: truncated && frontGiven.length > rebuilt.split('<<')[1]!.replace(/<+$/, '').length ? 'unverified' : 'valid' },
        source: { paterno: 'both', materno: 'both', given: 'both' },
        mrzLineConfirmed: true,
        mrzLineFromFront,
      };
    }
  }
  if (mrzLine && frontSur && !surAgree) warnings.push('names: surnames on the front and in MRZ line 3 disagree');
  if (mrzLine && frontGiven && !givenAgree) warnings.push('names: given names on the front and in MRZ line 3 disagree');
  const own = (part: 'paterno' | 'materno' | 'given', verdict: Verdict, source: FieldSource): [Verdict, FieldSource] =>
    swapped.has(part) ? ['unverified', 'back'] : [verdict, source];
  const [vp, sp] = own('paterno', paterno ? surVerdict : 'unverified', src(surAgree));
  const [vm, sm] = own('materno', surVerdict, src(surAgree));
  const [vg, sg] = own('given', givenVerdict, src(givenAgree));
  return {
    paterno,
    materno,
    given,
    verdict: { paterno: vp, materno: vm, given: vg },
    source: { paterno: sp, materno: sm, given: sg },
    mrzLineConfirmed: swapped.size === 0 && surAgree && givenAgree && (givenFull || truncated),
    mrzLineFromFront,
  };
}
