/**
 * Response bodies: the seed INE-OCR API's (shared/seeds/ine-ocr-api.txt) for getineocr, and
 * the single-side API's (shared/seeds/accuauth-idcard-api.txt) for /ocr/idcard.
 */
import { INOCR, INOCR_HTTP_STATUS, type InocrCode } from '../errors.ts';
import type { SideRecord } from '../pipeline/reader.ts';
import { CAPTURE_COLUMNS, EXTRA_FIELDS, SEED_FIELDS, type CardFields, type CardRecord } from '../record.ts';

/** Errors that are not about a card: the service's own state. */
export type ServiceCode = 'BUSY' | 'TIMEOUT' | 'NOT_FOUND';

/** An answer that is not a record: an INOCR code, or the service being busy. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: InocrCode | ServiceCode;
  readonly status: number;
  /** Seconds, for 503s. */
  readonly retryAfter: number | undefined;

  constructor(code: InocrCode | ServiceCode, message: string, status: number, retryAfter?: number) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  static inocr(code: InocrCode, message: string = INOCR[code]): ApiError {
    return new ApiError(code, message, INOCR_HTTP_STATUS[code]);
  }
}

/**
 * getineocr's success body: the seed's 17 fields in the seed's order, then (unless `seedOnly`)
 * the product's extra fields, the capture columns, the record's verdict (`review`: why a person
 * should look, empty when nothing asks for it), where each field was read (`fieldBoxes`), each
 * field's verdict and source (`checks`) and the `warnings` — none of which carries a value the
 * fields do not. Identity and outcome (`id`, `status`,
 * `errorCode`…) are the HTTP exchange's, not the body's.
 */
export function seedBody(record: CardRecord, seedOnly: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of SEED_FIELDS) body[f] = record[f];
  if (seedOnly) return body;
  for (const f of EXTRA_FIELDS) body[f] = record[f];
  for (const f of CAPTURE_COLUMNS) body[f] = record[f];
  body['review'] = record.review;
  body['fieldBoxes'] = record.fieldBoxes;
  body['checks'] = record.checks;
  body['warnings'] = record.warnings;
  return body;
}

/** getineocr's error body: `{ code, message }`. */
export function seedErrorBody(e: ApiError): { code: string; message: string } {
  return { code: e.code, message: e.message };
}

/** /ocr/idcard `status` for each answer that is not OK (the second seed's error table). */
export function idcardStatus(e: ApiError): string {
  switch (e.code) {
    case 'INOCR016':
      return 'UNAUTHORIZED';
    case 'INOCR004':
    case 'INOCR012':
    case 'INOCR013':
      return 'DETECTION_FAILED';
    case 'BUSY':
    case 'TIMEOUT':
      return 'SERVICE_BUSY';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    default:
      return e.status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_ARGUMENT';
  }
}

/** /ocr/idcard error body: the second seed's `{ status, reason, request_id }`, plus the INOCR `code`. */
export function idcardErrorBody(e: ApiError, requestId: string): Record<string, string> {
  return { status: idcardStatus(e), reason: e.message, request_id: requestId, code: e.code };
}

const join = (...parts: string[]): string => parts.filter((p) => p !== '').join(' ');
const genderS = (sex: string): string => (sex === 'H' ? 'M' : sex === 'M' ? 'F' : sex);

/**
 * A side's fields under the second seed's `card_info` names. Only what the card prints is
 * given; names the seed lists that this product does not read (state and district names,
 * invoice) are left out rather than guessed.
 */
export function cardInfo(side: 'front' | 'back', f: CardFields): Record<string, string> {
  if (side === 'front') {
    return {
      name: f.name,
      father_last_name: f.firstLastName,
      mother_last_name: f.secondLastName,
      full_name: join(f.name, f.firstLastName, f.secondLastName),
      id_number: f.curp,
      voter_id: f.electoralId,
      birthday: f.dateOfBirth,
      gender: f.sex,
      gender_s: genderS(f.sex),
      address: [f.addressLine1, f.addressLine2, f.addressLine3].filter((l) => l !== '').join(', '),
      postal_code: f.postalCode,
      // As printed after AÑO DE REGISTRO: the year and the 2-digit emission number.
      registration_year_and_month: join(f.registrationYear, f.registrationYear ? f.issueNumber : ''),
      state_number: f.stateCode,
      municipal_number: f.municipalityCode,
      election_section_number: f.section,
      place_number: f.localityCode,
      issue_year: f.emissionYear || f.validFrom,
      expiry_year: f.expirationDate,
    };
  }
  // MRZ (ICAO 9303 TD1, 3 × 30): positions are fixed once the lines are read.
  const l1 = f.mz1.length === 30 ? f.mz1 : '';
  const l2 = f.mz2.length === 30 ? f.mz2 : '';
  return {
    line1_all: f.mz1,
    line2_all: f.mz2,
    line3_all: f.mz3,
    line1_and_line2_verification_code: l2.slice(29, 30),
    cic: f.idMex,
    cic_verification_code: l1.slice(14, 15),
    ocr: f.idNumber,
    birthday: l2.slice(0, 6),
    gender: f.sex,
    gender_s: genderS(f.sex),
    expiry_date: l2.slice(8, 14),
    expiry_date_verification_code: l2.slice(14, 15),
    nationality: l2.slice(15, 18),
    issuance_and_fuar: l2.slice(18, 29),
    father_last_name: f.firstLastName,
    mother_last_name: f.secondLastName,
    name: f.name,
  };
}

/** /ocr/idcard success body. `face_region` only when asked for: the corners, or null when not located. */
export function idcardBody(result: SideRecord, requestId: string, detectFace: boolean): Record<string, unknown> {
  const side = result.side === 'back' ? 'back' : 'front';
  const item: Record<string, unknown> = {
    card_side: side,
    card_type: result.fields.cardModel,
    card_info: cardInfo(side, result.fields),
  };
  if (detectFace) item['face_region'] = side === 'front' ? (result.faceRegion ?? null) : null;
  // The product's own names, verdicts and warnings for the same side.
  item['fields'] = Object.fromEntries(Object.entries(result.fields).filter(([, v]) => v !== ''));
  item['checks'] = result.checks;
  item['warnings'] = result.warnings;
  return { request_id: requestId, status: 'OK', results: [item] };
}
