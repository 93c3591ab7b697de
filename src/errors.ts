/**
 * The INOCR error catalogue (seed API codes, applied to this product — see shared/SPEC.md)
 * and the one error type every adapter wraps foreign errors into.
 */

export const INOCR = {
  INOCR001: 'An unexpected error occurred while processing this card.',
  INOCR002: 'The front side of the document is required.',
  INOCR003: 'The back side of the document is required.',
  INOCR004: 'The document type provided is invalid (not an INE/IFE voter card).',
  INOCR005: 'The file exceeds the maximum allowed size.',
  INOCR006: 'The JSON input could not be decoded.',
  INOCR007: 'The OCR engine call failed.',
  INOCR008: 'The provided image cannot be null or empty.',
  INOCR009: 'The OCR engine response could not be decoded.',
  INOCR010: 'The NLP step failed.',
  INOCR011: 'The NLP step returned an empty response.',
  INOCR012: 'No text could be read from either side of the document.',
  INOCR013: 'Text was read, but no INE fields could be parsed from it.',
  INOCR014: 'Invalid image format. Only JPG, JPEG and PNG are supported.',
  INOCR015: 'The image could not be decoded or processed.',
  INOCR016: 'The API key is not valid.',
} as const;

export type InocrCode = keyof typeof INOCR;

/** HTTP status for each code, from the seed's service-messages table. */
export const INOCR_HTTP_STATUS: Record<InocrCode, number> = {
  INOCR001: 500,
  INOCR002: 400,
  INOCR003: 400,
  INOCR004: 400,
  INOCR005: 400,
  INOCR006: 400,
  INOCR007: 502,
  INOCR008: 400,
  INOCR009: 502,
  INOCR010: 502,
  INOCR011: 502,
  INOCR012: 400,
  INOCR013: 502,
  INOCR014: 400,
  INOCR015: 400,
  INOCR016: 401,
};

export class InocrError extends Error {
  override name = 'InocrError';
  readonly code: InocrCode;

  constructor(code: InocrCode, message?: string, options: ErrorOptions = {}) {
    super(message ?? INOCR[code], options);
    this.code = code;
  }
}

/** Any thrown value → InocrError; foreign errors become INOCR001 unless a code is given. */
export function toInocrError(err: unknown, fallback: InocrCode = 'INOCR001', context?: string): InocrError {
  if (err instanceof InocrError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  const message = context ? `${context}: ${detail}` : `${INOCR[fallback]} (${detail})`;
  return new InocrError(fallback, message, { cause: err });
}

/** A problem with the run itself (bad flags, engine start-up): stops the run, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The run cannot go on, found while reading a card: every later card would fail the same way
 * (the cloud engine refuses the credentials, no region is set). The reader does not turn it
 * into the card's row; the batch stops scheduling, keeps the rows written, and exits 2.
 */
export class RunError extends UsageError {
  override name = 'RunError';
}
