/**
 * `ine-ocr serve` over real HTTP: the server listens on a loopback port and every test is a
 * real request (fetch). Error codes and the happy path run on the real reader (tesseract.js);
 * the queue, timeouts and shutdown use a slow fake reader so they stay fast and exact; the
 * last tests run the built bin as a process and stop it with SIGTERM mid-request.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INOCR_HTTP_STATUS, type InocrCode } from '../src/errors.ts';
import { newRecord } from '../src/record.ts';
import { CardReader, type BufferCardInput, type ImageBytes, type SideRecord } from '../src/pipeline/reader.ts';
import { CAPTURE_COLUMNS, EXTRA_FIELDS, SEED_FIELDS, emptyFields, type CardFields, type CardRecord } from '../src/record.ts';
import { createServer, type ServerOptions, type ServiceReader } from '../src/server/app.ts';
import { ApiKeys, keysFromFile, keysFromList } from '../src/server/auth.ts';
import { blankPng, textImage } from './helpers.ts';

const SEED = '/api/ineocr/getineocr';
const IDCARD = '/ocr/idcard';
const KEYS = ['first-key-0123456789', 'second-key-abcdefghij'];
const sample = (name: string): Buffer => readFileSync(path.join('samples', name));
const truth = (id: string): CardFields => (JSON.parse(readFileSync(path.join('samples', `${id}.truth.json`), 'utf8')) as { fields: CardFields }).fields;

interface Running {
  url: string;
  app: FastifyInstance;
  logs: string[];
}

async function start(options: Omit<ServerOptions, 'logger'>): Promise<Running> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const app = await createServer({ ...options, logger: { level: 'info', stream } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, logs };
}

type Part = Buffer | string | { bytes: Buffer; filename: string };

function form(parts: Record<string, Part>): FormData {
  const fd = new FormData();
  for (const [name, v] of Object.entries(parts)) {
    if (typeof v === 'string') fd.append(name, v);
    else if (Buffer.isBuffer(v)) fd.append(name, new Blob([v], { type: 'image/jpeg' }), `${name}.jpg`);
    else fd.append(name, new Blob([v.bytes], { type: 'image/jpeg' }), v.filename);
  }
  return fd;
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function post(url: string, body: FormData | string | undefined, headers: Record<string, string> = { apikey: KEYS[0]! }): Promise<Answer> {
  const h = typeof body === 'string' ? { 'content-type': 'application/json', ...headers } : headers;
  const res = await fetch(url, { method: 'POST', body, headers: h });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
}

/** A multipart body built by hand, for node:http requests on a chosen connection. */
function multipartBody(parts: Record<string, Buffer>): { body: Buffer; type: string } {
  const boundary = `----ine-ocr-test-${randomBytes(6).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, bytes] of Object.entries(parts)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** POST through `agent`; resolves with the status, headers, body and the socket the answer came on. */
function httpPost(url: string, agent: http.Agent, parts: Record<string, Buffer>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown>; socket: unknown }> {
  const { body, type } = multipartBody(parts);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { apikey: KEYS[0]!, 'content-type': type, 'content-length': body.length } }, (res) => {
      // Taken now: the agent detaches the socket from the response once it is read.
      const socket = res.socket;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, socket }));
    });
    // The server may close the connection while the rest of an oversized body is still being
    // written: the answer came first, and is what counts.
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE' && (err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    // A wedged connection would otherwise hang until the server's keepAliveTimeout (72 s).
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    req.end(body);
  });
}

const cardForm = (id: string): FormData => form({ FrontImage: sample(`${id}_front.jpg`), BackImage: sample(`${id}_back.jpg`) });

describe('API keys', () => {
  it.each([
    ['a listed key', 'second-key-abcdefghij', true],
    ['another listed key', 'first-key-0123456789', true],
    ['a prefix of a key', 'first-key', false],
    ['a key with more after it', 'first-key-0123456789x', false],
    ['a different case', 'FIRST-KEY-0123456789', false],
    ['an empty key', '', false],
    ['no key', undefined, false],
  ])('%s → %s', (_what, candidate, ok) => {
    expect(new ApiKeys(KEYS).verify(candidate)).toBe(ok);
  });

  it('no keys accept nothing, not even the empty key', () => {
    expect(new ApiKeys([]).verify('')).toBe(false);
    expect(new ApiKeys(['']).size).toBe(0);
  });

  it.each([
    ['a, b ,,c', ['a', 'b', 'c']],
    ['', []],
    [' single ', ['single']],
  ])('INE_OCR_API_KEYS %j → %j', (value, keys) => {
    expect(keysFromList(value)).toEqual(keys);
  });

  it('a keys file: one per line, comments, blank lines, CRLF and a BOM', () => {
    expect(keysFromFile('\uFEFF# team A\r\nkey-one\r\n\r\n  key-two  \n#key-three\n')).toEqual(['key-one', 'key-two']);
  });
});

// ---------------------------------------------------------------------------------------------
// The real reader: happy path and every INOCR code a client can cause.

describe('serve on the real reader (tesseract.js)', () => {
  let reader: CardReader;
  let server: Running;

  beforeAll(async () => {
    reader = await CardReader.create({ engine: 'tesseract', workers: 2, maxBytes: 5 * 1024 * 1024 });
    server = await start({ reader, apiKeys: KEYS, concurrency: 2, queue: 8 });
  });
  afterAll(async () => {
    await server.app.close();
    await reader.close();
  });

  it('getineocr: a sample card as multipart (the seed request) and one as JSON base64 give the seed record', async () => {
    const [multipartAnswer, jsonAnswer, fromFiles] = await Promise.all([
      post(`${server.url}${SEED}`, cardForm('card-01')),
      post(
        `${server.url}${SEED}`,
        JSON.stringify({ FrontImage: sample('card-02_front.jpg').toString('base64'), BackImage: `data:image/jpeg;base64,${sample('card-02_back.jpg').toString('base64')}` }),
      ),
      reader.read({ id: 'card-01', front: 'samples/card-01_front.jpg', back: 'samples/card-01_back.jpg' }),
    ]);
    expect(multipartAnswer.status).toBe(200);
    expect(multipartAnswer.headers.get('content-type')).toMatch(/^application\/json/);
    const body = multipartAnswer.body;
    // The seed's fields first, in the seed's order, then the product's extra fields and the capture columns.
    expect(Object.keys(body)).toEqual([...SEED_FIELDS, ...EXTRA_FIELDS, ...CAPTURE_COLUMNS, 'review', 'fieldBoxes', 'checks', 'warnings']);
    const t1 = truth('card-01');
    for (const f of SEED_FIELDS) expect(body[f], f).toBe(t1[f]);
    // The same record the CLI gives for the same files.
    for (const f of [...SEED_FIELDS, ...EXTRA_FIELDS, ...CAPTURE_COLUMNS]) expect(body[f], f).toBe(fromFiles[f]);
    expect(body['faceRegion']).toMatch(/^\d+,\d+( \d+,\d+){3}$/);
    expect(body['checks']).toEqual(fromFiles.checks);

    expect(jsonAnswer.status).toBe(200);
    const t2 = truth('card-02');
    for (const f of SEED_FIELDS) expect(jsonAnswer.body[f], f).toBe(t2[f]);
  });

  it('no field value, file name or key reaches the log', async () => {
    const a = await post(
      `${server.url}${SEED}`,
      form({ FrontImage: { bytes: sample('card-01_front.jpg'), filename: 'ROSA_DE_LEON_front.jpg' }, BackImage: sample('card-01_back.jpg') }),
    );
    expect(a.status).toBe(200);
    const lines = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    // Searched without the request ids: a random UUID's hex holds a 4-digit year one time in a
    // few hundred (CI: …-35d2006a32ef against a registration year 2006).
    const log = lines.map(({ reqId: _, ...rest }) => JSON.stringify(rest)).join('\n');
    const access = lines.filter((l) => l['msg'] === 'request completed');
    expect(access.length).toBeGreaterThan(0);
    expect(access[0]).toMatchObject({ method: 'POST', path: SEED, statusCode: expect.any(Number), durationMs: expect.any(Number), reqId: expect.any(String) });
    const values = Object.values(truth('card-01')).filter((v) => v.length >= 4);
    for (const v of [...values, 'ROSA_DE_LEON', ...KEYS]) expect(log, 'a value in the log').not.toContain(v);
  });

  const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  const oversize = Buffer.concat([jpegHead, Buffer.alloc(5 * 1024 * 1024 + 1 - jpegHead.length)]);
  const truncated = (): Buffer => {
    const b = sample('card-01_front.jpg');
    return b.subarray(0, Math.floor(b.length / 2));
  };
  const back = (): Buffer => sample('card-01_back.jpg');
  const front = (): Buffer => sample('card-01_front.jpg');

  it.each<[string, InocrCode, () => Promise<FormData | string | undefined> | FormData | string | undefined, Record<string, string>?]>([
    ['no front image', 'INOCR002', () => form({ BackImage: back() })],
    ['no back image', 'INOCR003', () => form({ FrontImage: front() })],
    ['no image at all', 'INOCR002', () => form({})],
    ['no body at all', 'INOCR002', () => undefined],
    ['a form sent with no file chosen (no file name, no bytes)', 'INOCR002', () => form({ FrontImage: { bytes: Buffer.alloc(0), filename: '' }, BackImage: back() })],
    ['a wrong API key', 'INOCR016', () => cardForm('card-01'), { apikey: 'not-a-key' }],
    ['no API key', 'INOCR016', () => cardForm('card-01'), {}],
    ['a front over 5 MB', 'INOCR005', () => form({ FrontImage: oversize, BackImage: back() })],
    ['a JSON body over the limit for two 5 MB images', 'INOCR005', () => JSON.stringify({ FrontImage: 'A'.repeat(15 * 1024 * 1024), BackImage: '' })],
    ['a PDF as the front', 'INOCR014', () => form({ FrontImage: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), BackImage: back() })],
    ['a truncated JPEG', 'INOCR015', () => form({ FrontImage: truncated(), BackImage: back() })],
    ['an empty front file', 'INOCR008', () => form({ FrontImage: Buffer.alloc(0), BackImage: back() })],
    ['an empty back in JSON', 'INOCR008', () => JSON.stringify({ FrontImage: front().toString('base64'), BackImage: '' })],
    ['malformed JSON', 'INOCR006', () => '{"FrontImage": "/9j/4AAQ'],
    ['JSON that is not an object', 'INOCR006', () => '["FrontImage"]'],
    ['an image that is not base64', 'INOCR006', () => JSON.stringify({ FrontImage: 'not base64!', BackImage: 'x' })],
    ['readable text that is not an INE card', 'INOCR004', () => form({ FrontImage: textImage(['INVOICE NUMBER 4471', 'Total due: 1,250.00 MXN', 'Thank you']), BackImage: textImage(['MENU DEL DIA', 'Sopa de lentejas', 'Agua fresca']) })],
    ['blank images: no text on either side', 'INOCR012', async () => form({ FrontImage: await blankPng(), BackImage: await blankPng() })],
  ])('%s → %s with the seed status', async (_what, code, body, headers) => {
    const a = await post(`${server.url}${SEED}`, await body(), headers);
    expect(a.status).toBe(INOCR_HTTP_STATUS[code]);
    expect(a.body).toEqual({ code, message: expect.any(String) });
    expect((a.body['message'] as string).length).toBeGreaterThan(10);
  });

  it('a keep-alive connection answered early (a file over the limit) is closed, and the next request is answered at once on a new one', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A large back after the refused front: the server stops reading at the front's limit.
      const first = await httpPost(`${server.url}${SEED}`, agent, { FrontImage: oversize, BackImage: Buffer.concat([jpegHead, Buffer.alloc(4 * 1024 * 1024)]) });
      expect(first.status).toBe(400);
      expect(first.body['code']).toBe('INOCR005');
      expect(first.headers['connection']).toBe('close');
      const t0 = Date.now();
      const second = await httpPost(`${server.url}${SEED}`, agent, { FrontImage: Buffer.from('%PDF-1.7\n'), BackImage: back() });
      expect(second.body['code']).toBe('INOCR014');
      expect(Date.now() - t0).toBeLessThan(5000);
      // Not the same connection: the first was closed with its answer, not left behind a body nobody reads.
      expect(second.socket).not.toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });

  it('/ocr/idcard: a back as a multipart file is told from its MRZ', async () => {
    const a = await post(`${server.url}${IDCARD}`, form({ file: sample('card-01_back.jpg') }));
    expect(a.status).toBe(200);
    const t = truth('card-01');
    expect(a.body).toMatchObject({ status: 'OK', request_id: expect.any(String), results: [{ card_side: 'back' }] });
    const [result] = a.body['results'] as Record<string, unknown>[];
    expect(result!['card_info']).toMatchObject({
      line1_all: t.mz1,
      line2_all: t.mz2,
      line3_all: t.mz3,
      cic: t.idMex,
      ocr: t.idNumber,
      birthday: t.mz2.slice(0, 6),
      gender: t.sex,
      gender_s: t.sex === 'M' ? 'F' : 'M',
      nationality: 'MEX',
      father_last_name: t.firstLastName,
    });
    expect(result).not.toHaveProperty('face_region');
    expect(a.headers.get('x-request-id')).toBe(a.body['request_id']);
  });

  it('/ocr/idcard: a front as JSON image_base64 with detect_face=1 is told from its labels', async () => {
    const a = await post(`${server.url}${IDCARD}`, JSON.stringify({ image_base64: sample('card-02_front.jpg').toString('base64'), detect_face: 1 }));
    expect(a.status).toBe(200);
    const t = truth('card-02');
    const [result] = a.body['results'] as Record<string, unknown>[];
    expect(result).toMatchObject({ card_side: 'front', card_type: 'E/F' });
    expect(result!['card_info']).toMatchObject({ id_number: t.curp, voter_id: t.electoralId, birthday: t.dateOfBirth, father_last_name: t.firstLastName, name: t.name });
    // Asked for: the corners when the reader located the face, null until it does.
    expect(result).toHaveProperty('face_region');
    const face = result!['face_region'];
    if (face !== null) expect(face).toHaveLength(4);
  });

  it('/ocr/idcard: a page of prose that mentions MEXICO is not a back (its "MRZ" fails the check digits): 400 DETECTION_FAILED', async () => {
    // Before: 200, card_side back, with line 2 assembled around "MEXICO" (hostile-input probe, issue 13).
    const page = textImage(
      ['CONSTANCIA DE SERVICIO', 'Por medio de la presente se hace constar que el', 'domicilio ubicado en la CIUDAD DE MEXICO cuenta', 'con servicio de agua potable desde 19900315 y', 'que el titular 2012319MEX ha cubierto sus pagos'],
      1400,
      800,
    );
    const a = await post(`${server.url}${IDCARD}`, form({ file: { bytes: page, filename: 'page.png' } }));
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ status: 'DETECTION_FAILED', code: 'INOCR004' });
  });

  it('/ocr/idcard: image_base64 may come as a multipart form field too, whole', async () => {
    const a = await post(`${server.url}${IDCARD}`, form({ image_base64: sample('card-04_back.jpg').toString('base64') }));
    expect(a.status).toBe(200);
    const [result] = a.body['results'] as Record<string, unknown>[];
    expect(result).toMatchObject({ card_side: 'back', card_info: { cic: truth('card-04').idMex } });
  });

  it.each<[string, number, string, string, () => FormData | string, Record<string, string>?]>([
    ['no image', 400, 'INVALID_ARGUMENT', 'INOCR002', () => form({ detect_face: '1' })],
    ['malformed JSON', 400, 'INVALID_ARGUMENT', 'INOCR006', () => '{"image_base64": '],
    ['a wrong key', 401, 'UNAUTHORIZED', 'INOCR016', () => form({ file: sample('card-01_back.jpg') }), { 'X-DF-API-SECRET': 'nope' }],
    ['a GIF', 400, 'INVALID_ARGUMENT', 'INOCR014', () => form({ file: Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1') })],
    ['an image_base64 form field over the limit', 400, 'INVALID_ARGUMENT', 'INOCR005', () => form({ image_base64: 'A'.repeat(7 * 1024 * 1024) })],
  ])('/ocr/idcard: %s → %i %s (%s)', async (_what, status, idStatus, code, body, headers) => {
    const a = await post(`${server.url}${IDCARD}`, body(), headers);
    expect(a.status).toBe(status);
    expect(a.body).toEqual({ status: idStatus, reason: expect.any(String), request_id: expect.any(String), code });
  });

  it('/ocr/idcard takes the key in the second seed header too', async () => {
    const a = await post(`${server.url}${IDCARD}`, form({ file: Buffer.alloc(0) }), { 'X-DF-API-ID': 'any', 'X-DF-API-SECRET': KEYS[1]! });
    expect(a.status).toBe(400);
    expect(a.body['code']).toBe('INOCR008');
  });

  it('GET /health needs no key; an unknown path is a JSON 404', async () => {
    const h = await fetch(`${server.url}/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: 'ok', reading: expect.any(Number), places: 10, concurrency: 2 });
    const nf = await fetch(`${server.url}/api/ineocr/other`, { method: 'POST' });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

// ---------------------------------------------------------------------------------------------
// Queue, timeouts and shutdown, with a slow fake reader.

/** Answers every card after `ms`, counting how many it reads at once. */
class SlowReader implements ServiceReader {
  active = 0;
  maxActive = 0;
  started = 0;
  finished = 0;
  constructor(private readonly ms: number) {}

  private async work(): Promise<void> {
    this.started++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await sleep(this.ms);
    this.active--;
    this.finished++;
  }

  async readBuffers(input: BufferCardInput): Promise<CardRecord> {
    await this.work();
    return { ...newRecord(input.id, input.front.name, input.back.name), name: 'FAKE GIVEN', mz1: 'IDMEX0000000000<<0000000000000' };
  }

  async readSide(_image: ImageBytes): Promise<SideRecord> {
    await this.work();
    return { status: 'ok', errorCode: '', errorMessage: '', side: 'back', fields: emptyFields(), checks: {}, warnings: [] };
  }
}

const tiny = (): FormData => form({ FrontImage: Buffer.from('front'), BackImage: Buffer.from('back') });

describe('serve under load (fake reader)', () => {
  it('beyond the queue: some 503 with Retry-After, every request answered, never more cards at once than the concurrency', async () => {
    const reader = new SlowReader(400);
    const s = await start({ reader, apiKeys: KEYS, concurrency: 2, queue: 2 });
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => post(`${s.url}${SEED}`, tiny())));
      const ok = answers.filter((a) => a.status === 200);
      const busy = answers.filter((a) => a.status === 503);
      expect(ok.length + busy.length).toBe(12);
      expect(ok.length).toBeGreaterThanOrEqual(4);
      expect(busy.length).toBeGreaterThanOrEqual(1);
      for (const a of busy) {
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(a.body).toEqual({ code: 'BUSY', message: expect.stringMatching(/retry/) });
      }
      for (const a of ok) expect(a.body['name']).toBe('FAKE GIVEN');
      expect(reader.maxActive).toBe(2);
      expect(reader.finished).toBe(ok.length);
      const health = (await (await fetch(`${s.url}/health`)).json()) as Record<string, number>;
      expect(health).toMatchObject({ reading: 0, waiting: 0, taken: 0 });
    } finally {
      await s.app.close();
    }
  });

  it('a bad key is refused without taking a place, even when every place is taken', async () => {
    const reader = new SlowReader(1000);
    const s = await start({ reader, apiKeys: KEYS, concurrency: 1, queue: 0 });
    try {
      const first = post(`${s.url}${SEED}`, tiny());
      await sleep(100);
      const [bad, busy] = await Promise.all([post(`${s.url}${SEED}`, tiny(), { apikey: 'wrong' }), post(`${s.url}${SEED}`, tiny())]);
      expect(bad.status).toBe(401);
      expect(busy.status).toBe(503);
      expect((await first).status).toBe(200);
      expect(reader.started).toBe(1);
    } finally {
      await s.app.close();
    }
  });

  it('a request not read within the timeout gets 503 TIMEOUT; one still waiting is never read', async () => {
    const reader = new SlowReader(800);
    const s = await start({ reader, apiKeys: KEYS, concurrency: 1, queue: 1, timeoutMs: 250 });
    try {
      const t0 = Date.now();
      const [reading, waiting] = await Promise.all([post(`${s.url}${SEED}`, tiny()), post(`${s.url}${SEED}`, tiny())]);
      // Answered at the timeout, not after the readings (0.8 s and 1.6 s).
      expect(Date.now() - t0).toBeLessThan(1500);
      for (const a of [reading, waiting]) {
        expect(a.status).toBe(503);
        expect(a.body['code']).toBe('TIMEOUT');
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      await sleep(900);
      expect(reader.started).toBe(1);
      expect(reader.finished).toBe(1);
      const health = (await (await fetch(`${s.url}/health`)).json()) as Record<string, number>;
      expect(health).toMatchObject({ reading: 0, waiting: 0, taken: 0 });
    } finally {
      await s.app.close();
    }
  });

  it('close() while requests are in flight: each one is answered with its record, then the server stops', async () => {
    const reader = new SlowReader(600);
    const s = await start({ reader, apiKeys: KEYS, concurrency: 1, queue: 3 });
    const answers = Array.from({ length: 3 }, () => post(`${s.url}${SEED}`, tiny()));
    // In flight: the server has all three (one being read, two waiting). A connection on
    // which nothing has arrived yet is idle to Node and closed at once by close().
    for (let i = 0; i < 200; i++) {
      const h = (await (await fetch(`${s.url}/health`)).json()) as Record<string, number>;
      if (h['taken'] === 3 && reader.started === 1) break;
      await sleep(10);
    }
    const t0 = Date.now();
    const closed = s.app.close().then(() => reader.finished);
    const results = await Promise.all(answers);
    expect(results.map((a) => a.status)).toEqual([200, 200, 200]);
    // close() resolved only after every reading had finished, and not much later: the
    // keep-alive connections of the answered requests do not hold it open.
    expect(await closed).toBe(3);
    expect(Date.now() - t0).toBeLessThan(5000);
    await expect(fetch(`${s.url}/health`)).rejects.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The built bin (npm test builds first).

const BIN = path.resolve('bin/ine-ocr.js');

function runBin(args: string[], env: Record<string, string | undefined>): { proc: ReturnType<typeof spawn>; stderr: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, INE_OCR_API_KEYS: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, stderr: () => err, exited };
}

describe('ine-ocr serve (bin)', () => {
  it('refuses to start without a key unless --no-auth is given: exit 2 and why', async () => {
    const r = runBin(['serve', '--port', '0'], {});
    expect(await r.exited).toBe(2);
    expect(r.stderr()).toMatch(/No API key configured.*INE_OCR_API_KEYS.*--no-auth/);
    const f = runBin(['serve', '--api-keys-file', path.join('samples', 'no-such-file.txt')], {});
    expect(await f.exited).toBe(2);
    expect(f.stderr()).toMatch(/Cannot read the API keys file/);
  });

  it.each(['tesseract', 'local'])('--engine %s, SIGTERM while a card is being read: the request gets its record, then the process exits 0', async (engine) => {
    const r = runBin(['serve', '--port', '0', '-j', '1', '--log-level', 'warn', '--engine', engine], { INE_OCR_API_KEYS: KEYS.join(',') });
    try {
      let url = '';
      for (let i = 0; i < 600 && !url; i++) {
        url = /listening on (http:\/\/\S+)/.exec(r.stderr())?.[1] ?? '';
        if (!url) await sleep(50);
      }
      expect(url, r.stderr()).not.toBe('');
      expect(r.stderr()).toContain(`(engine ${engine},`);
      const answer = post(`${url}${SEED}`, cardForm('card-01'), { apikey: KEYS[1]! });
      // Wait until the card is being read, then ask the process to stop.
      for (let i = 0; i < 200; i++) {
        const h = (await (await fetch(`${url}/health`)).json()) as Record<string, number>;
        if (h['reading'] === 1) break;
        await sleep(25);
      }
      r.proc.kill('SIGTERM');
      const a = await answer;
      expect(a.status).toBe(200);
      expect(a.body['mz1']).toBe(truth('card-01').mz1);
      expect(await r.exited).toBe(0);
      expect(r.stderr()).toMatch(/SIGTERM: finishing the requests in flight/);
    } finally {
      if (r.proc.exitCode === null) r.proc.kill('SIGKILL');
    }
  });
});
