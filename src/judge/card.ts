/**
 * Front + back readings → one judged card: each field's value, verdict and source, and the
 * notes that explain them. Every value the card carries twice is a cross-check: the birth
 * date (MRZ, CURP, clave, front), the sex (same four), the names (front, MRZ line 3, CURP and
 * clave letters), sección (front, MRZ line 1), the emission number (front, MRZ line 2), the
 * vigencia (front, MRZ expiry). A field is `valid` only when a check binds it and nothing
 * contradicts it. Pure: no OCR, no I/O.
 */
import { passed, type Binding, type BoundFact, type Candidate, type Note } from '../evidence.ts';
import type { BackReading } from '../extract/back.ts';
import { parseClave } from '../extract/clave.ts';
import { parseCurp, type CurpResult } from '../extract/curp.ts';
import { formatDdMmYyyy, parseDdMmYyyy, resolveBirthDate, toYymmdd } from '../extract/dates.ts';
import type { FrontReading } from '../extract/front.ts';
import { codesBySection } from '../extract/front-rows.ts';
import type { MrzResult } from '../extract/mrz.ts';
import { emptyFields, type CardFields, type FieldCheck, type FieldName, type FieldSource, type Verdict } from '../record.ts';
import { bestReading, curpRepairCandidate, judgeClave } from './codes.ts';
import { judgeFrontOnly, printedYear } from './front-only.ts';
import { curpLetters, judgeNames, type JudgedNames } from './names.ts';
import { birthDateFromFront, mrzTrust, trustVerdict, type MrzTrust } from './mrz.ts';
import { mrzRepairNote } from './notes.ts';
import { vote, witnesses, type VoteResult } from './vote.ts';

export interface JudgedCard {
  readonly fields: CardFields;
  readonly checks: Partial<Record<FieldName, FieldCheck>>;
  /** Every failed check, repair and disagreement, as typed notes (words: src/judge/notes.ts). */
  readonly notes: Note[];
  /** Non-empty fields. */
  readonly filled: number;
  /** The facts printed on both sides, compared: what says the two images are one card. */
  readonly bindings: readonly Binding[];
}

/** The card being judged: what was read, and what has been decided so far. */
interface Judging {
  readonly front: FrontReading;
  readonly mrz: MrzResult | null;
  readonly fields: CardFields;
  readonly checks: Partial<Record<FieldName, FieldCheck>>;
  readonly notes: Note[];
  readonly bindings: Binding[];
}

function set(j: Judging, f: FieldName, value: string, verdict: Verdict, source: FieldSource): void {
  if (value === '') return;
  j.fields[f] = value;
  j.checks[f] = { verdict, source };
}

/**
 * Judges a card from its two readings. The CURP is judged as read and, when that fails, once
 * more as repaired from the birth date, sex and names the rest of the card verifies: the
 * repaired CURP is kept only when its own check digit confirms it unchanged and the names
 * agree with it.
 */
export function judgeCard(front: FrontReading, back: BackReading): JudgedCard {
  const asRead = judgeReadings(front, back);
  if (asRead.fields.curp.length !== 18 || asRead.checks.curp?.verdict === 'valid') return asRead;
  const candidate = curpRepairCandidate(asRead.fields, asRead.checks);
  if (!candidate) return asRead;
  const repaired = judgeReadings({ ...front, curp: candidate }, back);
  const namesAgree = (['firstLastName', 'secondLastName', 'name'] as const).every((f) => repaired.checks[f]?.verdict !== 'invalid');
  if (repaired.checks.curp?.verdict === 'valid' && repaired.fields.curp === candidate && namesAgree) {
    repaired.notes.push({ code: 'curp-repaired-from-card' });
    return repaired;
  }
  return asRead;
}

function judgeReadings(front: FrontReading, back: BackReading): JudgedCard {
  const notes: Note[] = [];
  const j: Judging = { front, mrz: settleMrz(front, back, notes), fields: emptyFields(), checks: {}, notes, bindings: [] };
  const m = j.mrz?.fields;
  const mc = j.mrz?.checks;
  const verifiedDob = m?.birthDate && mc?.birthDate ? m.birthDate : undefined;
  const hints = codeHints(front, j.mrz);

  // CURP first: its position 17 settles the birth century.
  const curp = front.curp ? bestReading('curp', front.curp, (c) => parseCurp(c, hints), notes, verifiedDob) : null;
  if (curp) {
    notes.push(...curp.warnings);
    if (curp.repairs.length > 0) notes.push({ code: 'code-repaired-by-type', field: 'curp', count: curp.repairs.length });
  }
  const clave = front.clave ? bestReading('electoralId', front.clave, (c) => parseClave(c, hints), notes, verifiedDob) : null;
  const curpValue = curp?.value ?? '';
  const claveValue = clave?.value ?? '';
  const dob = judgeBirthDate(j, curp, claveValue);
  const sex = judgeSex(j, curp, claveValue);
  judgeCurp(j, curp, dob?.value ?? '', sex);
  const names = judgeNames(front.nameLines, front.clave, j.mrz, curpValue, notes);
  j.bindings.push(...names.bindings);
  set(j, 'firstLastName', names.paterno, names.verdict.paterno, names.source.paterno);
  set(j, 'secondLastName', names.materno, names.verdict.materno, names.source.materno);
  set(j, 'name', names.given, names.verdict.given, names.source.given);
  curpAgainstNames(j, names);
  if (clave && claveValue) {
    notes.push(...clave.warnings);
    const c = judgeClave(
      clave,
      {
        dobYymmdd: dob?.value ?? '',
        dobValid: j.checks.dateOfBirth?.verdict === 'valid',
        sex: sex?.value ?? '',
        sexValid: j.checks.sex?.verdict === 'valid',
        validCurp: curp?.valid ? curpValue : '',
        names,
        namesBound: (['firstLastName', 'name'] as const).every((f) => j.checks[f]?.verdict === 'valid' || j.checks[f]?.source === 'both' || j.checks[f]?.source === 'back'),
      },
      notes,
    );
    set(j, 'electoralId', c.value, c.verdict, 'front');
  }
  const trust = mrzTrust(
    j.mrz,
    front,
    {
      birthDateAgainst: !!dob && dob.vote.dissent.some((d) => d.witness === 'MRZ') && (dob.vote.checked || dob.vote.support.length >= 2),
      sexAgainst: !!sex && sex.dissent.some((d) => d.witness === 'MRZ') && sex.support.length >= 2,
    },
    notes,
  );
  judgeMrzFields(j, trust, names, sex);
  const bound = (f: 'section' | 'expirationDate'): string => (j.checks[f]?.verdict === 'valid' ? j.fields[f] : '');
  judgeFrontOnly(withSectionCodes(front, bound('section')), dob?.year, printedYear(bound('expirationDate')), (f, v, verdict, source) => set(j, f, v, verdict, source));
  return { fields: j.fields, checks: j.checks, notes, filled: Object.values(j.fields).filter((v) => v !== '').length, bindings: j.bindings };
}

/**
 * The E/F codes the front's rows did not make out, placed by the sección when it is bound
 * (the MRZ's check digit, or both sides agreeing): only where the front left a code empty, and
 * not on a card whose front shows the G/H VIGENCIA range.
 */
function withSectionCodes(front: FrontReading, section: string): FrontReading {
  // A VIGENCIA range read (G/H) says the card prints no such codes.
  if (!section || front.codeRows.length === 0 || front.validFrom) return front;
  const placed = codesBySection(front.codeRows, section);
  return {
    ...front,
    stateCode: front.stateCode || (placed.stateCode ?? ''),
    municipalityCode: front.municipalityCode || (placed.municipalityCode ?? ''),
    localityCode: front.localityCode || (placed.localityCode ?? ''),
  };
}

/** The back's MRZ, its birth date corrected from the front when the MRZ's own check digits then confirm it; its notes. */
function settleMrz(front: FrontReading, back: BackReading, notes: Note[]): MrzResult | null {
  let mrz = back.mrz?.found ? back.mrz : null;
  if (mrz && !mrz.checks.birthDate) {
    const corrected = birthDateFromFront(mrz, front);
    if (corrected) {
      mrz = corrected;
      notes.push({ code: 'mrz-birth-date-from-front' });
    }
  }
  if (!mrz) {
    notes.push({ code: 'back-no-mrz' });
    return null;
  }
  notes.push(...mrz.repairs.map(mrzRepairNote), ...mrz.warnings);
  for (const check of ['cic', 'birthDate', 'expiry', 'composite'] as const) {
    if (!mrz.checks[check]) notes.push({ code: 'mrz-check-failed', check });
  }
  return mrz;
}

/**
 * What settles the codes' positions their own checks cannot see (ine-formats.md §3): the birth
 * date read elsewhere — the front's printed date (it carries the century) when it agrees with
 * an MRZ date its check digit verified, else that MRZ date, else whatever was read — and the
 * sex.
 */
function codeHints(front: FrontReading, mrz: MrzResult | null): { birthDate?: string; sex?: string } {
  const m = mrz?.fields;
  const frontDob = front.dateOfBirth ? parseDdMmYyyy(front.dateOfBirth) : null;
  const mrzDobOk = m?.birthDate && mrz?.checks.birthDate ? m.birthDate : undefined;
  const birthDate =
    mrzDobOk !== undefined ? (frontDob && toYymmdd(frontDob) === mrzDobOk ? front.dateOfBirth : mrzDobOk) : front.dateOfBirth || m?.birthDate || undefined;
  const sex = m?.sex || front.sex || undefined;
  return { ...(birthDate ? { birthDate } : {}), ...(sex ? { sex } : {}) };
}

interface BirthDate {
  readonly vote: VoteResult<string>;
  /** YYMMDD. */
  readonly value: string;
  readonly year: number;
}

/**
 * A holder's age in the year their card was issued: at least ADULT (INE registers citizens from
 * 18; a 17-year-old may register ahead of the birthday) and at most OLDEST (well past the oldest
 * living Mexicans). Only used to rule a birth century out, never to doubt a date.
 */
const HOLDER_AGE = { adult: 17, oldest: 110 } as const;

/** A card's VIGENCIA runs this many years from its issue. */
const VALID_YEARS = 10;

/**
 * The year the card was issued: from the MRZ expiry its check digit verified, else from the
 * VIGENCIA the front prints (its first year, or its last less VALID_YEARS); undefined without
 * either.
 */
function issueYear(mrz: MrzResult | null, front: FrontReading): number | undefined {
  const mrzExpiry = mrz?.checks.expiry ? printedYear(mrz.fields.expirationYear) : undefined;
  if (mrzExpiry !== undefined) return mrzExpiry - VALID_YEARS;
  const from = printedYear(front.validFrom);
  const to = printedYear(front.validTo);
  return from ?? (to === undefined ? undefined : to - VALID_YEARS);
}

/** A birth in `year` could not hold a card issued in `issued` (too young or too old then). */
const cannotHold = (year: number, issued: number): boolean => issued - year < HOLDER_AGE.adult || issued - year > HOLDER_AGE.oldest;

/** Which century the birth date is in, and whether what says so settles it. */
interface Century {
  readonly century: number | undefined;
  readonly settled: boolean;
}

/**
 * The birth century: a valid CURP's position 17 (digit before 2000, letter from 2000) and the
 * front's printed 4-digit year. Either alone may be a misread its check cannot see (a CURP
 * misread passes its check digit one time in ten; a blur turns 2004 into 1904 on the front).
 * The holder's age when the card was issued (HOLDER_AGE, against the issue year: issueYear;
 * without one, of age this year) allows one century at most: the CURP's settles it when that
 * age allows it; the front's alone only when the age allows it and not the other; the
 * two disagreeing settle nothing (the one the age allows is kept). Unsettled, the date is kept
 * but never marked valid.
 */
function birthCentury(j: Judging, yy: number, curpCentury: number | undefined, frontCentury: number | undefined): Century {
  const issued = issueYear(j.mrz, j.front);
  // No issue year read: the card was issued by now, so a holder must be of age now.
  const possible = (c: number): boolean => (issued === undefined ? new Date().getFullYear() - (c + yy) >= HOLDER_AGE.adult : !cannotHold(c + yy, issued));
  const onlyOne = (c: number): boolean => possible(c) && !possible(c === 1900 ? 2000 : 1900);
  if (curpCentury !== undefined && frontCentury !== undefined && curpCentury !== frontCentury) {
    j.notes.push({ code: 'century-differs' });
    return { century: possible(curpCentury) || !possible(frontCentury) ? curpCentury : frontCentury, settled: false };
  }
  if (curpCentury !== undefined) return { century: curpCentury, settled: possible(curpCentury) };
  if (frontCentury === undefined) return { century: undefined, settled: false };
  if (!onlyOne(frontCentury)) j.notes.push({ code: 'century-unsettled' });
  return { century: frontCentury, settled: onlyOne(frontCentury) };
}

/**
 * The birth date, compared as YYMMDD across the MRZ, the CURP, the front and the clave, in the
 * century birthCentury settles; a date whose century is not settled is never marked valid.
 */
function judgeBirthDate(j: Judging, curp: CurpResult | null, clave: string): BirthDate | undefined {
  const { front, mrz } = j;
  const curpValue = curp?.value ?? '';
  const curpOk = curp?.valid === true;
  const frontDob = front.dateOfBirth ? parseDdMmYyyy(front.dateOfBirth) : null;
  const curpCentury = curpOk ? (/[0-9]/.test(curpValue[16] ?? '') ? 1900 : 2000) : undefined;
  const frontCentury = frontDob ? Math.floor(frontDob.year / 100) * 100 : undefined;

  const candidates: Candidate[] = [];
  const m = mrz?.fields;
  if (m?.birthDate && resolveBirthDate(m.birthDate)) {
    candidates.push({ value: m.birthDate, witness: 'MRZ', origin: 'back', evidence: [{ kind: 'check', check: 'mrz-birth-date', passed: mrz?.checks.birthDate === true }] });
  }
  if (curpValue.length === 18 && resolveBirthDate(curpValue.slice(4, 10))) {
    candidates.push({ value: curpValue.slice(4, 10), witness: 'CURP', origin: 'front', evidence: [{ kind: 'check', check: 'curp', passed: curpOk }] });
  }
  if (frontDob) candidates.push({ value: toYymmdd(frontDob), witness: 'front date', origin: 'front', evidence: [] });
  if (clave.length === 18 && resolveBirthDate(clave.slice(6, 12))) candidates.push({ value: clave.slice(6, 12), witness: 'clave', origin: 'front', evidence: [] });
  bindAcross(j, 'birth date', candidates);
  const v = vote(candidates);
  if (!v) return undefined;
  const { century, settled } = birthCentury(j, Number(v.value.slice(0, 2)), curpCentury, frontCentury);
  const date = resolveBirthDate(v.value, century === undefined ? {} : { curpPosition17: century === 1900 ? '0' : 'A' });
  if (!date) return undefined;
  for (const d of v.dissent) j.notes.push({ code: 'reading-disagrees', field: 'dateOfBirth', dissent: d.witness, support: witnesses(v.support) });
  // Two agreeing readings with nothing against them, or a checked reading another supports (or nothing contradicts).
  const agreed = v.checked ? v.support.length >= 2 || v.dissent.length === 0 : v.support.length >= 2 && v.dissent.length === 0;
  const verdict: Verdict = agreed ? (settled ? 'valid' : 'unverified') : v.dissent.length > 0 ? 'invalid' : 'unverified';
  set(j, 'dateOfBirth', formatDdMmYyyy(date), verdict, v.source);
  return { vote: v, value: v.value, year: date.year };
}

/** The sex: the MRZ (no check digit covers it), the CURP (its check digit does), the clave, the front. */
function judgeSex(j: Judging, curp: CurpResult | null, clave: string): VoteResult<string> | undefined {
  const candidates: Candidate[] = [];
  const curpValue = curp?.value ?? '';
  const mrzSex = j.mrz?.fields.sex;
  if (mrzSex) candidates.push({ value: mrzSex, witness: 'MRZ', origin: 'back', evidence: [] });
  if (curpValue.length === 18 && /[HMX]/.test(curpValue[10] ?? '')) {
    candidates.push({ value: curpValue[10]!, witness: 'CURP', origin: 'front', evidence: [{ kind: 'check', check: 'curp', passed: curp?.valid === true }] });
  }
  if (clave.length === 18 && /[HM]/.test(clave[14] ?? '')) candidates.push({ value: clave[14]!, witness: 'clave', origin: 'front', evidence: [] });
  if (j.front.sex) candidates.push({ value: j.front.sex, witness: 'front', origin: 'front', evidence: [] });
  bindAcross(j, 'sex', candidates);
  const v = vote(candidates);
  if (!v) return undefined;
  for (const d of v.dissent) j.notes.push({ code: 'reading-disagrees', field: 'sex', dissent: d.witness, support: witnesses(v.support) });
  const verdict: Verdict = v.support.length >= 2 && v.support.length > v.dissent.length ? 'valid' : v.dissent.length > 0 ? 'invalid' : 'unverified';
  set(j, 'sex', v.value, verdict, v.source);
  return v;
}

/**
 * The CURP's verdict: its own checks, and agreement with the birth date and sex. The
 * homoclave (position 17) is bound by nothing but the check digit: a glyph that was not even
 * of the position's type (G where a digit belongs), coerced and then swapped for another by the
 * check digit, is two guesses the check digit alone cannot confirm.
 */
function judgeCurp(j: Judging, curp: CurpResult | null, dobYymmdd: string, sex: VoteResult<string> | undefined): void {
  if (!curp || !curp.value) return;
  const value = curp.value;
  const agreesDob = dobYymmdd === '' || value.slice(4, 10) === dobYymmdd;
  const agreesSex = !sex || value[10] === sex.value;
  if (!agreesDob) j.notes.push({ code: 'code-differs', field: 'curp', what: 'birth date' });
  if (!agreesSex) j.notes.push({ code: 'code-differs', field: 'curp', what: 'sex' });
  const at16 = curp.repairs.filter((r) => r.position === 16);
  const homoclaveChosen = at16.length >= 2 && at16.some((r) => r.kind === 'by-check-digit');
  if (curp.valid && homoclaveChosen) j.notes.push({ code: 'curp-homoclave-unconfirmed' });
  set(j, 'curp', value, curp.valid && agreesDob && agreesSex ? (homoclaveChosen ? 'unverified' : 'valid') : 'invalid', 'front');
}

/**
 * Names read alike on both sides that the CURP letters contradict: the CURP is suspect,
 * whatever its check digit says (a repair may have passed it by chance).
 */
function curpAgainstNames(j: Judging, names: JudgedNames): void {
  const { checks } = j;
  if (checks.curp?.verdict !== 'valid' || !(names.paterno || names.given)) return;
  if (curpLetters(j.fields.curp, names.paterno, names.materno, names.given) === 7) return;
  if (checks.firstLastName?.source === 'both' && checks.name?.source === 'both') {
    // Names two readings agree on: the CURP's letters are the misread.
    checks.curp = { verdict: 'invalid', source: checks.curp.source };
    j.notes.push({ code: 'curp-contradicts-names' });
  } else {
    // Names from one reading: either may be the misread one (a CURP whose check digit passes
    // after a misread of its letters, under glare). Neither is confirmed.
    checks.curp = { verdict: 'unverified', source: checks.curp.source };
  }
}

/**
 * MRZ line 2's sex (position 8, the one character of the line no check digit covers) as the
 * card binds it: the sex judged valid with that letter (so another reading agrees with the
 * MRZ and outweighs any that does not), or, with no other reading of the sex on the card, the
 * letter read as printed. A letter a repair chose is not bound by its own reading (motion
 * eval: an M read `4`, taken for H, while the clave said M), nor one another reading
 * contradicts and nothing supports.
 */
function mrzSexBound(j: Judging, mrz: MrzResult, sex: VoteResult<string> | undefined): boolean {
  const letter = mrz.lines[1][7] ?? '';
  if (!/^[HMX<]$/.test(letter)) return false;
  if (j.checks.sex?.verdict === 'valid') return j.fields.sex === letter;
  const others = [...(sex?.support ?? []), ...(sex?.dissent ?? [])].filter((c) => c.witness !== 'MRZ');
  return others.length === 0 && !mrz.repairs.some((r) => r.line === 2 && r.position === 7);
}

/**
 * MRZ line 2 with its sex (position 8) from the card, when the MRZ's letter there is none the
 * place can hold (motion eval: an M read N, W or 8; an H read 8 or K) and the card's sex is
 * judged valid from its other readings (the CURP, the clave, the front); undefined otherwise.
 */
function mrzSexFromCard(j: Judging, mrz: MrzResult): string | undefined {
  const line = mrz.lines[1];
  if (line.length !== 30 || /^[HMX<]$/.test(line[7] ?? '')) return undefined;
  if (j.checks.sex?.verdict !== 'valid' || !/^[HM]$/.test(j.fields.sex)) return undefined;
  return line.slice(0, 7) + j.fields.sex + line.slice(8);
}

/** The MRZ's own fields, and the fields the front prints too (sección, emission number, vigencia). */
function judgeMrzFields(j: Judging, trust: MrzTrust, names: JudgedNames, sex: VoteResult<string> | undefined): void {
  const { mrz, front } = j;
  const m = mrz?.fields;
  const mc = mrz?.checks;
  if (mrz && m && mc) {
    // A check digit that chose a character among look-alikes cannot also confirm it, and the
    // composite covering it once more passes by chance one time in ten: what such a choice
    // touched is read, not confirmed.
    const chose = (line: 1 | 2): boolean => mrz.repairs.some((r) => r.line === line && r.kind === 'by-check-digit');
    // A line found without its layout (its digit runs not of their lengths) was placed by
    // guesswork: a check digit there may pass on a spliced reading (hard eval, sheen: a glare
    // took six characters from line 1, IDMEX997|5120384… read as one document number, and its
    // check digit passed by chance). Only the composite, over both lines, confirms it.
    const unaligned = (line: 1 | 2): boolean => mrz.warnings.some((n) => n.code === 'mrz-line-unaligned' && n.line === line);
    const cap = (v: Verdict, line: 1 | 2): Verdict => (v === 'valid' && (chose(line) || (unaligned(line) && !mc.composite)) ? 'unverified' : v);
    set(j, 'mz1', mrz.lines[0], cap(trustVerdict(trust, mc.cic && mc.composite, true), 1), 'back');
    const sexFromCard = mrzSexFromCard(j, mrz);
    if (sexFromCard) {
      // The letter was not read: what the card's other readings say is not confirmed by the MRZ.
      j.notes.push({ code: 'mrz-sex-from-card' });
      const checked = cap(trustVerdict(trust, mc.birthDate && mc.expiry && mc.composite, true), 2);
      set(j, 'mz2', sexFromCard, checked === 'valid' ? 'unverified' : checked, 'both');
    } else {
      set(j, 'mz2', mrz.lines[1], cap(trustVerdict(trust, mc.birthDate && mc.expiry && mc.composite && mrzSexBound(j, mrz, sex), true), 2), 'back');
    }
    if (names.mrzLineFromFront && names.mrzLineFromFront.line !== mrz.lines[2]) {
      j.notes.push({ code: 'mrz-line3-from-front' });
      set(j, 'mz3', names.mrzLineFromFront.line, names.mrzLineFromFront.sure ? 'valid' : 'unverified', 'both');
    } else if (names.mrzLineCompleted) {
      // The part read matches the front; the rest is the front's alone.
      j.notes.push({ code: 'mrz-line3-completed' });
      set(j, 'mz3', names.mrzLineCompleted, 'unverified', 'both');
    } else {
      set(j, 'mz3', mrz.lines[2], names.mrzLineConfirmed ? 'valid' : 'unverified', 'back');
    }
    set(j, 'idMex', m.idMex, cap(trustVerdict(trust, mc.cic), 1), 'back');
    set(j, 'idNumber', m.idNumber, cap(trustVerdict(trust, mc.composite, true), 1), 'back');
    set(j, 'citizenId', m.citizenId, cap(trustVerdict(trust, mc.composite, true), 1), 'back');
  }
  pairField(j, trust, 'section', front.section, m?.section ?? '', mc?.composite === true);
  pairField(j, trust, 'issueNumber', front.issueNumber, m?.issueNumber ?? '', mc?.composite === true);
  pairField(j, trust, 'expirationDate', front.validTo, m?.expirationYear ?? '', mc?.expiry === true);
}

const PAIR_FACT: Readonly<Record<'section' | 'issueNumber' | 'expirationDate', BoundFact>> = {
  section: 'sección',
  issueNumber: 'emission number',
  expirationDate: 'vigencia',
};

/**
 * The front's readings of a fact (CURP, clave, printed) against the MRZ's, when the MRZ's is
 * read and, where a check digit covers it, passes it: they agree when any front reading gives
 * the MRZ's value (the others may be misreads the vote settles).
 */
function bindAcross(j: Judging, fact: 'birth date' | 'sex', candidates: readonly Candidate[]): void {
  const back = candidates.find((c) => c.origin === 'back');
  const fronts = candidates.filter((c) => c.origin === 'front');
  if (!back || fronts.length === 0) return;
  if (fact === 'birth date' && !passed(back, 'mrz-birth-date')) return;
  j.bindings.push({ fact, agree: fronts.some((c) => c.value === back.value) });
}

/**
 * A value printed on the front and carried in the MRZ: agreement binds it; else the MRZ's
 * (OCR-B, check digits) when its checks hold and it is trusted, the front's otherwise.
 */
function pairField(j: Judging, trust: MrzTrust, f: 'section' | 'issueNumber' | 'expirationDate', fromFront: string, fromBack: string, backChecked: boolean): void {
  const preferBack = backChecked && trust.trusted;
  if (fromFront && fromBack && backChecked) j.bindings.push({ fact: PAIR_FACT[f], agree: fromFront === fromBack });
  if (fromFront && fromBack) {
    if (fromFront === fromBack) set(j, f, fromBack, 'valid', 'both');
    else {
      j.notes.push({ code: 'front-back-disagree', field: f });
      set(j, f, preferBack ? fromBack : fromFront, 'invalid', preferBack ? 'back' : 'front');
    }
  } else if (fromBack) set(j, f, fromBack, preferBack && !trust.compositeDoubt ? 'valid' : 'unverified', 'back');
  else if (fromFront) set(j, f, fromFront, 'unverified', 'front');
}
