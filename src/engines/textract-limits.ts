/**
 * Textract's limits and this product's defaults for it, in a module that does not load the
 * AWS SDK (the CLI prints them in --help).
 */

/** Document.Bytes, synchronous operations: at most 5 MB (5,242,880 bytes) of JPEG or PNG. */
export const TEXTRACT_MAX_BYTES = 5 * 1024 * 1024;
/** Textract accepts images of at most 10000 px on every side. */
export const TEXTRACT_MAX_SIDE = 10_000;
/**
 * Default requests per second. DetectDocumentText's default quota is per account and region,
 * from 1 TPS in smaller regions to 10 or more in the largest (see the Service Quotas
 * console): 1 never throttles a fresh account anywhere. Raise it (--textract-tps) to your quota.
 */
export const DEFAULT_TEXTRACT_TPS = 1;
/** Attempts per call, retries included (AWS's Textract guide recommends retrying up to 5 times); AWS_MAX_ATTEMPTS overrides. */
export const DEFAULT_MAX_ATTEMPTS = 5;
