/**
 * Capture quality (sharpness, glare, resolution) on built images, and the card photo's
 * region: located from the text beside it, reported in the coordinates of the image given,
 * whatever its rotation, and cut out on request.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardReader } from '../src/pipeline/reader.ts';
import { measureQuality, QUALITY_LIMITS } from '../src/pipeline/quality.ts';
import { generateIdentity } from '../src/synth/identity.ts';
import { renderBack, renderFront, type FrontLayout } from '../src/synth/render.ts';
import { createRng } from '../src/synth/rng.ts';
import { textImage, tmpDir, writeFile } from './helpers.ts';

async function grey(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).greyscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('measureQuality', () => {
  const page = textImage(['CLAVE DE ELECTOR GMVLMR80010109M100', 'CURP GOVM800101MDFMLR05', 'DOMICILIO C INDEPENDENCIA 25'], 1000, 600);

  it('finds crisp print sharp and a blurred copy blurry', async () => {
    const crisp = await measureQuality(await grey(page), false, 1000);
    const blurred = await measureQuality(await grey(await sharp(page).blur(5).png().toBuffer()), false, 1000);
    expect(crisp.sharpness).toBeGreaterThan(QUALITY_LIMITS.minSharpness);
    expect(crisp.problems).not.toContain('blurry');
    expect(blurred.sharpness).toBeLessThan(crisp.sharpness / 2);
    expect(blurred.problems).toContain('blurry');
    expect(blurred.verdict).toBe('poor');
  });

  it('counts a washed-out patch as glare, but not white print on the card', async () => {
    const w = 1000;
    const h = 630;
    // A mid-grey card with text and white boxes holding dark squares (like QR quiet zones).
    const base = await sharp({ create: { width: w, height: h, channels: 3, background: '#c8c0cc' } })
      .composite([
        { input: Buffer.from('<svg width="600" height="80"><text x="10" y="50" font-size="36" fill="#222">INSTITUTO NACIONAL ELECTORAL</text></svg>'), left: 300, top: 480 },
        ...[60, 260].map((left) => ({
          input: Buffer.from(
            `<svg width="160" height="160"><rect width="160" height="160" fill="#fff"/>${Array.from({ length: 36 }, (_, k) => `<rect x="${12 + (k % 6) * 23}" y="${12 + Math.floor(k / 6) * 23}" width="14" height="14" fill="${(k * 7) % 3 ? '#000' : '#fff'}"/>`).join('')}</svg>`,
          ),
          left,
          top: 60,
        })),
      ])
      .png()
      .toBuffer();
    const clean = await measureQuality(await grey(base), true, 1000);
    expect(clean.glare).toBeLessThan(QUALITY_LIMITS.maxGlare / 2);
    expect(clean.problems).not.toContain('glare');
    const glare = Buffer.from(
      `<svg width="${w}" height="${h}"><defs><radialGradient id="g"><stop offset="0.6" stop-color="#fff" stop-opacity="1"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="600" cy="300" rx="220" ry="170" fill="url(#g)"/></svg>`,
    );
    const glared = await measureQuality(await grey(await sharp(base).composite([{ input: glare }]).png().toBuffer()), true, 1000);
    expect(glared.glare).toBeGreaterThan(QUALITY_LIMITS.maxGlare);
    expect(glared.problems).toEqual(['glare']);
  });

  it('reports a card with too few pixels as low resolution', async () => {
    const q = await measureQuality(await grey(page), true, 420);
    expect(q.cardPixels).toBe(420);
    expect(q.problems).toContain('low-resolution');
  });
});

describe('face region', () => {
  let reader: CardReader;
  const dir = tmpDir('ine-ocr-face-');
  const layout: FrontLayout = {};
  let front: Buffer;
  let back: Buffer;

  beforeAll(async () => {
    reader = await CardReader.create({ engine: 'tesseract', workers: 1, maxBytes: 5 * 1024 * 1024, saveFaceDir: dir });
    const rng = createRng('face-region');
    const card = generateIdentity(rng);
    front = renderFront(card, rng.fork('front'), layout);
    back = renderBack(card, rng.fork('back'));
  }, 60_000);
  afterAll(() => reader.close());

  /** Overlap (intersection over union) of the reported quad's bounds with a box. */
  function iou(region: string, box: { x0: number; y0: number; x1: number; y1: number }): number {
    const pts = region.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const a = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    const ix = Math.max(0, Math.min(a.x1, box.x1) - Math.max(a.x0, box.x0));
    const iy = Math.max(0, Math.min(a.y1, box.y1) - Math.max(a.y0, box.y0));
    const inter = ix * iy;
    const area = (b: typeof a): number => (b.x1 - b.x0) * (b.y1 - b.y0);
    return inter / (area(a) + area(box) - inter);
  }

  it('covers the printed photo, in the coordinates of the image given, and saves the crop', async () => {
    const p = layout.photo!;
    const rec = await reader.read({ id: 'upright', front: writeFile(dir, 'upright_front.png', front), back: writeFile(dir, 'upright_back.png', back) });
    expect(rec.status).toBe('ok');
    expect(iou(rec.faceRegion, { x0: p.x, y0: p.y, x1: p.x + p.w, y1: p.y + p.h })).toBeGreaterThan(0.6);
    const crop = path.join(dir, 'upright_face.jpg');
    expect(existsSync(crop)).toBe(true);
    const meta = await sharp(crop).metadata();
    expect(meta.height! / meta.width!).toBeGreaterThan(1.1);
    expect(meta.channels).toBe(3);
  }, 60_000);

  it('follows the image when the front was given upside down: the corners start at the photo top-left', async () => {
    const p = layout.photo!;
    const meta = await sharp(front).metadata();
    const W = meta.width!;
    const H = meta.height!;
    const turned = await sharp(front).rotate(180).png().toBuffer();
    const rec = await reader.read({ id: 'turned', front: writeFile(dir, 'turned_front.png', turned), back: writeFile(dir, 'turned_back.png', back) });
    expect(rec.status).toBe('ok');
    expect(iou(rec.faceRegion, { x0: W - p.x - p.w, y0: H - p.y - p.h, x1: W - p.x, y1: H - p.y })).toBeGreaterThan(0.6);
    // The first corner is the photo's own top-left: bottom-right in the turned image.
    const [x, y] = rec.faceRegion.split(' ')[0]!.split(',').map(Number) as [number, number];
    expect(x).toBeGreaterThan(W / 2);
    expect(y).toBeGreaterThan(H / 2);
  }, 60_000);
});
