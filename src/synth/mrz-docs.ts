/**
 * Machine-readable zones of documents that are NOT an INE card, for the trust corpus: a
 * passport's TD3 (2 × 44) and another country's TD1 ID card (3 × 30), all check digits valid
 * (ICAO 9303 Part 4 §4.2 for TD3, Part 5 §4.2 for TD1; 7-3-1 weights, Part 3 §4.9).
 */
import { icaoCheckDigit } from '../extract/check-digits.ts';

/** `YYMMDD` of a date. */
export function yymmdd(d: { year: number; month: number; day: number }): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return p(d.year % 100) + p(d.month) + p(d.day);
}

/** Name field: `SURNAMES<<GIVEN<NAMES`, accents and Ñ folded, cut or padded to `width`. */
export function mrzNames(surnames: string, given: string, width: number): string {
  const clean = (s: string): string =>
    s.toUpperCase().replace(/Ñ/g, 'N').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Z ]/g, ' ').trim().replace(/\s+/g, '<');
  return `${clean(surnames)}<<${clean(given)}`.slice(0, width).padEnd(width, '<');
}

const field = (s: string, width: number): string => s.slice(0, width).padEnd(width, '<');
const check = (s: string): string => String(icaoCheckDigit(s));

export interface MrzPerson {
  readonly surnames: string;
  readonly given: string;
  /** ICAO sex: M, F or `<`. */
  readonly sex: 'M' | 'F' | '<';
  readonly birth: { readonly year: number; readonly month: number; readonly day: number };
  readonly expiry: { readonly year: number; readonly month: number; readonly day: number };
  readonly nationality: string;
}

/** TD1 (ID cards): document code, issuing state, number, optional data; composite over L1[5:30] + L2[0:7] + L2[8:15] + L2[18:29]. */
export function td1(doc: { code: string; state: string; number: string; optional1?: string; optional2?: string }, p: MrzPerson): [string, string, string] {
  const number = field(doc.number, 9);
  const l1 = field(doc.code, 2) + doc.state + number + check(number) + field(doc.optional1 ?? '', 15);
  const dob = yymmdd(p.birth);
  const exp = yymmdd(p.expiry);
  const head = dob + check(dob) + p.sex + exp + check(exp) + p.nationality + field(doc.optional2 ?? '', 11);
  const l2 = head + check(l1.slice(5, 30) + head.slice(0, 7) + head.slice(8, 15) + head.slice(18, 29));
  return [l1, l2, mrzNames(p.surnames, p.given, 30)];
}

/** TD3 (passports): `P<` + state + names / number, nationality, dates, personal number; composite over L2[0:10] + L2[13:20] + L2[21:43]. */
export function td3(doc: { state: string; number: string; personal?: string }, p: MrzPerson): [string, string] {
  const l1 = `P<${doc.state}${mrzNames(p.surnames, p.given, 39)}`;
  const number = field(doc.number, 9);
  const personal = field(doc.personal ?? '', 14);
  const dob = yymmdd(p.birth);
  const exp = yymmdd(p.expiry);
  const head = number + check(number) + p.nationality + dob + check(dob) + p.sex + exp + check(exp) + personal + check(personal);
  return [l1, head + check(head.slice(0, 10) + head.slice(13, 20) + head.slice(21, 43))];
}
