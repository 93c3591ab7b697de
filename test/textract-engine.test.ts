/**
 * The Textract engine: the real AWS SDK (@aws-sdk/client-textract) against the local fake
 * Textract (scripts/fake-textract.ts) on 127.0.0.1, with fake static credentials. Counts the
 * HTTP requests the server saw to check retries, and the INOCR code or run-level error each
 * fault ends in. Nothing here reaches AWS.
 */
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, startFakeTextract, type FakeTextract, type Fault, type TextractFixture } from '../scripts/fake-textract.ts';
import { InocrError, RunError } from '../src/errors.ts';
import { prepareForTextract, TextractEngine, textAngle, type TextractEngineOptions } from '../src/engines/textract.ts';
import { DEFAULT_TEXTRACT_TPS, TEXTRACT_MAX_BYTES, TEXTRACT_MAX_SIDE } from '../src/engines/textract-limits.ts';
import { extractBack } from '../src/extract/back.ts';
import { extractFront } from '../src/extract/front.ts';
import { cloudFrame, encodeForCloud, uprightPage } from '../src/pipeline/cloud.ts';
import { decodeToRaster, readImageFile } from '../src/pipeline/image.ts';
import { useAwsEnv } from './aws-env.ts';

/** The image the textract path sends for a sample side (what the fixtures were made for). */
async function sentImage(name: string): Promise<Buffer> {
  const side = name.endsWith('_back') ? 'back' : 'front';
  const raster = await decodeToRaster(await readImageFile(`samples/${name}.jpg`, side), 2000);
  return encodeForCloud((await cloudFrame(raster)).raster);
}

let fake: FakeTextract;
let restoreEnv: () => void;
let fixtures: TextractFixture[];
const images = new Map<string, Buffer>();
const engines: TextractEngine[] = [];

/** An engine on the fake server; fast limits so fault tests stay short. */
async function engine(opts: TextractEngineOptions = {}): Promise<TextractEngine> {
  const e = await TextractEngine.create({ endpoint: fake.url, tps: 200, maxAttempts: 3, ...opts });
  engines.push(e);
  return e;
}

async function image(name: string): Promise<Buffer> {
  let b = images.get(name);
  if (!b) images.set(name, (b = await sentImage(name)));
  return b;
}

const failure = async (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('expected a failure'), (e: unknown) => e);

beforeAll(async () => {
  restoreEnv = useAwsEnv();
  fixtures = loadFixtures();
  fake = await startFakeTextract({ fixtures });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  fake.reset();
});
afterAll(async () => {
  await fake.close();
  restoreEnv();
});

describe('TextractEngine: the OCR port', () => {
  it('maps LINE/WORD blocks to lines and words in pixels of the image sent, over a signed awsJson1_1 request', async () => {
    const e = await engine();
    const img = await image('card-01_front');
    const { width, height } = await sharp(img).metadata();
    const page = await e.recognize(img, { layout: 'auto' });
    const fx = fixtures.find((f) => f.name === 'card-01_front')!;
    type B = { BlockType: string; Text?: string; Geometry: { BoundingBox: { Left: number; Top: number; Width: number; Height: number } }; Relationships?: { Ids: string[] }[] };
    const lines = (fx.response.Blocks as B[]).filter((b) => b.BlockType === 'LINE');
    expect(page.width).toBe(width);
    expect(page.height).toBe(height);
    expect(page.lines.map((l) => l.text)).toEqual(lines.map((l) => l.Text));
    expect(page.text).toBe(lines.map((l) => l.Text).join('\n'));
    lines.forEach((l, i) => {
      const bb = l.Geometry.BoundingBox;
      const got = page.lines[i]!;
      expect(got.bbox.x0).toBeCloseTo(bb.Left * width!, 3);
      expect(got.bbox.y0).toBeCloseTo(bb.Top * height!, 3);
      expect(got.bbox.x1).toBeCloseTo((bb.Left + bb.Width) * width!, 3);
      expect(got.bbox.y1).toBeCloseTo((bb.Top + bb.Height) * height!, 3);
      expect(got.words).toHaveLength(l.Relationships![0]!.Ids.length);
      expect(got.polygon).toHaveLength(4);
    });
    expect(page.confidence).toBeGreaterThan(0);
    expect(page.confidence).toBeLessThanOrEqual(100);
    expect(page.textAngle).toBeCloseTo(0, 5);
    // The extractor reads it as it reads tesseract's output.
    expect(extractFront(page).labels.length).toBeGreaterThanOrEqual(5);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req).toMatchObject({ target: 'Textract.DetectDocumentText', contentType: 'application/x-amz-json-1.1', match: 'card-01_front', status: 200, format: 'jpeg' });
    expect(req.credential).toMatch(/^test\/\d{8}\/us-east-1\/textract\/aws4_request$/);
    expect(e.usage()).toEqual({ calls: 1, billed: 1, requests: 1 });
  });

  it('a card sent upside down: the text runs at 180°, and turned upright it reads as the side (one call)', async () => {
    const e = await engine();
    const page = await e.recognize(await image('card-04_back'), { layout: 'auto' });
    expect(Math.abs(((page.textAngle! % 360) + 360) % 360 - 180)).toBeLessThan(1);
    // As sent, the MRZ band is at the top of the image; upright, at the bottom of the card.
    expect(extractBack(page).band!.y1).toBeLessThan(page.height / 2);
    const up = uprightPage(page);
    expect(extractBack(up).mrz?.valid).toBe(true);
    expect(extractBack(up).band!.y0).toBeGreaterThan(up.height / 2);
    expect(fake.requests).toHaveLength(1);
  });

  // The levelling of tilted text is covered by the geometry tests in cloud.test.ts; the
  // photo sample is straightened well enough locally that what is sent is level.
  it('a photo straightened locally: the text angle is small, and levelled the front reads', async () => {
    const e = await engine();
    const page = await e.recognize(await image('card-03_front'), { layout: 'auto' });
    const tilt = ((page.textAngle! + 180) % 360) - 180;
    expect(Math.abs(tilt)).toBeLessThan(10);
    const front = extractFront(uprightPage(page));
    expect(front.labels.length).toBeGreaterThanOrEqual(5);
    expect(front.nameLines.length).toBeGreaterThanOrEqual(2);
  });

  it('the default rate is the lowest default quota (1 TPS)', () => {
    expect(DEFAULT_TEXTRACT_TPS).toBe(1);
  });
});

describe('TextractEngine: faults', () => {
  const throttled: Fault = { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };

  it('throttling is retried with backoff: two ThrottlingExceptions, then the page (3 requests, 1 call, 1 billed)', async () => {
    const e = await engine();
    fake.fault = ({ n }) => (n <= 2 ? throttled : undefined);
    const page = await e.recognize(await image('card-02_back'), { layout: 'auto' });
    expect(page.lines.length).toBeGreaterThan(0);
    expect(fake.requests.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(e.usage()).toEqual({ calls: 1, billed: 1, requests: 3 });
  });

  it('throttled past the attempts allowed: INOCR007, after exactly maxAttempts requests', async () => {
    const e = await engine({ maxAttempts: 3 });
    fake.fault = () => throttled;
    const err = await failure(e.recognize(await image('card-02_back'), { layout: 'auto' }));
    expect(err).toBeInstanceOf(InocrError);
    expect(err).toMatchObject({ code: 'INOCR007' });
    expect((err as Error).message).toMatch(/after 3 attempts.*ThrottlingException/);
    expect(fake.requests).toHaveLength(3);
    expect(e.usage()).toEqual({ calls: 1, billed: 0, requests: 3 });
  });

  it('ProvisionedThroughputExceededException (Textract\'s own throttling error) is retried too', async () => {
    const e = await engine();
    fake.fault = ({ n }) => (n === 1 ? { kind: 'error', status: 400, type: 'ProvisionedThroughputExceededException' } : undefined);
    await e.recognize(await image('card-02_back'), { layout: 'auto' });
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  it('a 500 then a 503 are retried; 5xx on every attempt is INOCR007 after maxAttempts', async () => {
    const e = await engine({ maxAttempts: 4 });
    fake.fault = ({ n }) => (n === 1 ? { kind: 'error', status: 500, type: 'InternalServerError' } : n === 2 ? { kind: 'raw', status: 503, body: '<html>Service Unavailable</html>' } : undefined);
    await e.recognize(await image('card-01_back'), { layout: 'auto' });
    expect(fake.requests.map((r) => r.status)).toEqual([500, 503, 200]);

    fake.reset();
    fake.fault = () => ({ kind: 'error', status: 500, type: 'InternalServerError', message: 'boom' });
    const err = await failure(e.recognize(await image('card-01_back'), { layout: 'auto' }));
    expect(err).toMatchObject({ code: 'INOCR007' });
    expect((err as Error).message).toMatch(/after 4 attempts: HTTP 500 InternalServerError/);
    expect(fake.requests).toHaveLength(4);
  });

  it('a 200 whose body is cut-off JSON: INOCR009 at once (not retried), and the message holds none of the body', async () => {
    const e = await engine();
    fake.fault = () => ({ kind: 'malformed' });
    const err = await failure(e.recognize(await image('card-01_front'), { layout: 'auto' }));
    expect(err).toMatchObject({ code: 'INOCR009' });
    expect((err as Error).message).toMatch(/could not be decoded \(HTTP 200/);
    // Card text must not leak into rows and logs through the parser's message.
    expect((err as Error).message).not.toMatch(/Blocks|INSTITUTO|NOMBRE/);
    expect(fake.requests).toHaveLength(1);
  });

  it('JSON that is not a DetectDocumentText answer: INOCR009', async () => {
    const e = await engine();
    for (const body of ['{"Blocks":"nope"}', '{}', '{"Blocks":[{"BlockType":"LINE","Text":"X"}]}', '{"Blocks":[{"BlockType":"LINE","Text":"X","Geometry":{"BoundingBox":{"Left":0,"Top":0,"Width":0.1,"Height":0.1}},"Relationships":[{"Type":"CHILD","Ids":["missing"]}]}]}']) {
      fake.fault = () => ({ kind: 'raw', status: 200, body });
      const err = await failure(e.recognize(await image('card-01_front'), { layout: 'auto' }));
      expect(err, body).toMatchObject({ code: 'INOCR009' });
    }
  });

  it('an answer slower than the request timeout is retried, then INOCR007; a slow answer within it is fine', async () => {
    const e = await engine({ requestTimeoutMs: 400, maxAttempts: 2 });
    fake.fault = () => ({ kind: 'slow', delayMs: 1500 });
    const t0 = Date.now();
    const err = await failure(e.recognize(await image('card-01_back'), { layout: 'auto' }));
    expect(err).toMatchObject({ code: 'INOCR007' });
    expect((err as Error).message).toMatch(/TimeoutError/);
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - t0).toBeLessThan(1500 * 2);

    fake.fault = () => ({ kind: 'slow', delayMs: 100 });
    const page = await e.recognize(await image('card-01_back'), { layout: 'auto' });
    expect(page.lines.length).toBeGreaterThan(0);
  });

  it('a document Textract refuses (BadDocumentException) is that card\'s INOCR007, not a run-level error', async () => {
    const e = await engine();
    fake.fault = () => ({ kind: 'error', status: 400, type: 'BadDocumentException', message: 'Request has unsupported document format' });
    const err = await failure(e.recognize(await image('card-01_back'), { layout: 'auto' }));
    expect(err).toBeInstanceOf(InocrError);
    expect(err).toMatchObject({ code: 'INOCR007' });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['UnrecognizedClientException', 400],
    ['InvalidSignatureException', 400],
    ['AccessDeniedException', 400],
    ['ExpiredTokenException', 400],
    ['MissingAuthenticationTokenException', 403],
  ])('refused credentials (%s) are a run-level error at the first request, never retried', async (type, status) => {
    const e = await engine();
    fake.fault = () => ({ kind: 'error', status, type, message: 'The security token included in the request is invalid.' });
    const err = await failure(e.recognize(await image('card-01_back'), { layout: 'auto' }));
    expect(err).toBeInstanceOf(RunError);
    expect((err as Error).message).toContain(type);
    expect((err as Error).message).toMatch(/AWS_ACCESS_KEY_ID|AWS_PROFILE/);
    expect(fake.requests).toHaveLength(1);
  });

  it('a proxy\'s HTML 403 is run-level too', async () => {
    const e = await engine();
    fake.fault = () => ({ kind: 'raw', status: 403, body: '<html>Forbidden</html>' });
    const err = await failure(e.recognize(await image('card-01_back'), { layout: 'auto' }));
    expect(err).toBeInstanceOf(RunError);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('TextractEngine: lifecycle', () => {
  it('close() lets a call under way finish (its socket is not cut, so the SDK does not send it again); later calls fail without a request', async () => {
    const e = await TextractEngine.create({ endpoint: fake.url, tps: 200, maxAttempts: 3 });
    fake.fault = () => ({ kind: 'slow', delayMs: 300 });
    const img = await image('card-01_back');
    const call = e.recognize(img, { layout: 'auto' });
    for (let i = 0; i < 100 && fake.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.requests).toHaveLength(1);
    await e.close();
    expect((await call).lines.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
    await expect(e.recognize(img, { layout: 'auto' })).rejects.toMatchObject({ code: 'INOCR007' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('TextractEngine: start-up checks', () => {
  it('no credentials anywhere: RunError at create, before any request', async () => {
    const restore = useAwsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const err = await failure(TextractEngine.create({ endpoint: fake.url }));
      expect(err).toBeInstanceOf(RunError);
      expect((err as Error).message).toMatch(/No AWS credentials/);
      expect(fake.requests).toHaveLength(0);
    } finally {
      restore();
    }
  });

  it('no region: RunError at create naming the ways to set one', async () => {
    const restore = useAwsEnv({ AWS_REGION: undefined });
    try {
      const err = await failure(TextractEngine.create({ endpoint: fake.url }));
      expect(err).toBeInstanceOf(RunError);
      expect((err as Error).message).toMatch(/AWS_REGION.*--textract-region/);
      const withRegion = await engine({ region: 'eu-west-1' });
      await withRegion.recognize(await image('card-01_back'), { layout: 'auto' });
      expect(fake.requests[0]!.credential).toMatch(/\/eu-west-1\/textract\/aws4_request$/);
    } finally {
      restore();
    }
  });
});

describe('TextractEngine: Textract limits', () => {
  it('an image over 10000 px a side is downscaled before it is sent; boxes still map to the caller\'s pixels', async () => {
    const e = await engine();
    const wide = await sharp({ create: { width: TEXTRACT_MAX_SIDE + 2000, height: 300, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const page = await e.recognize(wide, { layout: 'auto' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.status).toBe(200);
    expect(fake.requests[0]!.width).toBeLessThanOrEqual(TEXTRACT_MAX_SIDE);
    expect(page.width).toBe(TEXTRACT_MAX_SIDE + 2000);
    expect(page.height).toBe(300);
  });

  it('an image over 5 MB is re-encoded under the limit; a WebP is re-encoded as JPEG', async () => {
    const e = await engine();
    const noise = Buffer.alloc(1500 * 1500 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: 1500, height: 1500, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    expect(big.length).toBeGreaterThan(TEXTRACT_MAX_BYTES);
    await e.recognize(big, { layout: 'auto' });
    const webp = await sharp({ create: { width: 400, height: 250, channels: 3, background: '#eeeeee' } }).webp().toBuffer();
    await e.recognize(webp, { layout: 'auto' });
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.requests[0]!.bytes).toBeLessThanOrEqual(TEXTRACT_MAX_BYTES);
    expect(fake.requests.map((r) => r.format)).toEqual(['jpeg', 'jpeg']);
  });

  it('an image within the limits is sent as it is', async () => {
    const img = await image('card-01_back');
    const p = await prepareForTextract(img);
    expect(p.reencoded).toBe(false);
    expect(p.bytes).toBe(img);
  });
});

describe('TextractEngine: rate and concurrency', () => {
  it('--textract-tps spaces every request (retries included) 1/tps apart', async () => {
    const e = await engine({ tps: 10, concurrency: 8 });
    const img = await image('card-01_back');
    fake.fault = ({ total }) => (total === 3 ? { kind: 'error', status: 500, type: 'InternalServerError' } : undefined);
    await Promise.all(Array.from({ length: 6 }, () => e.recognize(img, { layout: 'auto' })));
    const at = fake.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(at).toHaveLength(7);
    // 7 requests at 10/s: the last leaves at least 600 ms after the first (timer slack allowed).
    expect(at[6]! - at[0]!).toBeGreaterThanOrEqual(550);
  });

  it('requests in flight never exceed the concurrency (-j)', async () => {
    const e = await engine({ concurrency: 2 });
    const img = await image('card-01_back');
    fake.fault = () => ({ kind: 'slow', delayMs: 150 });
    await Promise.all(Array.from({ length: 6 }, () => e.recognize(img, { layout: 'auto' })));
    expect(fake.requests).toHaveLength(6);
    expect(fake.maxInFlight).toBe(2);
  });
});

describe('textAngle', () => {
  // A line's polygon from its own top-left corner, for text running at `deg` (clockwise).
  const line = (deg: number, text = 'TEXT LINE'): { text: string; polygon: { x: number; y: number }[] } => {
    const r = (deg * Math.PI) / 180;
    const [ux, uy, vx, vy] = [Math.cos(r) * 100, Math.sin(r) * 100, -Math.sin(r) * 10, Math.cos(r) * 10];
    return { text, polygon: [{ x: 500, y: 500 }, { x: 500 + ux, y: 500 + uy }, { x: 500 + ux + vx, y: 500 + uy + vy }, { x: 500 + vx, y: 500 + vy }] };
  };
  it.each([0, 90, 180, 270, 353, 6])('text running at %s° reads as %s°', (deg) => {
    expect(textAngle([line(deg), line(deg)])).toBeCloseTo(deg, 6);
  });
  it('the longer text wins; lines of other quarters do not bend the angle', () => {
    expect(textAngle([line(180, 'A LONG LINE OF CARD TEXT'), line(178, 'ANOTHER LONG LINE'), line(90, 'X')])).toBeCloseTo(179, 0);
  });
  it('no polygons: 0', () => {
    expect(textAngle([{ text: 'A' }])).toBe(0);
  });
});
