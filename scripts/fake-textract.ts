/**
 * A local stand-in for AWS Textract's DetectDocumentText, for tests and for trying the
 * textract engine without an AWS account. It speaks the service's protocol (awsJson1_1:
 * POST /, `X-Amz-Target: Textract.DetectDocumentText`, `Content-Type:
 * application/x-amz-json-1.1`, SigV4-signed), enforces the synchronous limits (5 MB of JPEG or
 * PNG, ≤ 10000 px a side), and answers with responses recorded for the sample cards
 * (test/fixtures/textract/, made by scripts/textract-fixtures.ts), picked by a perceptual hash
 * of the image received. An image it has no response for reads as a page without text.
 * Faults (throttling, 5xx, malformed JSON, slow answers, refused credentials) are scripted per
 * request by the caller. It listens on 127.0.0.1 only.
 *
 *   node dist/scripts/fake-textract.js [--port 4599] [--fixtures test/fixtures/textract]
 *   AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
 *     node bin/ine-ocr.js batch samples/ --engine textract --textract-endpoint http://127.0.0.1:4599
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { TEXTRACT_MAX_BYTES, TEXTRACT_MAX_SIDE } from '../src/engines/textract-limits.ts';

/** One recorded (or built) response for one image. */
export interface TextractFixture {
  /** `card-01_front`: the sample image it was made for. */
  readonly name: string;
  readonly source: string;
  /** Size of the image the response was made for (informative: geometry is normalised). */
  readonly width: number;
  readonly height: number;
  /** Perceptual hash (16 × 16 mean hash, hex) of that image. */
  readonly hash: string;
  /** The DetectDocumentText response body. */
  readonly response: { readonly Blocks: readonly unknown[]; readonly [k: string]: unknown };
}

/** What the server does with one request instead of answering from the fixtures. */
export type Fault =
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message?: string }
  /** A 200 whose body is cut-off JSON. */
  | { readonly kind: 'malformed' }
  /** A 200 with a raw body of the caller's choosing. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string }
  /** Answer normally, after a delay. */
  | { readonly kind: 'slow'; readonly delayMs: number };

export interface RequestSeen {
  readonly at: number;
  readonly target: string;
  readonly contentType: string;
  /** The Authorization header's credential scope (`test/20250101/us-east-1/textract/aws4_request`). */
  readonly credential: string;
  readonly bytes: number;
  readonly format: string;
  readonly width: number;
  readonly height: number;
  /** Fixture answered (or that would have been), or null. */
  readonly match: string | null;
  readonly status: number;
}

export interface FakeTextract {
  readonly url: string;
  readonly requests: RequestSeen[];
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
  /** Decides each request's fault: `n` counts requests for the same match (1 = first). */
  fault: ((req: { readonly match: string | null; readonly n: number; readonly total: number }) => Fault | undefined) | undefined;
  /** Forgets the requests seen, the counts and the fault. */
  reset(): void;
  close(): Promise<void>;
}

/** The fixtures directory from the repository root (works from src and from dist). */
function fixturesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..']) {
    const dir = path.resolve(here, up, 'test/fixtures/textract');
    try {
      readdirSync(dir);
      return dir;
    } catch {
      // try the next
    }
  }
  return path.resolve('test/fixtures/textract');
}

export function loadFixtures(dir = fixturesDir()): TextractFixture[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as TextractFixture);
}

/** 16 × 16 mean hash of an image (EXIF orientation applied), as 64 hex digits. */
export async function imageHash(image: Buffer): Promise<string> {
  const px = await sharp(image, { limitInputPixels: false }).rotate().greyscale().resize(16, 16, { fit: 'fill' }).raw().toBuffer();
  const mean = px.reduce((s, v) => s + v, 0) / px.length;
  let hex = '';
  for (let i = 0; i < px.length; i += 4) {
    let nibble = 0;
    for (let k = 0; k < 4; k++) nibble = (nibble << 1) | (px[i + k]! > mean ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

export function hashDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** Hashes this close (of 256 bits) are the same image. */
const SAME_IMAGE = 48;

const EMPTY_PAGE = {
  DocumentMetadata: { Pages: 1 },
  DetectDocumentTextModelVersion: '1.0',
  Blocks: [{ BlockType: 'PAGE', Id: 'page', Geometry: { BoundingBox: { Width: 1, Height: 1, Left: 0, Top: 0 }, Polygon: [{ X: 0, Y: 0 }, { X: 1, Y: 0 }, { X: 1, Y: 1 }, { X: 0, Y: 1 }] }, Relationships: [] }],
};

export async function startFakeTextract(options: { fixtures?: readonly TextractFixture[]; port?: number } = {}): Promise<FakeTextract> {
  const fixtures = options.fixtures ?? loadFixtures();
  const requests: RequestSeen[] = [];
  const perMatch = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<import('node:net').Socket>();

  const state: { fault: FakeTextract['fault'] } = { fault: undefined };

  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks), res).finally(() => {
        inFlight--;
      });
    });
  });

  const send = (res: http.ServerResponse, status: number, body: string): void => {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': `fake-${requests.length}` });
    res.end(body);
  };
  const error = (type: string, message: string): string => JSON.stringify({ __type: type, message });

  async function handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = String(req.headers['content-type'] ?? '');
    const auth = String(req.headers['authorization'] ?? '');
    const credential = /Credential=([^,]+)/.exec(auth)?.[1] ?? '';
    // Logged on arrival (a late answer to a request from before a reset() is not logged again).
    const entry: { -readonly [K in keyof RequestSeen]: RequestSeen[K] } = { at, target, contentType, credential, bytes: 0, format: '', width: 0, height: 0, match: null, status: 0 };
    requests.push(entry);
    const seen = (status: number, info: Partial<RequestSeen> = {}): void => {
      Object.assign(entry, info, { status });
    };
    if (req.method !== 'POST' || req.url !== '/' || target !== 'Textract.DetectDocumentText' || contentType !== 'application/x-amz-json-1.1') {
      seen(400);
      return send(res, 400, error('UnknownOperationException', 'not a DetectDocumentText request'));
    }
    if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !credential.endsWith('/textract/aws4_request')) {
      seen(400);
      return send(res, 400, error('MissingAuthenticationTokenException', 'Missing Authentication Token'));
    }
    let image: Buffer;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { Document?: { Bytes?: string } };
      image = Buffer.from(parsed.Document?.Bytes ?? '', 'base64');
    } catch {
      seen(400);
      return send(res, 400, error('SerializationException', 'body is not JSON'));
    }
    let format = '';
    let width = 0;
    let height = 0;
    let match: string | null = null;
    try {
      const meta = await sharp(image, { limitInputPixels: false }).metadata();
      format = meta.format ?? '';
      width = meta.width ?? 0;
      height = meta.height ?? 0;
    } catch {
      // not an image: UnsupportedDocument below
    }
    if (image.length > TEXTRACT_MAX_BYTES || Math.max(width, height) > TEXTRACT_MAX_SIDE) {
      seen(400, { bytes: image.length, format, width, height });
      return send(res, 400, error('DocumentTooLargeException', 'Document size limit exceeded'));
    }
    if (format !== 'jpeg' && format !== 'png') {
      seen(400, { bytes: image.length, format, width, height });
      return send(res, 400, error('UnsupportedDocumentException', 'Request has unsupported document format'));
    }
    const hash = await imageHash(image);
    let best: { f: TextractFixture; d: number } | undefined;
    for (const f of fixtures) {
      const d = hashDistance(hash, f.hash);
      if (!best || d < best.d) best = { f, d };
    }
    if (best && best.d <= SAME_IMAGE) match = best.f.name;
    const key = match ?? '';
    const n = (perMatch.get(key) ?? 0) + 1;
    perMatch.set(key, n);
    const fault = state.fault?.({ match, n, total: requests.length + 1 });
    const info = { bytes: image.length, format, width, height, match };
    const answer = (): void => {
      seen(200, info);
      send(res, 200, JSON.stringify(match && best ? best.f.response : EMPTY_PAGE));
    };
    if (!fault) return answer();
    switch (fault.kind) {
      case 'error':
        seen(fault.status, info);
        return send(res, fault.status, error(fault.type, fault.message ?? fault.type));
      case 'malformed': {
        seen(200, info);
        const full = JSON.stringify(match && best ? best.f.response : EMPTY_PAGE);
        return send(res, 200, full.slice(0, Math.max(10, Math.floor(full.length / 2))));
      }
      case 'raw':
        seen(fault.status, info);
        return send(res, fault.status, fault.body);
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs));
        return answer();
    }
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get fault() {
      return state.fault;
    },
    set fault(f) {
      state.fault = f;
    },
    reset() {
      requests.length = 0;
      perMatch.clear();
      maxInFlight = inFlight;
      state.fault = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '4599' }, fixtures: { type: 'string' } } });
  const fake = await startFakeTextract({ port: Number(values.port), ...(values.fixtures ? { fixtures: loadFixtures(values.fixtures) } : {}) });
  process.stdout.write(`fake Textract on ${fake.url} (Ctrl-C to stop)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
