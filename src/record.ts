/**
 * The record: one per card, the same names and order in JSON, JSONL and CSV.
 * Seed field names are fixed by shared/seeds/ine-ocr-api.txt; the rest are the product's.
 */

/** The seed API's fields, in the seed's order. */
export const SEED_FIELDS = [
  'name',
  'firstLastName',
  'secondLastName',
  'addressLine1',
  'addressLine2',
  'addressLine3',
  'electoralId',
  'issueNumber',
  'curp',
  'dateOfBirth',
  'sex',
  'expirationDate',
  'mz1',
  'mz2',
  'mz3',
  'idMex',
  'idNumber',
] as const;

/** Fields beyond the seed. */
export const EXTRA_FIELDS = [
  /** Card model: 'C' | 'D' | 'E' | 'F' | 'G' | 'H' or a group such as 'E/F', 'G/H' when only the group can be told. */
  'cardModel',
  /** SECCIÓN, 4 digits (front; MRZ line 1 positions 17–20). */
  'section',
  /** Identificador del ciudadano, 9 digits (MRZ line 1 positions 21–29). */
  'citizenId',
  /** AÑO DE REGISTRO year, YYYY. */
  'registrationYear',
  /** VIGENCIA start year, YYYY (G/H print a range; E/F print EMISIÓN). */
  'validFrom',
  /** EMISIÓN year on E/F fronts, YYYY. */
  'emissionYear',
  /** ESTADO (INEGI 2 digits) on E/F fronts, else from the clave de elector. */
  'stateCode',
  /** MUNICIPIO, 3 digits, E/F fronts only. */
  'municipalityCode',
  /** LOCALIDAD, 4 digits, E/F fronts only. */
  'localityCode',
  /** Código postal, 5 digits, from the DOMICILIO block. */
  'postalCode',
] as const;

export type SeedField = (typeof SEED_FIELDS)[number];
export type ExtraField = (typeof EXTRA_FIELDS)[number];
export type FieldName = SeedField | ExtraField;

export const FIELD_NAMES: readonly FieldName[] = [...SEED_FIELDS, ...EXTRA_FIELDS];

/** Where a value came from. */
export type FieldSource = 'front' | 'back' | 'both' | 'derived' | '';

/**
 * `valid`: the value passed every check that applies and at least one check binds it (a check
 * digit, or agreement between two independent readings); `invalid`: a check failed;
 * `unverified`: read, but nothing can confirm it (an address line, a code printed once).
 */
export type Verdict = 'valid' | 'invalid' | 'unverified';

export interface FieldCheck {
  readonly verdict: Verdict;
  readonly source: FieldSource;
}

export type CardFields = Record<FieldName, string>;

export type RecordStatus = 'ok' | 'error';

/**
 * What the capture looked like, beside the fields (strings in every format, so a spreadsheet
 * can filter on them):
 * - `faceRegion`: the card photo's corners in the front image as given (EXIF orientation
 *   applied), `x,y` pairs top-left, top-right, bottom-right, bottom-left of the upright photo,
 *   separated by spaces; empty when the front was not read.
 * - `frontQuality` / `backQuality`: `good` or `poor: <problems>`, then the measures, e.g.
 *   `poor: blurry; sharpness 0.09, glare 0.00, card 972 px, outline found`.
 */
export const CAPTURE_COLUMNS = ['faceRegion', 'frontQuality', 'backQuality'] as const;
export type CaptureColumn = (typeof CAPTURE_COLUMNS)[number];

/** A side of the card. */
export type CardSide = 'front' | 'back';

/** A point `[x, y]` in pixels of an input image as given, EXIF orientation applied. */
export type Pixel = readonly [number, number];

/**
 * Where a field's value was read: the side, and the value's corners in that input image's
 * pixels (EXIF orientation applied, the convention of `faceRegion`): top-left, top-right,
 * bottom-right, bottom-left of the upright text.
 */
export interface FieldBox {
  readonly side: CardSide;
  readonly quad: readonly [Pixel, Pixel, Pixel, Pixel];
}

export type FieldBoxes = Partial<Record<FieldName, FieldBox>>;

/**
 * A finding in the record: a short code, `kind` or `kind:subject` (`mrz-check-failed:cic`,
 * `key-field-unverified:curp`, `poor-capture:back`), and its words. Decisions use the code;
 * the words are for people and are made from the code (src/judge/notes.ts).
 */
export interface RecordNote {
  readonly code: string;
  readonly message: string;
}

/** Why a person should look at a card that was read (`status: ok`). */
export type ReviewReason = RecordNote;

export interface CardRecord extends CardFields, Record<CaptureColumn, string> {
  id: string;
  front: string;
  back: string;
  status: RecordStatus;
  errorCode: string;
  errorMessage: string;
  /** Empty when the card is consistent and its key fields are verified; else why a person should look. */
  review: ReviewReason[];
  /** Per read field, where it was read (side and quad in the input image's pixels). */
  fieldBoxes: FieldBoxes;
  /** Per-field verdict and source, for every non-empty field. */
  checks: Partial<Record<FieldName, FieldCheck>>;
  /** Every failed check, repair and disagreement: a code and its words, never a field value. */
  warnings: RecordNote[];
}

/** Column order for every output format. */
export const RECORD_COLUMNS = [
  'id',
  'front',
  'back',
  'status',
  'errorCode',
  'errorMessage',
  'review',
  ...FIELD_NAMES,
  ...CAPTURE_COLUMNS,
  'fieldBoxes',
  'checks',
  'warnings',
] as const;

export function emptyFields(): CardFields {
  return Object.fromEntries(FIELD_NAMES.map((f) => [f, ''])) as CardFields;
}

export function emptyCapture(): Record<CaptureColumn, string> {
  return { faceRegion: '', frontQuality: '', backQuality: '' };
}

/** A record with nothing read yet: status ok, every field and column empty. */
export function newRecord(id: string, front: string, back: string): CardRecord {
  return { id, front, back, status: 'ok', errorCode: '', errorMessage: '', review: [], ...emptyFields(), ...emptyCapture(), fieldBoxes: {}, checks: {}, warnings: [] };
}
