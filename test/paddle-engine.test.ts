/**
 * The paddle engine end to end on the bundled synthetic samples: the real models through
 * onnxruntime-node, compared with the cards' truth files.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaddleEngine } from '../src/engines/paddle.ts';
import { DB_DEFAULTS } from '../src/engines/paddle/db-postprocess.ts';
import { detect } from '../src/engines/paddle/detect.ts';
import { defaultModelPaths } from '../src/engines/paddle/models.ts';
import { decodeRgb } from '../src/engines/paddle/pixels.ts';
import { openModels } from '../src/engines/paddle/sessions.ts';
import { InocrError } from '../src/errors.ts';

const CARDS = ['card-01', 'card-02', 'card-03', 'card-04'] as const;
const truth = (card: string): Record<string, string> => (JSON.parse(readFileSync(`samples/${card}.truth.json`, 'utf8')) as { fields: Record<string, string> }).fields;
const MRZ_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
/** The reader hands the engine grey PNGs; the samples are JPEGs. */
const png = (file: string, rotate = 0): Promise<Buffer> => sharp(readFileSync(file)).rotate(rotate).greyscale().png().toBuffer();

let engine: PaddleEngine;
beforeAll(async () => {
  engine = await PaddleEngine.create({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

describe('paddle engine on the samples', () => {
  it.each(CARDS)('%s back: the three MRZ lines exactly (spaces the model reads inside them aside)', async (card) => {
    const page = await engine.recognize(await png(`samples/${card}_back.jpg`), { layout: 'auto' });
    const f = truth(card);
    const lines = page.lines.map((l) => l.text.replace(/ /g, ''));
    expect(lines).toEqual(expect.arrayContaining([f.mz1, f.mz2, f.mz3]));
    // In reading order: line 1 above line 2 above line 3.
    expect(lines.indexOf(f.mz1!)).toBeLessThan(lines.indexOf(f.mz2!));
    expect(lines.indexOf(f.mz2!)).toBeLessThan(lines.indexOf(f.mz3!));
  });

  it.each(CARDS)('%s front: the field labels, the CURP and the clave de elector, word by word', async (card) => {
    const page = await engine.recognize(await png(`samples/${card}_front.jpg`), { layout: 'auto' });
    const words = new Set(page.lines.flatMap((l) => l.words.map((w) => w.text)));
    for (const label of ['NOMBRE', 'DOMICILIO', 'CURP', 'CLAVE', 'ELECTOR', 'SEXO', 'SECCION', 'VIGENCIA']) expect(words).toContain(label);
    const f = truth(card);
    expect(words).toContain(f.curp);
    expect(words).toContain(f.electoralId);
    expect(page.width).toBeGreaterThan(0);
    expect(page.text.split('\n')).toHaveLength(page.lines.length);
    for (const l of page.lines) for (const w of l.words) expect(w.bbox.x0).toBeGreaterThanOrEqual(l.bbox.x0 - 1);
  });

  it.each(CARDS)('%s back, its three longest lines only: the MRZ, nothing else recognised', async (card) => {
    const page = await engine.recognize(await png(`samples/${card}_back.jpg`), { layout: 'auto', longest: 3 });
    const f = truth(card);
    expect(page.lines.map((l) => l.text.replace(/ /g, ''))).toEqual([f.mz1, f.mz2, f.mz3]);
  });

  it('reads only the characters allowed: the MRZ alphabet on a back', async () => {
    const page = await engine.recognize(await png('samples/card-02_back.jpg'), { layout: 'block', charset: MRZ_CHARSET });
    expect(page.text.replace(/[\s]/g, '')).toMatch(/^[A-Z0-9<]+$/);
    expect(page.lines.map((l) => l.text.replace(/ /g, ''))).toContain(truth('card-02').mz1);
  });
});

describe('paddle engine orientation', () => {
  it.each([
    [0, 0],
    [90, 90],
    [180, 180],
    [270, 270],
  ])('a back turned %i° clockwise reports textAngle ≈ %i; turned back by it, its MRZ reads exactly', async (turn, angle) => {
    const page = await engine.recognize(await png('samples/card-01_back.jpg', turn), { layout: 'auto' });
    expect(page.textAngle).toBeDefined();
    const diff = Math.abs(((page.textAngle! - angle + 540) % 360) - 180);
    expect(diff).toBeLessThan(3);
    // What a caller does with it: one quarter-turn correction instead of four full passes.
    const quarter = (Math.round(page.textAngle! / 90) * 90) % 360;
    const upright = await sharp(await png('samples/card-01_back.jpg', turn)).rotate(-quarter).png().toBuffer();
    const f = truth('card-01');
    const lines = (await engine.recognize(upright, { layout: 'auto' })).lines.map((l) => l.text.replace(/ /g, ''));
    expect(lines.filter((l) => [f.mz1, f.mz2, f.mz3].includes(l))).toEqual([f.mz1, f.mz2, f.mz3]);
  });

  it('on a sideways page, reads lines in the page’s own order (MRZ line 1 before line 3)', async () => {
    const f = truth('card-01');
    for (const turn of [90, 270]) {
      const lines = (await engine.recognize(await png('samples/card-01_back.jpg', turn), { layout: 'auto' })).lines.map((l) => l.text.replace(/ /g, ''));
      expect(lines.indexOf(f.mz1!)).toBeGreaterThanOrEqual(0);
      expect(lines.indexOf(f.mz1!)).toBeLessThan(lines.indexOf(f.mz3!));
    }
  });
});

describe('paddle engine: the classifier checked by the recogniser', () => {
  it('an upright front whose every line the classifier calls upside down reads upright: the turns are undone', async () => {
    const fooled = await PaddleEngine.create({ threads: 1 });
    try {
      // The angle classifier replaced by one that answers 180° with p = 0.99 for every crop.
      const { cls } = (fooled as unknown as { models: { cls: { run: (input: Float32Array, dims: readonly number[]) => Promise<{ data: Float32Array; dims: number[] }> } } }).models;
      cls.run = async (_input, dims) => ({ data: Float32Array.from({ length: 2 * dims[0]! }, (_, i) => (i % 2 === 1 ? 0.99 : 0.01)), dims: [dims[0]!, 2] });
      const page = await fooled.recognize(await png('samples/card-01_front.jpg'), { layout: 'auto' });
      const diff = Math.abs(((page.textAngle! + 540) % 360) - 180);
      expect(diff).toBeLessThan(3);
      const words = new Set(page.lines.flatMap((l) => l.words.map((w) => w.text)));
      expect(words).toContain(truth('card-01').curp);
      expect(words).toContain('DOMICILIO');
    } finally {
      await fooled.close();
    }
  });
});

describe('paddle engine crops and lifecycle', () => {
  it('reads a crop the detector finds nothing in as one line when the caller says it is a line', async () => {
    const front = await png('samples/card-01_front.jpg');
    const page = await engine.recognize(front, { layout: 'auto' });
    // The sección, cut tight (3 px inside its word box), 60 px high: too tight for the detector.
    const section = truth('card-01').section!;
    const w = page.lines.flatMap((l) => l.words).find((x) => x.text === section)!;
    const crop = await sharp(front)
      .extract({ left: Math.round(w.bbox.x0) + 3, top: Math.round(w.bbox.y0) + 3, width: Math.round(w.bbox.x1 - w.bbox.x0) - 6, height: Math.round(w.bbox.y1 - w.bbox.y0) - 6 })
      .resize({ height: 60 })
      .png()
      .toBuffer();
    const models = await openModels(defaultModelPaths(), { intraOp: 1, interOp: 1, spin: false });
    try {
      expect(await detect(models.det, await decodeRgb(crop), 960, DB_DEFAULTS)).toHaveLength(0);
    } finally {
      await Promise.all([models.det.release(), models.cls.release(), models.rec.release()]);
    }
    expect((await engine.recognize(crop, { layout: 'auto' })).lines).toHaveLength(0);
    const asLine = await engine.recognize(crop, { layout: 'line', charset: '0123456789' });
    expect(asLine.text).toBe(section);
    expect(asLine.lines[0]!.bbox).toMatchObject({ x0: 0, y0: 0 });
  });

  it('stops between stages when the signal is aborted, with the signal’s reason', async () => {
    const ac = new AbortController();
    const work = engine.recognize(await png('samples/card-03_back.jpg'), { layout: 'auto', signal: ac.signal });
    ac.abort();
    await expect(work).rejects.toMatchObject({ name: 'AbortError' });
    const pre = new AbortController();
    pre.abort(new Error('timed out'));
    await expect(engine.recognize(Buffer.from('x'), { layout: 'auto', signal: pre.signal })).rejects.toThrow('timed out');
  });

  it('wraps model failures as INOCR007 and undecodable images as INOCR015', async () => {
    await expect(PaddleEngine.create({ models: { ...defaultModelPaths(), rec: 'test/fixtures/paddle/det-address.png' } })).rejects.toMatchObject({ code: 'INOCR007' });
    await expect(engine.recognize(Buffer.from('not an image'), { layout: 'auto' })).rejects.toMatchObject({ code: 'INOCR015' });
  });

  it('refuses work once closed, after finishing the work under way', async () => {
    const own = await PaddleEngine.create({ threads: 1 });
    const work = own.recognize(await png('samples/card-04_back.jpg'), { layout: 'auto' });
    const closing = own.close();
    await expect(work).resolves.toMatchObject({ lines: expect.any(Array) });
    await closing;
    const late = own.recognize(await png('samples/card-04_back.jpg'), { layout: 'auto' });
    await expect(late).rejects.toBeInstanceOf(InocrError);
    await expect(late).rejects.toMatchObject({ code: 'INOCR007' });
  });
});
