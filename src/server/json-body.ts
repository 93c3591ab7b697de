/**
 * A JSON request body, read from the request stream by the route itself (not by fastify's
 * parser), so that it is bounded twice: by its bytes as they arrive (refused the moment it passes
 * the limit) and by what it may hold once parsed. The APIs read a few top-level properties
 * (`FrontImage`, `BackImage`, `image_base64`, `detect_face`); a body of millions of empty objects
 * within the byte limit would otherwise take gigabytes as parsed objects.
 */
import type { Readable } from 'node:stream';
import { INOCR, InocrError } from '../errors.ts';
import { byteSize } from './sizes.ts';

/** What a body may hold beyond its strings: nesting, objects and arrays, and members (`:` and `,`). */
export const JSON_BODY_BOUNDS = { depth: 4, containers: 64, members: 256 } as const;

/**
 * Reads and parses a JSON body of at most `limit` bytes into an object. Over the limit: INOCR005
 * as soon as it is passed (the rest is not read). Empty, not JSON, not an object, or holding more
 * structure than JSON_BODY_BOUNDS: INOCR006.
 */
export async function readJsonBody(stream: Readable, limit: number): Promise<Record<string, unknown>> {
  const text = await readText(stream, limit);
  if (text.trim() === '') throw new InocrError('INOCR006', `${INOCR.INOCR006} (the body is empty)`);
  checkBounds(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InocrError('INOCR006', `${INOCR.INOCR006} (${(err as Error).message})`, { cause: err });
  }
  return jsonObject(value);
}

/** The body as text, refused as soon as it passes `limit` bytes; the stream is paused, not destroyed, so the answer can still go out. */
function readText(stream: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        done();
        stream.pause();
        reject(new InocrError('INOCR005', `The JSON body is over the ${byteSize(limit)} its images may take.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error): void => {
      done();
      reject(new InocrError('INOCR006', `${INOCR.INOCR006} (the body could not be read: ${err.message})`, { cause: err }));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/** One pass over the text outside its strings: nesting depth, objects and arrays, members. */
function checkBounds(text: string): void {
  const B = JSON_BODY_BOUNDS;
  let depth = 0;
  let containers = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      containers++;
      if (depth > B.depth || containers > B.containers) throw tooMuch();
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if ((c === 0x2c || c === 0x3a) && ++members > B.members) throw tooMuch();
  }
}

function tooMuch(): InocrError {
  const B = JSON_BODY_BOUNDS;
  return new InocrError(
    'INOCR006',
    `The JSON body holds more than this API reads (at most ${B.members} members, ${B.containers} objects or arrays, nested ${B.depth} deep): send an object of base64 strings.`,
  );
}

/** The JSON body a route accepts must be an object. */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InocrError('INOCR006', 'The JSON body must be an object.');
  }
  return body as Record<string, unknown>;
}
