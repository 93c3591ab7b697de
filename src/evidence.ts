/**
 * The typed evidence the extractors and the judge speak. A decision — a field's value and
 * verdict, whether an MRZ line was rebuilt, whether a side is trusted — is taken from these
 * codes and their data, never from words: notes are turned into sentences only at the
 * record's edge (src/judge/notes.ts). Nothing here carries a field value: positions, single
 * characters of a repair, counts and the names of fields or readings only.
 */
import type { FieldName } from './record.ts';

/** The checks a value can pass or fail. */
export type CheckId =
  /** ICAO 9303 TD1 check digits (src/extract/mrz.ts CHECK_TABLE). */
  | 'mrz-cic'
  | 'mrz-birth-date'
  | 'mrz-expiry'
  | 'mrz-composite'
  /** RENAPO's check digit over the CURP's 17 first characters. */
  | 'curp-check-digit'
  /** Every RENAPO rule over the whole CURP: structure, date, state, sex, check digit, word list. */
  | 'curp';

/** MRZ check digits, as named in MrzChecks. */
export type MrzCheckName = 'cic' | 'birthDate' | 'expiry' | 'composite';

export const MRZ_CHECK_IDS: Readonly<Record<MrzCheckName, CheckId>> = {
  cic: 'mrz-cic',
  birthDate: 'mrz-birth-date',
  expiry: 'mrz-expiry',
  composite: 'mrz-composite',
};

/**
 * What a repair did, and on what grounds. Two families matter to the judge:
 * - by the position's type (a letter where only a digit can be): the character read was
 *   impossible there, the replacement is its usual look-alike;
 * - chosen (`by-check-digit`, `realigned`, `extra-dropped`, `settled-by-other-reading`): the
 *   value is one of several the reading allowed, picked because a check then passes. A check
 *   that chose a value no longer confirms it on its own (REPAIRS_CHOSEN).
 */
export type RepairKind =
  | 'letter-as-digit'
  | 'digit-as-letter'
  | 'filler-misread'
  | 'fixed-misread'
  | 'sex-misread'
  | 'document-code'
  | 'filler-run-rebuilt'
  | 'unexpected-as-filler'
  | 'filler-deduplicated'
  | 'line-padded'
  | 'line-cut'
  /** Optional data rebuilt from a different number of characters (`count` read). */
  | 'realigned'
  /** A line-2 tail realigned because exactly one realignment made every check digit hold. */
  | 'realigned-by-check-digits'
  /** A character the OCR added inside the birth date, dropped because its check digit then holds. */
  | 'extra-dropped-birth-date'
  /** A character the OCR added, dropped because every check digit then holds. */
  | 'extra-dropped'
  /** A confusable character chosen by a check digit (`check` names it). */
  | 'by-check-digit'
  /** A digit taken from the same value read elsewhere on the card (the CURP's birth date from the MRZ's). */
  | 'settled-by-other-reading'
  /** Ñ read where RENAPO writes N or X. */
  | 'enye-resolved';

/** Repairs that chose among possible values: the check that chose them cannot also confirm them. */
export const REPAIRS_CHOSEN: ReadonlySet<RepairKind> = new Set([
  'realigned',
  'realigned-by-check-digits',
  'extra-dropped-birth-date',
  'extra-dropped',
  'by-check-digit',
]);

/** Repairs a check digit decided: the reading as it was failed that check. */
export const REPAIRS_BY_CHECK_DIGIT: ReadonlySet<RepairKind> = new Set([
  'realigned-by-check-digits',
  'extra-dropped-birth-date',
  'extra-dropped',
  'by-check-digit',
]);

/** Repairs that realigned characters: the positions after them are the repair's guess. */
export const REPAIRS_REALIGNED: ReadonlySet<RepairKind> = new Set(['realigned', 'realigned-by-check-digits']);

/** One recorded change to a reading; `position` is 0-based. Never a field value: `from`/`to` are single characters or fillers. */
export interface Repair {
  readonly position: number;
  readonly from: string;
  readonly to: string;
  readonly kind: RepairKind;
  /** The check that chose the character (`by-check-digit`). */
  readonly check?: CheckId;
  /** Characters read where the layout has a fixed number (`realigned`). */
  readonly count?: number;
}

/**
 * What supports or weakens one reading of a value. The judge weighs these with named weights
 * (src/judge/weights.ts); their words, where they need any, are the notes'.
 */
export type Evidence =
  /** A check over this reading passed or failed. */
  | { readonly kind: 'check'; readonly check: CheckId; readonly passed: boolean }
  /** A repair changed this reading before it was proposed. */
  | { readonly kind: 'repaired'; readonly repair: RepairKind }
  /** The engine's own confidence in the characters, 0–100. */
  | { readonly kind: 'confidence'; readonly value: number };

/** One reading of a value, proposed to the judge: where it was read and what speaks for it. */
export interface Candidate<T = string> {
  readonly value: T;
  /** The printed place it was read from (MRZ, CURP, clave, the front's date…). */
  readonly witness: Witness;
  readonly origin: 'front' | 'back';
  readonly evidence: readonly Evidence[];
}

/** A check that passed, among a candidate's evidence. */
export function passed(c: { readonly evidence: readonly Evidence[] }, check?: CheckId): boolean {
  return c.evidence.some((e) => e.kind === 'check' && e.passed && (check === undefined || e.check === check));
}

/** Facts printed on both sides of a card: what binds the front to the back. */
export type BoundFact = 'surnames' | 'given names' | 'birth date' | 'sex' | 'sección' | 'emission number' | 'vigencia';

/**
 * One fact read on both sides, compared. Only facts read on both sides are compared; the
 * back's reading counts only when a check digit covers it (MRZ line 3, the names, has none).
 */
export interface Binding {
  readonly fact: BoundFact;
  readonly agree: boolean;
}

/** Readings of the same fact on one card; the names a disagreement note lists. */
export type Witness = 'MRZ' | 'CURP' | 'clave' | 'front date' | 'front';

/** Parts of a name. */
export type NamePart = 'paterno' | 'materno' | 'given';

/** What the clave repair took from the rest of the card. */
export type ClaveRepairPart = 'birth date' | 'state of birth' | 'sex' | 'name letters';

/** What may contradict an MRZ whose check digits pass. */
export type MrzContradiction = 'birth date' | 'sex' | 'sección' | 'emission number' | 'vigencia';

/**
 * A finding worth telling the user about a card: a failed check, a repair, a disagreement.
 * `code` says what; the optional data says where. Rendered to words by src/judge/notes.ts.
 */
export type Note =
  // ---- MRZ, as located and parsed (src/extract/mrz.ts)
  | { readonly code: 'mrz-not-found' }
  | { readonly code: 'mrz-line-missing'; readonly line: 1 | 2 | 3 }
  | { readonly code: 'mrz-line-length'; readonly line: 1 | 2 | 3; readonly count: number }
  | { readonly code: 'mrz-line-unaligned'; readonly line: 1 | 2 }
  | { readonly code: 'mrz-char-unfit'; readonly line: 1 | 2 | 3; readonly position: number }
  | { readonly code: 'mrz-sex-unrecognised' }
  | { readonly code: 'mrz-sex-unreadable' }
  | { readonly code: 'mrz-optional-length'; readonly count: number }
  | { readonly code: 'mrz-optional-layout' }
  | { readonly code: 'mrz-tail-missing' }
  | { readonly code: 'mrz-line3-too-long'; readonly count: number }
  | { readonly code: 'mrz-name-separator-missing' }
  | { readonly code: 'mrz-name-truncated' }
  | { readonly code: 'mrz-date-invalid'; readonly check: 'birthDate' | 'expiry' }
  | { readonly code: 'mrz-emission-layout' }
  | { readonly code: 'mrz-nationality' }
  | { readonly code: 'mrz-check-unrepaired'; readonly check: MrzCheckName }
  | { readonly code: 'mrz-repair'; readonly line: 1 | 2 | 3; readonly repair: Repair }
  // ---- CURP and clave de elector as parsed (src/extract/curp.ts, clave.ts); `field` says which
  | { readonly code: 'code-length'; readonly field: CodeField; readonly count: number }
  | { readonly code: 'code-char-unfit'; readonly field: CodeField; readonly position: number }
  | { readonly code: 'code-structure'; readonly field: CodeField }
  | { readonly code: 'code-date'; readonly field: CodeField }
  | { readonly code: 'code-state'; readonly field: CodeField }
  | { readonly code: 'code-sex'; readonly field: CodeField }
  | { readonly code: 'code-hint-birth-date'; readonly field: CodeField }
  | { readonly code: 'code-hint-sex'; readonly field: CodeField }
  | { readonly code: 'curp-hint-century' }
  | { readonly code: 'curp-date-future' }
  | { readonly code: 'curp-check-digit' }
  | { readonly code: 'curp-inconvenient-word' }
  | { readonly code: 'curp-enye-ambiguous' }
  // ---- the judge (src/judge/)
  | { readonly code: 'back-no-mrz' }
  | { readonly code: 'mrz-check-failed'; readonly check: MrzCheckName }
  | { readonly code: 'mrz-birth-date-from-front' }
  | { readonly code: 'mrz-contradicted'; readonly parts: readonly MrzContradiction[] }
  | { readonly code: 'mrz-composite-unconfirmed' }
  | { readonly code: 'mrz-line3-from-front' }
  | { readonly code: 'names-tail-letter-unsure' }
  | { readonly code: 'mrz-sex-from-card' }
  | { readonly code: 'mrz-line3-completed' }
  | { readonly code: 'code-extra-dropped'; readonly field: CodeField }
  | { readonly code: 'code-doubled-restored'; readonly field: CodeField }
  | { readonly code: 'code-birth-date-from-mrz'; readonly field: CodeField }
  | { readonly code: 'code-repaired-by-type'; readonly field: CodeField; readonly count: number }
  | { readonly code: 'code-differs'; readonly field: CodeField; readonly what: 'birth date' | 'sex' | 'name letters' }
  | { readonly code: 'curp-homoclave-unconfirmed' }
  | { readonly code: 'curp-contradicts-names' }
  | { readonly code: 'curp-repaired-from-card' }
  | { readonly code: 'clave-repaired-from-card'; readonly parts: readonly ClaveRepairPart[] }
  | { readonly code: 'century-differs' }
  | { readonly code: 'century-unsettled' }
  | { readonly code: 'reading-disagrees'; readonly field: 'dateOfBirth' | 'sex'; readonly dissent: Witness; readonly support: readonly Witness[] }
  | { readonly code: 'front-back-disagree'; readonly field: 'section' | 'issueNumber' | 'expirationDate' }
  | { readonly code: 'names-from-mrz'; readonly parts: readonly NamePart[] }
  | { readonly code: 'names-from-clean-mrz'; readonly part: 'surnames' | 'given' }
  | { readonly code: 'names-letter-doubled'; readonly part: NamePart }
  | { readonly code: 'names-q-restored'; readonly part: NamePart }
  | { readonly code: 'names-enye-restored'; readonly part: NamePart }
  | { readonly code: 'names-curp-letters-differ' }
  | { readonly code: 'names-disagree'; readonly part: 'surnames' | 'given' }
  // ---- the reader (src/pipeline/)
  | { readonly code: 'escalation-failed'; readonly side: 'front' | 'back'; readonly engine: string; readonly error: string };

export type NoteCode = Note['code'];

/** The two 18-character codes of the front. */
export type CodeField = Extract<FieldName, 'curp' | 'electoralId'>;

/** Notes of one kind, typed. */
export type NoteOf<C extends NoteCode> = Extract<Note, { code: C }>;

export function isNote<C extends NoteCode>(n: Note, code: C): n is NoteOf<C> {
  return n.code === code;
}
