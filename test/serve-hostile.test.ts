/**
 * `ine-ocr serve` against hostile and broken requests, over real HTTP on a loopback port: raw
 * sockets send exactly the bytes a probe sent (parts busboy skips, wrong boundaries, bodies that
 * never end, oversized uploads, junk JSON, HTTP the server does not take). A fake reader answers
 * instantly: none of these requests should ever reach it. The last test runs the built bin and
 * stops it with SIGTERM while a client holds an upload open.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyFields, newRecord } from '../src/record.ts';
import { createServer, type ServerOptions, type ServiceReader } from '../src/server/app.ts';
import { JSON_BODY_BOUNDS } from '../src/server/json-body.ts';

const SEED = '/api/ineocr/getineocr';
const IDCARD = '/ocr/idcard';
const KEY = 'hostile-test-key-0123456789';

/** Counts the cards that reached it; none of the hostile requests should. */
class CountingReader implements ServiceReader {
  reads = 0;
  async readBuffers(input: Parameters<ServiceReader['readBuffers']>[0]): ReturnType<ServiceReader['readBuffers']> {
    this.reads++;
    return { ...newRecord(input.id, input.front.name, input.back.name), name: 'FAKE' };
  }
  async readSide(): ReturnType<ServiceReader['readSide']> {
    this.reads++;
    return { status: 'ok', errorCode: '', errorMessage: '', side: 'back', fields: emptyFields(), checks: {}, warnings: [] };
  }
}

interface Server {
  app: FastifyInstance;
  port: number;
  reader: CountingReader;
}

async function start(options: Partial<Omit<ServerOptions, 'reader' | 'logger'>> = {}): Promise<Server> {
  const reader = new CountingReader();
  const app = await createServer({ reader, apiKeys: [KEY], concurrency: 1, queue: 2, logger: false, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port, reader };
}

/** A server for the tests of one describe block: started before them, closed after. */
function serverFor(options: Partial<Omit<ServerOptions, 'reader' | 'logger'>> = {}): () => Server {
  let s: Server | undefined;
  beforeAll(async () => {
    s = await start(options);
  });
  afterAll(async () => {
    await s?.app.close();
  });
  return () => {
    if (!s) throw new Error('the server has not started');
    return s;
  };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** ms from the first byte sent to the answer. */
  elapsed: number;
  /** Body bytes written when the answer came. */
  sentWhenAnswered: number;
  /** The server closed the connection after answering. */
  closed: Promise<boolean>;
}

/**
 * Sends `head` then `body` on a fresh connection (the body in `chunk`-byte pieces every
 * `everyMs`, or all at once; `stopAt`: stop sending after that many body bytes and keep the
 * connection open). Resolves with the first complete answer.
 */
function raw(port: number, head: string, body: Buffer = Buffer.alloc(0), pace: { chunk?: number; everyMs?: number; stopAt?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const t0 = Date.now();
    let sent = 0;
    let text = Buffer.alloc(0);
    let done = false;
    const closed = new Promise<boolean>((res) => {
      socket.on('close', () => res(true));
      setTimeout(() => res(false), 5000).unref();
    });
    const stopAt = Math.min(pace.stopAt ?? body.length, body.length);
    // Each piece waits for the previous one to be taken by the kernel ('drain'): `sent` counts
    // what the server could have received, not what sits in this process's buffers.
    const send = (): void => {
      if (socket.destroyed || done || sent >= stopAt) return;
      const n = Math.min(pace.chunk ?? stopAt, stopAt - sent);
      const flushed = socket.write(body.subarray(sent, sent + n));
      sent += n;
      const next = (): void => {
        if (pace.everyMs) setTimeout(send, pace.everyMs);
        else send();
      };
      if (flushed) next();
      else socket.once('drain', next);
    };
    socket.on('connect', () => {
      socket.write(head);
      send();
    });
    socket.on('error', (err) => {
      if (!done) reject(err);
    });
    socket.on('data', (d: Buffer) => {
      text = Buffer.concat([text, d]);
      const s = text.toString('utf8');
      const split = s.indexOf('\r\n\r\n');
      if (split < 0 || done) return;
      const lines = s.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? -1);
      const bodyText = s.slice(split + 4);
      if (length >= 0 && Buffer.byteLength(bodyText) < length) return;
      done = true;
      resolve({ status: Number(lines[0]!.split(' ')[1]), headers, body: bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : {}, elapsed: Date.now() - t0, sentWhenAnswered: sent, closed });
      closed.then(() => undefined, () => undefined);
      setTimeout(() => socket.destroy(), 5000).unref();
    });
    setTimeout(() => {
      if (!done) {
        socket.destroy();
        reject(new Error(`no answer within 15 s (sent ${sent} body bytes)`));
      }
    }, 15_000).unref();
  });
}

const B = 'hostile-boundary-7f3a';
const postHead = (pathname: string, type: string | null, length: number, extra: Record<string, string> = {}): string =>
  `POST ${pathname} HTTP/1.1\r\nHost: test\r\napikey: ${KEY}\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${length}\r\n${Object.entries(extra).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
const part = (headers: string, data: Buffer | string): Buffer => Buffer.concat([Buffer.from(`--${B}\r\n${headers}\r\n\r\n`), Buffer.from(data), Buffer.from('\r\n')]);
const closeDelimiter = Buffer.from(`--${B}--\r\n`);
const multipartBody = (...parts: Buffer[]): Buffer => Buffer.concat([...parts, closeDelimiter]);
const jpeg = (bytes: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(Math.max(0, bytes - 4), 7)]);
const filePart = (name: string, bytes: number): Buffer => part(`Content-Disposition: form-data; name="${name}"; filename="${name}.jpg"\r\nContent-Type: image/jpeg`, jpeg(bytes));
const field = (name: string, value: string): Buffer => part(`Content-Disposition: form-data; name="${name}"`, value);
const multipartType = `multipart/form-data; boundary=${B}`;

async function health(port: number): Promise<Record<string, number>> {
  return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, number>;
}

/** The server has every place back (the request's place was freed). */
async function placesFree(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await health(port))['taken'] === 0) return;
    await sleep(20);
  }
  expect(await health(port)).toMatchObject({ taken: 0 });
}

describe('serve: multipart parts busboy skips, and uploads that never end', () => {
  const server = serverFor({ timeoutMs: 1500 });

  // The probe's three skipped parts: no Content-Disposition, `attachment`, a file name with a line break.
  const skipped: [string, string][] = [
    ['no Content-Disposition', 'Content-Type: image/jpeg'],
    ['Content-Disposition: attachment', 'Content-Disposition: attachment; name="FrontImage"; filename="a.jpg"\r\nContent-Type: image/jpeg'],
    ['a file name with a line break', 'Content-Disposition: form-data; name="FrontImage"; filename="a\nb.jpg"\r\nContent-Type: image/jpeg'],
  ];
  it.each(skipped.flatMap(([what, headers]) => [17_000, 150_000].flatMap((size) => [SEED, IDCARD].map((p) => [what, size, p, headers] as const))))(
    'a part with %s holding %i bytes (%s): answered at once, its place freed',
    async (_what, size, pathname, headers) => {
      const body = multipartBody(part(headers, jpeg(size)));
      const a = await raw(server().port, postHead(pathname, multipartType, body.length), body, { chunk: 16 * 1024 });
      expect(a.status).toBe(400);
      expect(a.body['code']).toBe('INOCR002');
      expect(a.elapsed).toBeLessThan(1000); // well before the 1.5 s clock
      await placesFree(server().port);
      expect(server().reader.reads).toBe(0);
    },
  );

  it('--timeout covers the upload: a body that stops coming gets 408 TIMEOUT at the timeout, and the place back', async () => {
    const body = multipartBody(filePart('FrontImage', 200_000), filePart('BackImage', 1000));
    const a = await raw(server().port, postHead(SEED, multipartType, body.length), body, { stopAt: 100_000 });
    expect(a.status).toBe(408);
    expect(a.body).toEqual({ code: 'TIMEOUT', message: expect.stringMatching(/not received within/) });
    expect(a.elapsed).toBeGreaterThanOrEqual(1400);
    expect(a.elapsed).toBeLessThan(4000);
    expect(a.headers['connection']).toBe('close');
    expect(await a.closed).toBe(true);
    await placesFree(server().port);
  });

  it('the same on /ocr/idcard, in its answer shape', async () => {
    const body = multipartBody(filePart('file', 200_000));
    const a = await raw(server().port, postHead(IDCARD, multipartType, body.length), body, { stopAt: 50_000 });
    expect(a.status).toBe(408);
    expect(a.body).toMatchObject({ status: 'SERVICE_BUSY', code: 'TIMEOUT', request_id: expect.any(String) });
    await placesFree(server().port);
  });

  it('three stalled uploads take every place; once their clock runs out, a fourth client is served', async () => {
    const body = multipartBody(filePart('FrontImage', 200_000), filePart('BackImage', 1000));
    const stalled = [1, 2, 3].map(() => raw(server().port, postHead(SEED, multipartType, body.length), body, { stopAt: 10_000 }));
    await sleep(300);
    const busy = await raw(server().port, postHead(SEED, multipartType, body.length), body);
    expect(busy.status).toBe(503);
    expect(busy.body['code']).toBe('BUSY');
    for (const a of await Promise.all(stalled)) expect(a.status).toBe(408);
    await placesFree(server().port);
    const ok = await raw(server().port, postHead(SEED, multipartType, body.length), body);
    expect(ok.status).toBe(200);
  });
});

describe('serve: what a multipart body may and may not be', () => {
  const server = serverFor();

  it.each<[string, number, string, string, () => { type: string | null; body: Buffer }, RegExp]>([
    ['FrontImage sent twice', 400, 'INOCR002', SEED, () => ({ type: multipartType, body: multipartBody(filePart('FrontImage', 500), filePart('FrontImage', 500), filePart('BackImage', 500)) }), /FrontImage was sent more than once/],
    ['BackImage sent twice', 400, 'INOCR003', SEED, () => ({ type: multipartType, body: multipartBody(filePart('FrontImage', 500), filePart('BackImage', 500), filePart('BackImage', 500)) }), /BackImage was sent more than once/],
    ['file sent twice (/ocr/idcard)', 400, 'INOCR002', IDCARD, () => ({ type: multipartType, body: multipartBody(filePart('file', 500), filePart('file', 500)) }), /file was sent more than once/],
    ['a boundary that is not the body\'s', 400, 'INOCR015', SEED, () => ({ type: 'multipart/form-data; boundary=not-the-one', body: multipartBody(filePart('FrontImage', 500), filePart('BackImage', 500)) }), /malformed/],
    ['an empty boundary', 400, 'INOCR015', SEED, () => ({ type: 'multipart/form-data; boundary=', body: multipartBody(filePart('FrontImage', 500), filePart('BackImage', 500)) }), /no boundary/],
    ['no boundary at all', 400, 'INOCR015', SEED, () => ({ type: 'multipart/form-data', body: multipartBody(filePart('FrontImage', 500)) }), /no boundary/],
    ['a multipart header on a body that is not multipart', 400, 'INOCR015', SEED, () => ({ type: multipartType, body: Buffer.from('FrontImage=abc&BackImage=def') }), /malformed/],
    ['a body cut before its closing boundary', 400, 'INOCR015', SEED, () => ({ type: multipartType, body: Buffer.concat([filePart('FrontImage', 500), filePart('BackImage', 500)]) }), /malformed|ended in the middle of a file part/],
    ['text/plain', 400, 'INOCR015', SEED, () => ({ type: 'text/plain', body: Buffer.from('hello') }), /neither multipart\/form-data nor JSON/],
    ['no Content-Type but a body', 400, 'INOCR015', SEED, () => ({ type: null, body: Buffer.from('hello') }), /neither multipart\/form-data nor JSON/],
    // The probe's "Premature close": 11 fields, a large file, then another file.
    ['11 fields, a file, another file', 400, 'INOCR015', SEED, () => ({ type: multipartType, body: multipartBody(...Array.from({ length: 11 }, (_, i) => field(`f${i}`, 'x')), filePart('FrontImage', 300_000), filePart('BackImage', 500)) }), /more than 8 form fields/],
    ['5 files', 400, 'INOCR015', SEED, () => ({ type: multipartType, body: multipartBody(filePart('FrontImage', 500), filePart('BackImage', 500), ...[1, 2, 3].map((i) => filePart(`Other${i}`, 500))) }), /more than 4 files/],
    ['13 parts (skipped ones count)', 400, 'INOCR015', SEED, () => ({ type: multipartType, body: multipartBody(filePart('FrontImage', 500), filePart('BackImage', 500), ...Array.from({ length: 11 }, () => part('Content-Type: text/plain', 'x'))) }), /more than 12 parts/],
    ['a 5 KB text field', 400, 'INOCR005', SEED, () => ({ type: multipartType, body: multipartBody(field('note', 'x'.repeat(5000)), filePart('FrontImage', 500), filePart('BackImage', 500)) }), /note is over the 1 KB a form field may hold/],
  ])('%s → %i %s', async (_what, status, code, pathname, make, message) => {
    const { type, body } = make();
    const a = await raw(server().port, postHead(pathname, type, body.length), body);
    expect(a.status).toBe(status);
    expect(a.body['code']).toBe(code);
    const text = String(a.body['message'] ?? a.body['reason']);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/Premature close|0\.0 MB/);
    await placesFree(server().port);
    expect(server().reader.reads).toBe(0);
  });

  it('refused before its body was read (a wrong key), a body of a size the API takes is drained: the connection carries the next request', async () => {
    const body = multipartBody(filePart('FrontImage', 300_000), filePart('BackImage', 300_000));
    const socket = net.connect(server().port, '127.0.0.1');
    try {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.write(postHead(SEED, multipartType, body.length).replace(`apikey: ${KEY}`, 'apikey: wrong-key'));
      socket.write(body);
      socket.write('GET /health HTTP/1.1\r\nHost: test\r\n\r\n');
      for (let i = 0; i < 250 && (text.match(/HTTP\/1\.1 /g) ?? []).length < 2; i++) await sleep(20);
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      expect(statuses).toEqual([401, 200]);
      expect(text).not.toMatch(/connection: close/i);
    } finally {
      socket.destroy();
    }
  });

  it('an image over the size limit is refused as soon as the limit is passed, and the connection closed', async () => {
    const body = multipartBody(filePart('FrontImage', 52 * 1024 * 1024), filePart('BackImage', 500));
    // 256 KB every 10 ms at most: the whole body would take 2 s or more to send.
    const a = await raw(server().port, postHead(SEED, multipartType, body.length), body, { chunk: 256 * 1024, everyMs: 10 });
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ code: 'INOCR005', message: 'FrontImage is over the 5.0 MB limit.' });
    // The limit, plus what the sockets' buffers on both sides hold: far from the 52 MB.
    expect(a.sentWhenAnswered).toBeLessThan(body.length / 2);
    expect(a.headers['connection']).toBe('close');
    expect(await a.closed).toBe(true);
    await placesFree(server().port);
  });

  it('a JSON body over its limit is refused as it arrives, too', async () => {
    const body = Buffer.from(JSON.stringify({ FrontImage: 'A'.repeat(40 * 1024 * 1024), BackImage: '' }));
    const a = await raw(server().port, postHead(SEED, 'application/json', body.length), body, { chunk: 256 * 1024, everyMs: 5 });
    expect(a.status).toBe(400);
    expect(a.body['code']).toBe('INOCR005');
    expect(a.sentWhenAnswered).toBeLessThan(body.length * 0.75);
    expect(await a.closed).toBe(true);
  });
});

describe('serve: JSON bodies hold what the API reads, no more', () => {
  const server = serverFor();

  const nested = (depth: number): string => '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
  it.each<[string, () => string]>([
    ['10,000 nested objects', () => nested(10_000)],
    ['a 13 MB array of empty objects (within the byte limit)', () => `{"FrontImage":[${Array.from({ length: 4_300_000 }, () => '{}').join(',')}]}`],
    ['a million members', () => `{${Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":1`).join(',')}}`],
    [`more than ${JSON_BODY_BOUNDS.containers} objects`, () => `{"x":[${Array.from({ length: JSON_BODY_BOUNDS.containers + 1 }, () => '{}').join(',')}]}`],
  ])('%s → INOCR006 before it is parsed', async (_what, make) => {
    const body = Buffer.from(make());
    const a = await raw(server().port, postHead(SEED, 'application/json', body.length), body);
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ code: 'INOCR006', message: expect.stringMatching(/holds more than this API reads/) });
  });

  it('a body within the bounds is read as before (extra properties are fine)', async () => {
    const front = jpeg(600).toString('base64');
    const body = Buffer.from(JSON.stringify({ FrontImage: front, BackImage: front, client: { name: 'x', tags: ['a', 'b'] } }));
    const a = await raw(server().port, postHead(SEED, 'application/json', body.length), body);
    expect(a.status).toBe(200);
    expect(a.body['name']).toBe('FAKE');
  });
});

describe('serve: HTTP it does not take, in its own { code, message } shape', () => {
  const server = serverFor({ requestTimeoutMs: 1000 });

  it.each<[string, number, string, string]>([
    ['headers too large', 431, 'HEADERS_TOO_LARGE', `GET /health HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['a URL with a bad escape', 400, 'BAD_REQUEST', `GET /api/%zz HTTP/1.1\r\nHost: test\r\n\r\n`],
    ['a bad escape on the API path', 400, 'BAD_REQUEST', `POST ${SEED}/%zz HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n`],
    ['a method HTTP does not know', 400, 'BAD_REQUEST', `FROB ${SEED} HTTP/1.1\r\nHost: test\r\n\r\n`],
    ['headers that never end (408)', 408, 'TIMEOUT', `GET /health HTTP/1.1\r\nHost: test\r\n`],
  ])('%s → %i %s', async (_what, status, code, request) => {
    const a = await raw(server().port, request);
    expect(a.status).toBe(status);
    expect(a.body).toEqual({ code, message: expect.any(String) });
    expect(a.headers['content-type']).toMatch(/^application\/json/);
  });

  it.each<[string, string, string, number]>([
    ['GET', SEED, 'POST', 405],
    ['PUT', SEED, 'POST', 405],
    ['PROPFIND', SEED, 'POST', 405],
    ['DELETE', IDCARD, 'POST', 405],
    ['POST', '/health', 'GET, HEAD', 405],
  ])('%s %s → 405 with Allow: %s', async (method, pathname, allow, status) => {
    const a = await raw(server().port, `${method} ${pathname} HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n`);
    expect(a.status).toBe(status);
    expect(a.headers['allow']).toBe(allow);
    expect(a.body['code']).toBe('METHOD_NOT_ALLOWED');
    if (pathname === IDCARD) expect(a.body).toMatchObject({ status: 'INVALID_ARGUMENT', request_id: expect.any(String) });
  });

  it('an unknown path is still a JSON 404', async () => {
    const a = await raw(server().port, `GET /nothing HTTP/1.1\r\nHost: test\r\n\r\n`);
    expect(a.status).toBe(404);
    expect(a.body['code']).toBe('NOT_FOUND');
  });
});

// ---------------------------------------------------------------------------------------------
// The built bin (npm test builds first).

describe('ine-ocr serve (bin): SIGTERM does not wait on an upload that never ends', () => {
  it('the stalled client gets 503 at once, the process exits 0 well before --shutdown-timeout', async () => {
    const proc = spawn(process.execPath, [path.resolve('bin/ine-ocr.js'), 'serve', '--port', '0', '-j', '1', '--log-level', 'warn', '--shutdown-timeout', '20'], {
      env: { ...process.env, INE_OCR_API_KEYS: KEY },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    try {
      let port = 0;
      for (let i = 0; i < 600 && !port; i++) {
        port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] ?? 0);
        if (!port) await sleep(50);
      }
      expect(port, stderr).toBeGreaterThan(0);
      // A skipped part is answered now; a body that stops half-way is what a slow or hostile
      // client does: it holds its place until the clock or the shutdown ends it.
      const body = multipartBody(filePart('FrontImage', 300_000), filePart('BackImage', 1000));
      const stalled = raw(port, postHead(SEED, multipartType, body.length), body, { stopAt: 120_000 });
      for (let i = 0; i < 100; i++) {
        if ((await health(port))['taken'] === 1) break;
        await sleep(20);
      }
      const t0 = Date.now();
      proc.kill('SIGTERM');
      const a = await stalled;
      expect(a.status).toBe(503);
      expect(a.body).toEqual({ code: 'BUSY', message: expect.stringMatching(/shutting down/) });
      expect(await exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});
