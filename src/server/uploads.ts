/**
 * Images out of a multipart request (streamed by @fastify/multipart over busboy), checked as they
 * arrive: each file part is cut off and refused the moment it passes the size limit (INOCR005,
 * without waiting for the rest of the body); an image part sent twice is refused; a body that
 * is not the multipart its Content-Type announces is INOCR015. Image content is checked later
 * by the reader (empty, magic bytes, decode).
 */
import type { IncomingMessage } from 'node:http';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { InocrError, type InocrCode } from '../errors.ts';
import { byteSize } from './sizes.ts';

export interface Collected {
  /** File parts (or base64 strings) by field name. */
  readonly files: Map<string, Buffer>;
  /** Text fields by name, the first of each name. */
  readonly fields: Map<string, string>;
}

/**
 * What a request may hold, for busboy (which stops at them) and for the messages that say so.
 * Parts: the two images and a few form fields; more is not a client of this API.
 */
export const MULTIPART_LIMITS = { parts: 12, files: 4, fields: 8, fieldSize: 1024, headerPairs: 64 } as const;

/**
 * busboy's per-part buffer. busboy (@fastify/busboy 3.2) stalls for good on a part it skips (no
 * Content-Disposition, `attachment`, a file name with a line break) when the part's data fills
 * this buffer before the part ends: it waits for a reader the skipped part never has. At 1 MB a
 * socket chunk (64 KB) cannot fill it; the request clock (app.ts) ends whatever still stalls.
 */
const PART_BUFFER = 1024 * 1024;

/**
 * Reads a multipart body. `images`: the parts that carry an image (file parts, or base64 text
 * fields), each with the code a doubled one gets. Wanted files are read into memory up to
 * `maxBytes` each; text fields up to `textLimit` bytes; anything else drained unread. A file part
 * with no file name and no bytes is a form sent with no file chosen: absent, not empty.
 */
export async function readMultipart(
  request: FastifyRequest,
  images: Readonly<Record<string, InocrCode>>,
  maxBytes: number,
  textLimit: number,
): Promise<Collected> {
  const boundary = boundaryOf(request.headers['content-type']);
  if (!boundary) throw new InocrError('INOCR015', 'The multipart body cannot be read: its Content-Type names no boundary.');
  const files = new Map<string, Buffer>();
  const fields = new Map<string, string>();
  const closing = watchClosingDelimiter(request.raw, boundary);
  let cutShort: unknown;
  try {
    for await (const part of request.parts({ limits: { fieldSize: textLimit }, fileHwm: PART_BUFFER })) {
      const name = part.fieldname;
      const code = images[name];
      if (code && (files.has(name) || fields.has(name))) throw new InocrError(code, `${name} was sent more than once; send one.`);
      if (part.type === 'field') {
        if (part.valueTruncated) throw new InocrError('INOCR005', `The form field ${name} is over the ${byteSize(textLimit)} a form field may hold.`);
        if (!fields.has(name) && typeof part.value === 'string') fields.set(name, part.value);
        continue;
      }
      if (!code) {
        part.file.resume();
        continue;
      }
      try {
        const bytes = await readFilePart(part, maxBytes);
        if (bytes.length > 0 || part.filename) files.set(name, bytes);
      } catch (err) {
        // busboy destroys the file it was feeding when it stops on a limit: the iterator's next
        // step gives the reason. Kept in case it gives none (the client left).
        if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
        cutShort = err;
      }
    }
  } catch (err) {
    throw err instanceof InocrError ? err : multipartError(err);
  } finally {
    closing.stop();
  }
  if (cutShort !== undefined) throw new InocrError('INOCR015', 'The upload ended in the middle of a file part.', { cause: cutShort });
  if (!closing.seen()) {
    throw new InocrError('INOCR015', 'The multipart body is malformed: it does not end with the boundary its Content-Type names (a wrong boundary, not multipart, or cut short).');
  }
  return { files, fields };
}

/**
 * A file part into memory; refused the moment it passes `maxBytes`. busboy then stops feeding it
 * and emits 'limit' (with or without a last cut chunk), and the part never ends: 'limit' itself
 * is the signal. A part busboy destroys (it stopped on another limit) ends as a premature close.
 */
function readFilePart(part: MultipartFile, maxBytes: number): Promise<Buffer> {
  const file = part.file;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const settle = (err: Error | null): void => {
      file.off('data', onData);
      file.off('end', onEnd);
      file.off('limit', onLimit);
      file.off('error', onError);
      file.off('close', onClose);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
    };
    const onLimit = (): void => settle(new InocrError('INOCR005', `${part.fieldname} is over the ${byteSize(maxBytes)} limit.`));
    const onEnd = (): void => (file.truncated ? onLimit() : settle(null));
    const onError = (err: Error): void => settle(err);
    const onClose = (): void => settle(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    // What happened while the part waited in the queue: cut at the limit already, or destroyed
    // by busboy stopping on another limit (their events have gone by).
    if (file.truncated) return onLimit();
    if (file.destroyed) return onClose();
    file.on('data', onData);
    file.on('end', onEnd);
    file.on('limit', onLimit);
    file.on('error', onError);
    file.on('close', onClose);
  });
}

/** The `boundary` parameter of a multipart Content-Type (RFC 2046 §5.1.1), or '' when absent or empty. */
export function boundaryOf(contentType: string | undefined): string {
  const m = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return m?.[1] ?? m?.[2] ?? '';
}

/**
 * Watches the body go by for its closing delimiter `--boundary--`: a body without it was not
 * the multipart its header announced (busboy then just finds no parts). Attached while the
 * stream is paused, so no data flows before busboy is piped in.
 */
function watchClosingDelimiter(raw: IncomingMessage, boundary: string): { seen: () => boolean; stop: () => void } {
  const delimiter = Buffer.from(`--${boundary}--`);
  let tail = Buffer.alloc(0);
  let seen = false;
  const onData = (chunk: Buffer): void => {
    if (seen) return;
    const window = Buffer.concat([tail, chunk]);
    seen = window.includes(delimiter);
    tail = window.subarray(Math.max(0, window.length - delimiter.length + 1));
  };
  raw.pause();
  raw.on('data', onData);
  return { seen: () => seen, stop: () => raw.off('data', onData) };
}

/** busboy's limits and malformed bodies, in words that say which limit. */
function multipartError(err: unknown): InocrError {
  const code = (err as { code?: string }).code ?? '';
  const L = MULTIPART_LIMITS;
  const what =
    code === 'FST_PARTS_LIMIT' ? `The upload has more than ${L.parts} parts; this API takes the image(s) and at most ${L.fields} form fields.`
    : code === 'FST_FILES_LIMIT' ? `The upload has more than ${L.files} files; this API takes the image(s) it names.`
    : code === 'FST_FIELDS_LIMIT' ? `The upload has more than ${L.fields} form fields.`
    : code === 'FST_PROTO_VIOLATION' ? 'The upload has a form field name that is not allowed.'
    : `The multipart body could not be read (${err instanceof Error ? err.message : String(err)}).`;
  return new InocrError('INOCR015', what, { cause: err });
}

/**
 * A base64 image from a JSON body or a form field (a `data:image/...;base64,` prefix is allowed).
 * Undefined or null: absent. Not a string, or not base64: INOCR006. Decoded size over the limit:
 * INOCR005.
 */
export function decodeBase64Image(value: unknown, name: string, maxBytes: number): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InocrError('INOCR006', `${name} must be a base64 string.`);
  const b64 = value.replace(/^data:[^,;]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64)) throw new InocrError('INOCR006', `${name} is not valid base64.`);
  if (Math.floor((b64.length * 3) / 4) - 2 > maxBytes) throw new InocrError('INOCR005', `${name} is over the ${byteSize(maxBytes)} limit.`);
  return Buffer.from(b64, 'base64');
}

/** Bytes a JSON body (or a base64 form field) may take for `images` base64 images of up to `maxBytes` each, plus room for the rest. */
export function jsonBodyLimit(maxBytes: number, images: number): number {
  return images * Math.ceil((maxBytes * 4) / 3) + 64 * 1024;
}
