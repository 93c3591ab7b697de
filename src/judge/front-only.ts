/**
 * Fields printed once, on the front only: nothing binds them, so they are `unverified` at best
 * (`invalid` when they cannot be what the card prints), and the card model they reveal.
 */
import { colonyLine, placeLine, postalCodeOf } from '../domain/address-words.ts';
import { INEGI_STATE_CODES } from '../domain/states.ts';
import type { FrontReading } from '../extract/front.ts';
import type { FieldName, FieldSource, Verdict } from '../record.ts';

type Set = (f: FieldName, value: string, verdict: Verdict, source: FieldSource) => void;

/**
 * Address lines as printed. Since 2014 the street may be left off the card, so lines are
 * placed from the bottom: the last is municipality/state, the one before holds colonia + CP.
 */
export function assignAddress(lines: readonly string[]): [string, string, string] {
  const ls = lines.slice(0, 3);
  if (ls.length === 3) return [ls[0]!, ls[1]!, ls[2]!];
  if (ls.length === 2) return ['', ls[0]!, ls[1]!];
  if (ls.length === 1) return ['', '', ls[0]!];
  return ['', '', ''];
}

/**
 * Which model a card can be by the year it expires (ine-formats.md §1: E from July 2014, G/H
 * from December 2019; a card is valid ten years, to 31 December): E/F cards expire 2024–2029,
 * G/H cards 2029 on. 2029 is either; before 2024, an older model.
 */
const EXPIRY_YEARS = { ef: [2024, 2028], gh: [2030, Number.POSITIVE_INFINITY] } as const;

/**
 * The card model: E/F print ESTADO/MUNICIPIO/LOCALIDAD/EMISIÓN; G/H print VIGENCIA as a range.
 * With none of those read, the year the card expires when a check binds it (EXPIRY_YEARS).
 */
export function cardModelOf(front: FrontReading, boundExpiry?: number): string {
  const ef = ['estado', 'municipio', 'localidad', 'emision'].filter((k) => front.labels.includes(k)).length;
  if (ef >= 2 || front.emissionYear || (front.stateCode && front.municipalityCode)) return 'E/F';
  if (front.validFrom) return 'G/H';
  const within = (y: number, [from, to]: readonly [number, number]): boolean => y >= from && y <= to;
  if (boundExpiry !== undefined && within(boundExpiry, EXPIRY_YEARS.ef)) return 'E/F';
  if (boundExpiry !== undefined && within(boundExpiry, EXPIRY_YEARS.gh)) return 'G/H';
  return '';
}

/** A year as the card prints one (19xx or 20xx), as a number; undefined for anything else. */
export const printedYear = (s: string | undefined): number | undefined => (s && /^(19|20)\d\d$/.test(s) ? Number(s) : undefined);

/**
 * @param birthYear the card's birth year when settled: no year printed on the card can come before it.
 * @param boundExpiry the year the card expires when a check binds it (the MRZ's check digit, or both sides agreeing).
 */
export function judgeFrontOnly(front: FrontReading, birthYear: number | undefined, boundExpiry: number | undefined, set: Set): void {
  const [street, read, place] = assignAddress(front.addressLines);
  const colony = read && colonyLine(read);
  set('addressLine1', street, 'unverified', 'front');
  set('addressLine2', colony, 'unverified', 'front');
  set('addressLine3', placeLine(place), 'unverified', 'front');
  const cp = postalCodeOf(colony || `${street} ${place}`);
  if (cp) set('postalCode', cp, 'unverified', 'front');
  const plausibleYear = (y: string): boolean => printedYear(y) !== undefined && (birthYear === undefined || Number(y) >= birthYear);
  for (const f of ['registrationYear', 'validFrom', 'emissionYear'] as const) {
    if (front[f]) set(f, front[f], plausibleYear(front[f]) ? 'unverified' : 'invalid', 'front');
  }
  if (front.stateCode) set('stateCode', front.stateCode, INEGI_STATE_CODES.has(front.stateCode) ? 'unverified' : 'invalid', 'front');
  set('municipalityCode', front.municipalityCode, 'unverified', 'front');
  set('localityCode', front.localityCode, 'unverified', 'front');
  set('cardModel', cardModelOf(front, boundExpiry), 'unverified', 'derived');
}
