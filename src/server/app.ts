/**
 * `ine-ocr serve` as a fastify app, built but not listening (tests and the CLI listen).
 *
 *   POST /api/ineocr/getineocr  the seed INE-OCR API: FrontImage + BackImage, `apikey` header
 *   POST /ocr/idcard            one side, told from its content (the second seed's shape)
 *   GET  /health                liveness and queue state, no key needed
 *
 * One long-lived reader (its OCR worker pool) serves every request through an OcrQueue. Logs
 * carry request id, method, path, status, duration and the error code: never a body, a file
 * name or a field value.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import { INOCR, InocrError, type InocrCode } from '../errors.ts';
import { DEFAULT_MAX_BYTES } from '../pipeline/image.ts';
import type { CardReader } from '../pipeline/reader.ts';
import { ApiKeys } from './auth.ts';
import { AbortedError, OcrQueue, type Place } from './queue.ts';
import { ApiError, idcardBody, idcardErrorBody, seedBody, seedErrorBody } from './responses.ts';
import { decodeBase64Image, jsonBodyLimit, jsonObject, readMultipart } from './uploads.ts';

/** What the service needs of the reader; tests inject a fake. */
export type ServiceReader = Pick<CardReader, 'readBuffers' | 'readSide'>;

export interface ServerOptions {
  readonly reader: ServiceReader;
  /** Accepted API keys; null turns authentication off (`--no-auth`). An empty list accepts nothing. */
  readonly apiKeys: readonly string[] | null;
  /** Largest image accepted, in bytes (default 5 MB). */
  readonly maxBytes?: number;
  /** Cards read at once (default 1): the reader's OCR workers. */
  readonly concurrency?: number;
  /** Requests that may wait beyond those being read (default 2 × concurrency); more get 503. */
  readonly queue?: number;
  /** How long a request may wait and be read before it gets 503 (ms, default 60 s). */
  readonly timeoutMs?: number;
  /** How long a client may take to send its whole request (ms, default 60 s). */
  readonly requestTimeoutMs?: number;
  /** getineocr answers the seed's 17 fields only. */
  readonly seedFieldsOnly?: boolean;
  /** fastify/pino logger options (level, stream), or false. */
  readonly logger?: FastifyServerOptions['logger'];
}

type Api = 'ineocr' | 'idcard';

declare module 'fastify' {
  interface FastifyContextConfig {
    api?: Api;
  }
  interface FastifyRequest {
    /** The code of an error answer, for the access log. */
    answerCode?: string;
  }
}

const SEED_PATH = '/api/ineocr/getineocr';
const IDCARD_PATH = '/ocr/idcard';

/**
 * One access-log line per request, after the response: request id, method, path (no query
 * string), status, duration and the answer's code. Never a header, body, file name or value.
 */
class AccessLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, path: request.url.split('?')[0] }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      path: request.url.split('?')[0],
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime),
      ...(request.answerCode ? { code: request.answerCode } : {}),
    };
    if (error) request.log.warn({ ...line, err: { type: error.name, message: error.message } }, 'request ended with a stream error');
    else request.log.info(line, 'request completed');
  }
}

/** A client's X-Request-Id when it is a plain token, else a fresh one. */
function requestId(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(h) ? h : randomUUID();
}

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const concurrency = options.concurrency ?? 1;
  const queue = new OcrQueue(concurrency, options.queue ?? 2 * concurrency);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const keys = options.apiKeys === null ? null : new ApiKeys(options.apiKeys);
  const reader = options.reader;

  const app = Fastify({
    logger: options.logger ?? false,
    logController: new AccessLog(),
    genReqId: requestId,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    // Default for routes without their own (health, 404s): JSON routes set theirs from maxBytes.
    bodyLimit: 64 * 1024,
  });

  await app.register(multipart, {
    // Busboy cuts a file off at fileSize: an upload is never held beyond the limit.
    // Text fields: 1 KB unless a route allows more (readMultipart's textLimit).
    limits: { fileSize: maxBytes, files: 4, fields: 8, fieldSize: 1024, parts: 12, headerPairs: 64 },
    throwFileSizeLimit: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // An answer given before the body was read to its end (a file over the limit, a bad part):
  // the rest is read and thrown away, as Node does for a body nobody started reading. Left
  // as it is, still piped into busboy, which waits for someone to read the part it holds, it
  // would wedge the keep-alive connection until keepAliveTimeout.
  app.addHook('onResponse', async (request) => {
    if (request.raw.complete) return;
    request.raw.unpipe();
    request.raw.resume();
  });

  // Closing: answers still to come go out with `Connection: close`, so a keep-alive connection
  // whose request was in flight ends with its response instead of holding close() open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // The queue is drained before the app reports closed: readings whose response already went
  // out (a timeout) still hold the OCR engine, which the caller closes next.
  app.addHook('onClose', async () => {
    await queue.idle();
  });

  /** Auth first (no place spent on a bad key), then a place or 503 — both before the body is read. */
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (keys) {
      const key = request.headers['apikey'] ?? (request.routeOptions.config.api === 'idcard' ? request.headers['x-df-api-secret'] : undefined);
      if (!keys.verify(typeof key === 'string' ? key : undefined)) throw ApiError.inocr('INOCR016');
    }
    const place = queue.admit();
    if (!place) {
      const wait = queue.retryAfterSeconds();
      throw new ApiError('BUSY', `The server is reading as many cards as it can hold; retry in ${wait} s.`, 503, wait);
    }
    places.set(request, place);
    // 'close': the response is over, or the client went away. A reading not yet started is
    // dropped then; one under way finishes and gives its place back.
    reply.raw.once('close', () => {
      aborts.get(request)?.abort();
      place.release();
    });
  };
  const places = new WeakMap<FastifyRequest, Place>();
  const aborts = new WeakMap<FastifyRequest, AbortController>();

  /** Waits for a reading slot and reads, within the request timeout. */
  const read = async <T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> => {
    const place = places.get(request);
    if (!place) throw new Error('no place taken for this request');
    const abort = new AbortController();
    aborts.set(request, abort);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const wait = queue.retryAfterSeconds();
        reject(new ApiError('TIMEOUT', `The card was not read within ${Math.round(timeoutMs / 1000)} s; the server is busy, retry in ${wait} s.`, 503, wait));
        // After the rejection above, so the answer is the timeout: a reading still waiting is dropped.
        abort.abort();
      }, timeoutMs);
    });
    const running = place.run(work, abort.signal);
    // A reading that outlives its response still ends somewhere: never an unhandled rejection.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  app.setErrorHandler(async (error, request, reply) => {
    const e = toApiError(error);
    request.answerCode = e.code;
    if (e.status >= 500 && e.code !== 'BUSY' && e.code !== 'TIMEOUT') request.log.error({ code: e.code, err: describe(error) }, 'request failed');
    if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
    reply.code(e.status);
    return request.routeOptions.config.api === 'idcard' ? idcardErrorBody(e, request.id) : seedErrorBody(e);
  });

  app.setNotFoundHandler(async (request, reply) => {
    request.answerCode = 'NOT_FOUND';
    reply.code(404);
    return { code: 'NOT_FOUND', message: `No ${request.method} ${request.url.split('?')[0]} here. The API is POST ${SEED_PATH} and POST ${IDCARD_PATH}.` };
  });

  app.get('/health', async () => ({ status: 'ok', ...queue.stats() }));

  app.post(
    SEED_PATH,
    { config: { api: 'ineocr' }, bodyLimit: jsonBodyLimit(maxBytes, 2), onRequest: admit },
    async (request) => {
      let front: Buffer | undefined;
      let back: Buffer | undefined;
      if (request.isMultipart()) {
        const got = await readMultipart(request, ['FrontImage', 'BackImage'], maxBytes, 1024);
        front = got.files.get('FrontImage');
        back = got.files.get('BackImage');
      } else if (request.body !== undefined) {
        const body = jsonObject(request.body);
        front = decodeBase64Image(body['FrontImage'], 'FrontImage', maxBytes);
        back = decodeBase64Image(body['BackImage'], 'BackImage', maxBytes);
      }
      if (!front) throw ApiError.inocr('INOCR002');
      if (!back) throw ApiError.inocr('INOCR003');
      const input = { id: request.id, front: { bytes: front, name: 'FrontImage' }, back: { bytes: back, name: 'BackImage' } };
      const record = await read(request, () => reader.readBuffers(input));
      if (record.status !== 'ok') throw cardError(record.errorCode, record.errorMessage);
      return seedBody(record, options.seedFieldsOnly === true);
    },
  );

  app.post(
    IDCARD_PATH,
    { config: { api: 'idcard' }, bodyLimit: jsonBodyLimit(maxBytes, 1), onRequest: admit },
    async (request) => {
      let image: Buffer | undefined;
      let detectFace: unknown = (request.query as Record<string, unknown> | undefined)?.['detect_face'];
      if (request.isMultipart()) {
        // The second seed's fields may all be form fields, image_base64 included.
        const got = await readMultipart(request, ['file'], maxBytes, jsonBodyLimit(maxBytes, 1));
        image = got.files.get('file');
        detectFace = got.fields.get('detect_face') ?? detectFace;
        if (!image && got.fields.has('image_base64')) image = decodeBase64Image(got.fields.get('image_base64'), 'image_base64', maxBytes);
      } else if (request.body !== undefined) {
        const body = jsonObject(request.body);
        image = decodeBase64Image(body['image_base64'], 'image_base64', maxBytes);
        detectFace = body['detect_face'] ?? detectFace;
      }
      if (!image) throw ApiError.inocr('INOCR002', "must specify 'file' or 'image_base64' argument");
      const bytes = image;
      const result = await read(request, () => reader.readSide({ bytes, name: 'image' }));
      if (result.status !== 'ok') throw cardError(result.errorCode, result.errorMessage);
      return idcardBody(result, request.id, String(detectFace) === '1' || detectFace === true);
    },
  );

  return app;
}

function cardError(code: string, message: string): ApiError {
  return code in INOCR ? ApiError.inocr(code as InocrCode, message) : ApiError.inocr('INOCR001', message);
}

/** fastify's own errors (body parsing, media type) in the API's terms. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InocrError) return ApiError.inocr(error.code, error.message);
  if (error instanceof AbortedError) return new ApiError('TIMEOUT', 'The request ended before the card was read.', 503, 1);
  const code = (error as { code?: string }).code ?? '';
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ApiError.inocr('INOCR006', `${INOCR.INOCR006} (${(error as Error).message})`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ApiError.inocr('INOCR005', 'The request body is over the size limit for its images.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ApiError.inocr('INOCR002', 'Send the images as multipart/form-data or as base64 in a JSON body.');
  }
  if (status >= 400 && status < 500) return ApiError.inocr('INOCR015', `The request could not be processed (${(error as Error).message}).`);
  return ApiError.inocr('INOCR001');
}

/** An internal error for the log: its class, code and message (no request data is in them). */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { type: error.name, code: (error as { code?: unknown }).code, message: error.message, stack: error.stack };
}
