/**
 * The record's verdict: should a person look at this card? Empty when what binds the two
 * sides agrees, every key field is verified and both captures are good; otherwise one reason
 * per finding, each a code with its subject (`key-field-unverified:curp`) and words. Pure:
 * decided from the judged card's typed evidence (its checks and bindings) and the captures'
 * quality verdicts, never from a warning's words.
 */
import type { Binding, BoundFact } from '../evidence.ts';
import type { CardFields, CardSide, FieldCheck, FieldName, RecordNote } from '../record.ts';

/** Why a person should look. */
export type Review =
  /** Two or more facts printed on both sides disagree: the images are of two cards (a mixed-up pair, a back that names someone else, cards of two print runs). */
  | { readonly code: 'mismatched-sides'; readonly facts: readonly BoundFact[] }
  /** A key field failed a check. */
  | { readonly code: 'key-field-invalid'; readonly field: FieldName }
  /** A key field was read but nothing confirmed it. */
  | { readonly code: 'key-field-unverified'; readonly field: FieldName }
  /** A key field was not read at all. */
  | { readonly code: 'key-field-missing'; readonly field: FieldName }
  /** The capture is poor (blurry, glare, too few pixels): a new photo should be asked for. */
  | { readonly code: 'poor-capture'; readonly side: CardSide; readonly problems: readonly string[] };

/**
 * The fields a back office acts on, each bound by a check on a genuine card read well: the
 * CURP (check digit), the names (front and MRZ line 3 with the CURP letters), the birth date
 * and sex (four readings), the MRZ's CIC and identifier (check digits) and the vigencia. The
 * clave de elector has no check digit and is never `valid`: it counts only when it is
 * `invalid` (it contradicts the card).
 */
export const KEY_FIELDS: readonly FieldName[] = ['curp', 'firstLastName', 'secondLastName', 'name', 'dateOfBirth', 'sex', 'idMex', 'idNumber', 'expirationDate'];

/** Two facts disagreeing is two cards; one is a misread the field's own verdict reports. */
export const MISMATCH_MIN_FACTS = 2;

export interface ReviewInput {
  readonly fields: CardFields;
  readonly checks: Partial<Record<FieldName, FieldCheck>>;
  readonly bindings: readonly Binding[];
  readonly quality: Partial<Record<CardSide, { readonly verdict: 'good' | 'poor'; readonly problems: readonly string[] }>>;
}

/**
 * Given names that agree with MRZ line 3 as far as it prints them (it cuts long names at 30
 * characters: JOSE<DE<JESU) and that the valid CURP's letters bind: the field stays
 * `unverified` — the cut tail was read once — but that alone is no reason for a person to look.
 */
const givenNamesBound = (card: ReviewInput): boolean =>
  card.checks.curp?.verdict === 'valid' && card.bindings.some((b) => b.fact === 'given names' && b.agree);

export function reviewCard(card: ReviewInput): Review[] {
  const out: Review[] = [];
  const facts = [...new Set(card.bindings.filter((b) => !b.agree).map((b) => b.fact))];
  if (facts.length >= MISMATCH_MIN_FACTS) out.push({ code: 'mismatched-sides', facts });
  for (const field of KEY_FIELDS) {
    const verdict = card.checks[field]?.verdict;
    if (card.fields[field] === '') {
      // One surname is a real card's, when the paterno is verified alone (MRZ line 3 has one).
      if (field === 'secondLastName' && card.checks.firstLastName?.verdict === 'valid') continue;
      out.push({ code: 'key-field-missing', field });
    } else if (verdict === 'invalid') out.push({ code: 'key-field-invalid', field });
    else if (verdict !== 'valid' && !(field === 'name' && givenNamesBound(card))) out.push({ code: 'key-field-unverified', field });
  }
  if (card.checks.electoralId?.verdict === 'invalid') out.push({ code: 'key-field-invalid', field: 'electoralId' });
  for (const side of ['front', 'back'] as const) {
    const q = card.quality[side];
    if (q?.verdict === 'poor') out.push({ code: 'poor-capture', side, problems: q.problems });
  }
  return out;
}

const FIELD_WORDS: Partial<Record<FieldName, string>> = {
  curp: 'the CURP',
  firstLastName: 'the first surname',
  secondLastName: 'the second surname',
  name: 'the given names',
  dateOfBirth: 'the date of birth',
  sex: 'the sex',
  idMex: 'the CIC (MRZ line 1)',
  idNumber: 'the identifier (MRZ line 1)',
  expirationDate: 'the vigencia',
  electoralId: 'the clave de elector',
};

const words = (f: FieldName): string => FIELD_WORDS[f] ?? f;

/** A reason as the record carries it: `kind:subject` and its words. */
export function toReviewNote(r: Review): RecordNote {
  switch (r.code) {
    case 'mismatched-sides':
      return { code: r.code, message: `the front and the back disagree on ${r.facts.join(', ')}: they may be of two cards` };
    case 'key-field-invalid':
      return { code: `${r.code}:${r.field}`, message: `${words(r.field)} failed a check` };
    case 'key-field-unverified':
      return { code: `${r.code}:${r.field}`, message: `${words(r.field)} was read but nothing confirmed it` };
    case 'key-field-missing':
      return { code: `${r.code}:${r.field}`, message: `${words(r.field)} could not be read` };
    case 'poor-capture':
      return { code: `${r.code}:${r.side}`, message: `the ${r.side} capture is poor (${r.problems.join(', ')}): ask for a new one` };
  }
}
