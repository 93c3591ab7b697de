/**
 * The MRZ's fields and how far its check digits can be trusted. Check digits pass by luck one
 * time in ten after OCR garbage or a repair that chose characters; the readings of the same
 * facts elsewhere on the card (birth date, sex, sección, emission number, vigencia) say when
 * they did.
 */
import { REPAIRS_CHOSEN, REPAIRS_REALIGNED, type MrzContradiction, type Note } from '../evidence.ts';
import { readMrzLines, tailUnread, type MrzResult } from '../extract/mrz.ts';
import { icaoCheckDigit } from '../extract/check-digits.ts';
import { parseCurp } from '../extract/curp.ts';
import { bestReading } from './codes.ts';
import { parseDdMmYyyy, toYymmdd } from '../extract/dates.ts';
import type { FrontReading } from '../extract/front.ts';
import type { Verdict } from '../record.ts';

/**
 * An MRZ whose birth-date check digit fails, with the birth date the front prints (the date
 * field, or the CURP's) put in its place: kept when that date differs in at most two of the
 * digits read (a digit hidden under a finger, read as the filler, is no difference) and the
 * MRZ's own birth-date and composite check digits then pass; or, when more was lost (a finger
 * over the line's start, read as other characters, its check digit too), when the front's
 * printed date and a CURP whose check digit passes agree on it — the date and its check digit
 * are then rewritten whole, and the composite check digit, read, must pass over them.
 */
export function birthDateFromFront(mrz: MrzResult, front: FrontReading): MrzResult | undefined {
  const [l1, l2, l3] = mrz.lines;
  if (l2.length !== 30) return undefined;
  const dob = front.dateOfBirth ? parseDdMmYyyy(front.dateOfBirth) : null;
  const printed = dob ? toYymmdd(dob) : '';
  // The CURP as the judge reads it (look-alikes repaired by position, the next word read onto it cut off: …SNI8EL).
  const checked = front.curp ? bestReading('curp', front.curp, (c) => parseCurp(c), []) : undefined;
  const curp = checked?.valid ? checked.value : front.curp.toUpperCase();
  const fromCurp = /^\d{6}$/.test(curp.slice(4, 10)) ? curp.slice(4, 10) : '';
  for (const c of new Set([printed, fromCurp])) {
    if (c.length !== 6 || c === l2.slice(0, 6)) continue;
    if ([...c].filter((ch, i) => ch !== l2[i] && l2[i] !== '<').length > 2) continue;
    const again = readMrzLines([l1, c + l2.slice(6), l3]);
    if (again.checks.birthDate && again.checks.composite && again.fields.birthDate === c) return again;
  }
  if (printed.length === 6 && printed === fromCurp && checked?.valid === true && printed !== l2.slice(0, 6)) {
    const again = readMrzLines([l1, printed + String(icaoCheckDigit(printed)) + l2.slice(7), l3]);
    if (again.checks.birthDate && again.checks.composite && again.fields.birthDate === printed) return again;
  }
  return undefined;
}

export interface MrzTrust {
  /** Nothing the card reads elsewhere contradicts the MRZ's checked fields. */
  readonly trusted: boolean;
  /**
   * The composite is the only check left on some fields (optional data realigned, or the
   * front disagreeing on sección or emission number): those stay unverified.
   */
  readonly compositeDoubt: boolean;
}

export interface MrzWitnesses {
  /** The card's birth date vote: the MRZ dissents, and the vote is checked or has two readings. */
  readonly birthDateAgainst: boolean;
  /** The sex vote: the MRZ dissents from two or more readings. */
  readonly sexAgainst: boolean;
}

const frontDisagrees = (fromFront: string, fromBack: string | undefined): boolean => !!fromFront && !!fromBack && fromFront !== fromBack;

/**
 * Is the MRZ contradicted? A birth date or sex that disagrees with the card's other, agreeing
 * readings says so; the front's sección, emission number and vigencia count against an MRZ
 * whose repairs chose characters (a check digit's choice, realigned optional data): an
 * unrepaired MRZ outweighs one front reading.
 */
export function mrzTrust(mrz: MrzResult | null, front: FrontReading, w: MrzWitnesses, notes: Note[]): MrzTrust {
  const m = mrz?.fields;
  const chosen = mrz?.repairs.some((r) => REPAIRS_CHOSEN.has(r.kind)) === true;
  const contradictions: MrzContradiction[] = [];
  if (w.birthDateAgainst) contradictions.push('birth date');
  if (w.sexAgainst) contradictions.push('sex');
  if (chosen) {
    if (frontDisagrees(front.section, m?.section)) contradictions.push('sección');
    if (frontDisagrees(front.issueNumber, m?.issueNumber)) contradictions.push('emission number');
    if (frontDisagrees(front.validTo, m?.expirationYear)) contradictions.push('vigencia');
  }
  const trusted = contradictions.length === 0;
  if (!trusted) notes.push({ code: 'mrz-contradicted', parts: contradictions });
  // Optional data realigned by guesswork leaves the composite as its only check (1 in 10
  // passes by chance); the front disagreeing on sección or emission number means one of the
  // two readings is wrong, and the composite cannot say which.
  const realigned =
    mrz?.repairs.some((r) => REPAIRS_REALIGNED.has(r.kind)) === true || (mrz !== null && tailUnread(mrz.warnings));
  const disputed = frontDisagrees(front.section, m?.section) || frontDisagrees(front.issueNumber, m?.issueNumber);
  const compositeDoubt = realigned || disputed;
  if (compositeDoubt && trusted) notes.push({ code: 'mrz-composite-unconfirmed' });
  return { trusted, compositeDoubt };
}

/** The verdict of an MRZ field its checks cover (`compositeOnly`: only the composite does). */
export function trustVerdict(t: MrzTrust, ok: boolean | undefined, compositeOnly = false): Verdict {
  return !ok || !t.trusted ? 'invalid' : compositeOnly && t.compositeDoubt ? 'unverified' : 'valid';
}
