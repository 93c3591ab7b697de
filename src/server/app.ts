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
import type { Readable } from 'node:stream';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import type { InocrCode } from '../errors.ts';
import { DEFAULT_MAX_BYTES } from '../pipeline/image.ts';
import type { CardReader } from '../pipeline/reader.ts';
import { ApiKeys } from './auth.ts';
import { cardError, clientErrorHandler, describeError, frameworkErrors, toApiError } from './http-errors.ts';
import { readJsonBody } from './json-body.ts';
import { Admission } from './admission.ts';
import { OcrQueue } from './queue.ts';
import { ApiError, idcardBody, idcardErrorBody, seedBody, seedErrorBody } from './responses.ts';
import { decodeBase64Image, jsonBodyLimit, MULTIPART_LIMITS, readMultipart } from './uploads.ts';

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
  /**
   * How long a request may take from its arrival to its answer (ms, default 60 s): not uploaded
   * by then, 408; not read by then, 503.
   */
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
const HEALTH_PATH = '/health';

/** The methods each path takes; any other method there is 405 with `Allow` (in the path's answer shape). */
const PATH_METHODS: readonly { readonly url: string; readonly methods: readonly string[]; readonly api?: Api }[] = [
  { url: SEED_PATH, methods: ['POST'], api: 'ineocr' },
  { url: IDCARD_PATH, methods: ['POST'], api: 'idcard' },
  { url: HEALTH_PATH, methods: ['GET', 'HEAD'] },
];

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

  const admission = new Admission(queue, timeoutMs);
  let closing = false;

  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new AccessLog(),
    genReqId: requestId,
    requestTimeout,
    // Node checks request and header timeouts on this interval (30 s by default): a quarter of
    // the timeout keeps a 408 near its time.
    http: { headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(30_000, requestTimeout / 4)) },
    clientErrorHandler,
    frameworkErrors,
    // While closing, new requests get our own 503 (onRequest below), in the API's shape.
    return503OnClosing: false,
    // Bodies are read by the routes themselves (multipart and JSON, each bounded as it arrives).
    bodyLimit: 64 * 1024,
  });

  // Only multipart and JSON bodies: no text/plain parser, and JSON left to the route (json-body.ts).
  app.removeAllContentTypeParsers();
  await app.register(multipart, {
    // Busboy cuts a file off at fileSize: an upload is never held beyond the limit.
    // Text fields: 1 KB unless a route allows more (readMultipart's textLimit).
    limits: { ...MULTIPART_LIMITS, fileSize: maxBytes },
    throwFileSizeLimit: true,
  });
  app.addContentTypeParser('application/json', (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) throw new ApiError('BUSY', 'The server is shutting down; retry shortly.', 503, 1);
  });

  // An answer given before the body was read to its end: the rest of a body of a size the API
  // takes is read and thrown away (as Node does for a body nobody started reading), so the
  // keep-alive connection carries the next request. A file or body over the limit, a body that
  // stopped coming (408), one of unknown or larger size, or a server shutting down closes the
  // connection instead: the client is told to stop sending, and nothing waits for the rest.
  const drainLimit = jsonBodyLimit(maxBytes, 2);
  app.addHook('onSend', async (request, reply) => {
    if (closing || (!request.raw.complete && !drainable(request, reply, drainLimit))) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request) => {
    if (request.raw.complete) return;
    request.raw.unpipe();
    request.raw.resume();
  });

  // Closing: answers still to come go out with `Connection: close`, so a keep-alive connection
  // whose request was in flight ends with its response instead of holding close() open. A
  // request still uploading is answered at once (503): a client that never finishes its body
  // must not hold the shutdown.
  app.addHook('preClose', async () => {
    closing = true;
    admission.closeUploads();
  });

  // The queue is drained before the app reports closed: readings whose response already went
  // out (a timeout) still hold the OCR engine, which the caller closes next.
  app.addHook('onClose', async () => {
    await queue.idle();
  });

  /** Auth first (no place spent on a bad key), then a place or 503: both before the body is read. */
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (keys) {
      const key = request.headers['apikey'] ?? (request.routeOptions.config.api === 'idcard' ? request.headers['x-df-api-secret'] : undefined);
      if (!keys.verify(typeof key === 'string' ? key : undefined)) throw ApiError.inocr('INOCR016');
    }
    admission.admit(request, reply);
  };

  /** The body, within the request's clock: multipart (images and fields) or a JSON object. */
  const upload = async (request: FastifyRequest, spec: UploadSpec): Promise<Upload> => {
    if (request.isMultipart()) return admission.upload(request, readMultipart(request, spec.images, maxBytes, spec.textLimit));
    if (request.body === undefined) return admission.upload(request, Promise.resolve({ files: new Map(), fields: new Map() }));
    const json = await admission.upload(request, readJsonBody(request.body as Readable, spec.jsonLimit));
    return { files: new Map(), fields: new Map(), json };
  };

  /** What each API's body may carry: its image parts (and the code a doubled one gets) and its limits. */
  const seedUpload: UploadSpec = {
    images: { FrontImage: 'INOCR002', BackImage: 'INOCR003' },
    textLimit: MULTIPART_LIMITS.fieldSize,
    jsonLimit: jsonBodyLimit(maxBytes, 2),
  };
  // The second seed's fields may all be form fields, image_base64 included.
  const idcardUpload: UploadSpec = {
    images: { file: 'INOCR002', image_base64: 'INOCR002' },
    textLimit: jsonBodyLimit(maxBytes, 1),
    jsonLimit: jsonBodyLimit(maxBytes, 1),
  };

  app.setErrorHandler(async (error, request, reply) => {
    const e = toApiError(error);
    request.answerCode = e.code;
    if (e.status >= 500 && e.code !== 'BUSY' && e.code !== 'TIMEOUT') request.log.error({ code: e.code, err: describeError(error) }, 'request failed');
    if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
    if (e.allow !== undefined) reply.header('allow', e.allow);
    reply.code(e.status);
    return request.routeOptions.config.api === 'idcard' ? idcardErrorBody(e, request.id) : seedErrorBody(e);
  });

  // No route: a path of the API asked with another method is 405 with the methods it takes;
  // anything else is 404.
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const known = PATH_METHODS.find((p) => p.url === url);
    if (!known) {
      request.answerCode = 'NOT_FOUND';
      reply.code(404);
      return { code: 'NOT_FOUND', message: `No ${request.method} ${url} here. The API is POST ${SEED_PATH} and POST ${IDCARD_PATH}.` };
    }
    const allow = known.methods.join(', ');
    const e = new ApiError('METHOD_NOT_ALLOWED', `${request.method} is not taken here: ${url} takes ${allow}.`, 405, undefined, allow);
    request.answerCode = e.code;
    reply.code(405).header('allow', allow);
    return known.api === 'idcard' ? idcardErrorBody(e, request.id) : seedErrorBody(e);
  });

  app.get(HEALTH_PATH, async () => ({ status: 'ok', ...queue.stats() }));

  app.post(
    SEED_PATH,
    { config: { api: 'ineocr' }, onRequest: admit },
    async (request) => {
      const got = await upload(request, seedUpload);
      const front = got.files.get('FrontImage') ?? decodeBase64Image(got.json?.['FrontImage'], 'FrontImage', maxBytes);
      const back = got.files.get('BackImage') ?? decodeBase64Image(got.json?.['BackImage'], 'BackImage', maxBytes);
      if (!front) throw ApiError.inocr('INOCR002');
      if (!back) throw ApiError.inocr('INOCR003');
      const input = { id: request.id, front: { bytes: front, name: 'FrontImage' }, back: { bytes: back, name: 'BackImage' } };
      const record = await admission.read(request, () => reader.readBuffers(input));
      if (record.status !== 'ok') throw cardError(record.errorCode, record.errorMessage);
      return seedBody(record, options.seedFieldsOnly === true);
    },
  );

  app.post(
    IDCARD_PATH,
    { config: { api: 'idcard' }, onRequest: admit },
    async (request) => {
      const got = await upload(request, idcardUpload);
      const query = (request.query as Record<string, unknown> | undefined)?.['detect_face'];
      const detectFace = got.fields.get('detect_face') ?? got.json?.['detect_face'] ?? query;
      const image = got.files.get('file') ?? decodeBase64Image(got.fields.get('image_base64') ?? got.json?.['image_base64'], 'image_base64', maxBytes);
      if (!image) throw ApiError.inocr('INOCR002', "must specify 'file' or 'image_base64' argument");
      const result = await admission.read(request, () => reader.readSide({ bytes: image, name: 'image' }));
      if (result.status !== 'ok') throw cardError(result.errorCode, result.errorMessage);
      return idcardBody(result, request.id, String(detectFace) === '1' || detectFace === true);
    },
  );

  return app;
}

/** The body of a request: its images and fields (multipart), or its JSON object. */
interface Upload {
  readonly files: Map<string, Buffer>;
  readonly fields: Map<string, string>;
  readonly json?: Record<string, unknown>;
}

interface UploadSpec {
  /** Parts that carry an image, with the code a part sent twice gets. */
  readonly images: Readonly<Record<string, InocrCode>>;
  /** Bytes a multipart text field may hold. */
  readonly textLimit: number;
  /** Bytes a JSON body may hold. */
  readonly jsonLimit: number;
}

/** The rest of an unfinished body is worth reading to keep the connection: of a known size the API takes, and not refused for its size or time. */
function drainable(request: FastifyRequest, reply: FastifyReply, limit: number): boolean {
  if (request.answerCode === 'INOCR005' || reply.statusCode === 408) return false;
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length <= limit;
}
