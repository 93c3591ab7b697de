/**
 * Images out of a request: multipart file parts (streamed by @fastify/multipart, each cut off at
 * the size limit) or base64 strings in a JSON body (fastify's parser, under the route's
 * bodyLimit). Bad input becomes the seed's INOCR code here; image content is checked later by
 * the reader (empty, size, magic bytes, decode).
 */
import type { FastifyRequest } from 'fastify';
import { InocrError } from '../errors.ts';

export interface Collected {
  /** File parts (or base64 strings) by field name, the first of each name. */
  readonly files: Map<string, Buffer>;
  /** Text fields by name, the first of each name. */
  readonly fields: Map<string, string>;
}

const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Reads a multipart body: the wanted file parts into memory (never more than `maxBytes` each:
 * busboy stops at the limit and the part is refused with INOCR005), text fields as strings (up
 * to `textLimit` bytes each, else INOCR005), anything else drained unread. A file part with no
 * file name and no bytes is a form sent with no file chosen: absent, not empty.
 */
export async function readMultipart(request: FastifyRequest, wanted: readonly string[], maxBytes: number, textLimit: number): Promise<Collected> {
  const files = new Map<string, Buffer>();
  const fields = new Map<string, string>();
  try {
    for await (const part of request.parts({ limits: { fieldSize: textLimit } })) {
      if (part.type === 'field') {
        if (part.valueTruncated) throw new InocrError('INOCR005', `The form field ${part.fieldname} is over the ${mb(textLimit)} limit.`);
        if (!fields.has(part.fieldname) && typeof part.value === 'string') fields.set(part.fieldname, part.value);
        continue;
      }
      if (!wanted.includes(part.fieldname) || files.has(part.fieldname)) {
        part.file.resume();
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new InocrError('INOCR005', `${part.fieldname} is over the ${mb(maxBytes)} limit.`, { cause: err });
        }
        throw err;
      }
      if (bytes.length === 0 && !part.filename) continue;
      files.set(part.fieldname, bytes);
    }
  } catch (err) {
    if (err instanceof InocrError) throw err;
    throw multipartError(err);
  }
  return { files, fields };
}

/** Malformed multipart (busboy) and the part-count limits: the upload could not be processed. */
function multipartError(err: unknown): InocrError {
  const code = (err as { code?: string }).code ?? '';
  const what =
    code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT'
      ? 'The upload has more parts than this API takes.'
      : `The multipart body could not be read (${err instanceof Error ? err.message : String(err)}).`;
  return new InocrError('INOCR015', what, { cause: err });
}

/**
 * A base64 image from a JSON body (a `data:image/...;base64,` prefix is allowed). Undefined or
 * null: absent. Not a string, or not base64: INOCR006. Decoded size over the limit: INOCR005.
 */
export function decodeBase64Image(value: unknown, name: string, maxBytes: number): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InocrError('INOCR006', `${name} must be a base64 string.`);
  const b64 = value.replace(/^data:[^,;]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64)) throw new InocrError('INOCR006', `${name} is not valid base64.`);
  if (Math.floor((b64.length * 3) / 4) - 2 > maxBytes) throw new InocrError('INOCR005', `${name} is over the ${mb(maxBytes)} limit.`);
  return Buffer.from(b64, 'base64');
}

/** The JSON body a route accepts must be an object. */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InocrError('INOCR006', 'The JSON body must be an object.');
  }
  return body as Record<string, unknown>;
}

/** JSON bodyLimit for `images` base64 images of up to `maxBytes` each, plus room for the rest. */
export function jsonBodyLimit(maxBytes: number, images: number): number {
  return images * Math.ceil((maxBytes * 4) / 3) + 64 * 1024;
}
