/**
 * The paddle engine in worker threads (the engine `local` and `paddle` use): the same pages as
 * the engine on the caller's thread, calls spread over the threads, an aborted call rejected
 * without waiting for its page, close() after the calls under way. Runs the compiled thread
 * script (`npm test` builds first).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaddleEngine } from '../src/engines/paddle.ts';
import { PaddlePool } from '../src/engines/paddle-pool.ts';
import { InocrError } from '../src/errors.ts';

const png = (file: string): Promise<Buffer> => sharp(readFileSync(file)).greyscale().png().toBuffer();

let pool: PaddlePool;
let single: PaddleEngine;
beforeAll(async () => {
  pool = await PaddlePool.create({ workers: 2 });
  single = await PaddleEngine.create({ threads: 1 });
});
afterAll(async () => {
  await pool.close();
  await single.close();
});

describe('paddle pool', () => {
  it('reads each page as the engine does on its own thread, two at once', async () => {
    const images = await Promise.all(['samples/card-01_back.jpg', 'samples/card-03_front.jpg'].map(png));
    const fromPool = await Promise.all(images.map((img) => pool.recognize(img, { layout: 'auto' })));
    for (const [i, img] of images.entries()) {
      const direct = await single.recognize(img, { layout: 'auto' });
      expect(fromPool[i]!.text).toBe(direct.text);
      expect(fromPool[i]!.lines.map((l) => l.bbox)).toEqual(direct.lines.map((l) => l.bbox));
    }
  });

  it('grey pixels read as the PNG of the same pixels, on the pool and on the caller’s thread', async () => {
    const { data, info } = await sharp(readFileSync('samples/card-03_front.jpg')).greyscale().raw().toBuffer({ resolveWithObject: true });
    const pixels = { data: new Uint8Array(data), width: info.width, height: info.height };
    const encoded = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer();
    const fromPng = await single.recognize(encoded, { layout: 'auto' });
    for (const engine of [pool, single]) {
      const page = await engine.recognizePixels(pixels, { layout: 'auto' });
      expect(page.text).toBe(fromPng.text);
      expect(page.lines.map((l) => l.bbox)).toEqual(fromPng.lines.map((l) => l.bbox));
    }
    expect(pixels.data.length).toBe(info.width * info.height);
    await expect(single.recognizePixels({ data: new Uint8Array(10), width: 10, height: 10 * 2 }, { layout: 'auto' })).rejects.toMatchObject({ code: 'INOCR015' });
  });

  it('an aborted call is rejected with the signal’s reason; the pool reads on', async () => {
    const img = await png('samples/card-02_back.jpg');
    const controller = new AbortController();
    const call = pool.recognize(img, { layout: 'auto', signal: controller.signal });
    const reason = new InocrError('INOCR007', 'timed out');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    const page = await pool.recognize(img, { layout: 'auto' });
    expect(page.lines.length).toBeGreaterThan(3);
  });

  it('close() waits for the calls under way, then refuses new ones with INOCR007', async () => {
    const other = await PaddlePool.create({ workers: 1 });
    const img = await png('samples/card-04_back.jpg');
    const call = other.recognize(img, { layout: 'auto' });
    await other.close();
    await expect(call).resolves.toMatchObject({ width: expect.any(Number) });
    await expect(other.recognize(img, { layout: 'auto' })).rejects.toMatchObject({ code: 'INOCR007' });
  });
});
