/**
 * The reader's cloud path: geometry turned upright and level (pure), the hybrid's decisions
 * (pure, on recorded OCR), and whole cards through CardReader with the real Textract engine on
 * the local fake: how many calls a card costs, and what a failed escalation leaves.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTextract, type FakeTextract } from '../scripts/fake-textract.ts';
import type { OcrEngine, OcrResult } from '../src/engines/types.ts';
import { extractBack } from '../src/extract/back.ts';
import { extractFront, frontScore, validCodes } from '../src/extract/front.ts';
import { quarterTurnFor, tiltAfterQuarterTurn, turnBox, turnPoint, turnedSize, uprightPage } from '../src/pipeline/cloud.ts';
import { turnRaster, type Rotation } from '../src/pipeline/image.ts';
import { backFails, betterBack, betterFront, frontFails } from '../src/pipeline/hybrid.ts';
import { CardReader, type ReadTrace } from '../src/pipeline/reader.ts';
import { toInputPoints, type SideGeometry } from '../src/reading/geometry.ts';
import { FIELD_NAMES, type CardFields } from '../src/record.ts';
import { useAwsEnv } from './aws-env.ts';
import { ocrOf } from './ocr-builder.ts';

const fixture = (id: string): { front: OcrResult; back: OcrResult[] } => JSON.parse(readFileSync(`test/fixtures/ocr/${id}.json`, 'utf8')) as { front: OcrResult; back: OcrResult[] };
const truth = (id: string): CardFields => (JSON.parse(readFileSync(`samples/${id}.truth.json`, 'utf8')) as { fields: CardFields }).fields;

describe('turning geometry', () => {
  it.each([0, 90, 180, 270, 7, -7, 33])('a point turned by %s° and back lands where it was', (deg) => {
    const [w, h] = [1000, 640];
    const [x, y] = turnPoint(123, 456, deg, w, h);
    const size = turnedSize(w, h, deg);
    const [bx, by] = turnPoint(x, y, -deg, size.width, size.height);
    const back = turnedSize(size.width, size.height, -deg);
    // Turning back grows the canvas again: compare about the centres.
    expect(bx - back.width / 2).toBeCloseTo(123 - w / 2, 6);
    expect(by - back.height / 2).toBeCloseTo(456 - h / 2, 6);
  });

  it('quarter turns are exact and keep boxes inside the turned image', () => {
    expect(turnPoint(0, 0, 90, 1000, 640)).toEqual([640, 0]);
    expect(turnBox({ x0: 10, y0: 20, x1: 110, y1: 40 }, 180, 1000, 640)).toEqual({ x0: 890, y0: 600, x1: 990, y1: 620 });
    expect(turnedSize(1000, 640, 270)).toEqual({ width: 640, height: 1000 });
    expect(quarterTurnFor(90)).toBe(270);
    expect(quarterTurnFor(180)).toBe(180);
    expect(quarterTurnFor(-4)).toBe(0);
  });

  it('the tilt left after the quarter turn: signed, within ±45°', () => {
    // Text running at 354.3° (tilted up 5.7°): no quarter turn, 5.7° clockwise to level it.
    expect(tiltAfterQuarterTurn(354.3)).toBeCloseTo(5.7, 6);
    expect(tiltAfterQuarterTurn(4)).toBeCloseTo(-4, 6);
    // Running down the page, 3° short of vertical: a quarter turn (270) and 3° more.
    expect(quarterTurnFor(87)).toBe(270);
    expect(tiltAfterQuarterTurn(87)).toBeCloseTo(3, 6);
    expect(tiltAfterQuarterTurn(180)).toBe(0);
  });

  it.each([
    [0, 5.7],
    [90, 3],
    [180, -4],
  ])('a point of an image sharp turned by %s° and %s° more is found again in the image as given', async (rotation, degrees) => {
    // A dark dot on a light image, turned by libvips as the reader turns a tilted frame.
    const [w, h, dot] = [400, 250, { x: 300, y: 60 }];
    const data = Buffer.alloc(w * h, 230);
    for (let y = dot.y - 2; y <= dot.y + 2; y++) for (let x = dot.x - 2; x <= dot.x + 2; x++) data[y * w + x] = 0;
    const turned = await turnRaster({ data, width: w, height: h }, rotation + degrees);
    let [sx, sy, n] = [0, 0, 0];
    for (let y = 0; y < turned.height; y++) {
      for (let x = 0; x < turned.width; x++) {
        if (turned.data[y * turned.width + x]! < 100) [sx, sy, n] = [sx + x, sy + y, n + 1];
      }
    }
    const geometry: SideGeometry = { rotation: rotation as Rotation, width: w, height: h, scale: 1, level: { degrees, width: turned.width, height: turned.height } };
    const [back] = await toInputPoints([{ x: sx / n, y: sy / n }], geometry);
    expect(Math.abs(back!.x - dot.x)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(back!.y - dot.y)).toBeLessThanOrEqual(1.5);
  });

  /** A page as an engine would report it for the layout turned by `deg` (text running at `deg`), polygons included. */
  function sentTurned(page: OcrResult, deg: number): OcrResult {
    const poly = (b: { x0: number; y0: number; x1: number; y1: number }): { x: number; y: number }[] =>
      [
        [b.x0, b.y0],
        [b.x1, b.y0],
        [b.x1, b.y1],
        [b.x0, b.y1],
      ].map(([x, y]) => turnPoint(x!, y!, deg, page.width, page.height)).map(([x, y]) => ({ x, y }));
    const hullOf = (p: { x: number; y: number }[]) => ({ x0: Math.min(...p.map((q) => q.x)), y0: Math.min(...p.map((q) => q.y)), x1: Math.max(...p.map((q) => q.x)), y1: Math.max(...p.map((q) => q.y)) });
    const size = turnedSize(page.width, page.height, deg);
    // Listed bottom-up, as an engine may list a turned page.
    const lines = [...page.lines].reverse().map((l) => ({ ...l, polygon: poly(l.bbox), bbox: hullOf(poly(l.bbox)), words: l.words.map((w) => ({ ...w, polygon: poly(w.bbox), bbox: hullOf(poly(w.bbox)) })) }));
    return { ...page, lines, text: lines.map((l) => l.text).join('\n'), width: size.width, height: size.height, textAngle: deg };
  }

  it.each([90, 180, 270, 5, -8])('a front sent turned by %s°: upright again, boxes where they were, lines top to bottom', (deg) => {
    const page = fixture('card-0001').front;
    const up = uprightPage(sentTurned(page, deg));
    // A tilt grows the canvas each way it is turned: the card sits in the middle of a larger frame.
    const grown = turnedSize(turnedSize(page.width, page.height, deg).width, turnedSize(page.width, page.height, deg).height, -deg);
    expect(up.width).toBeCloseTo(grown.width, 0);
    expect(up.height).toBeCloseTo(grown.height, 0);
    const [dx, dy] = [(grown.width - page.width) / 2, (grown.height - page.height) / 2];
    const orderOf = (p: OcrResult): string[] => [...p.lines].sort((a, b) => a.bbox.y0 + a.bbox.y1 - b.bbox.y0 - b.bbox.y1).map((l) => l.text);
    expect(up.lines.map((l) => l.text)).toEqual(orderOf(page));
    for (const l of up.lines) {
      const orig = page.lines.find((o) => o.text === l.text)!;
      expect(Math.abs(l.bbox.x0 - dx - orig.bbox.x0)).toBeLessThan(1);
      expect(Math.abs(l.bbox.y1 - dy - orig.bbox.y1)).toBeLessThan(1);
    }
    expect(extractFront(up)).toEqual(extractFront({ ...page, lines: up.lines, text: up.text }));
  });

  it('text already level is left as the engine gave it', () => {
    const page = { ...fixture('card-0001').front, textAngle: 0.1 };
    expect(uprightPage(page)).toBe(page);
  });
});

describe('hybrid: which sides go to the cloud, and which reading is kept', () => {
  const good = fixture('card-0001');
  const front = extractFront(good.front);
  const back = extractBack({ ...good.back[0]!, text: good.back.map((p) => p.text).join('\n') });

  it('a back whose MRZ passes its check digits stays local; no MRZ, or failing digits, goes', () => {
    expect(back.mrz?.valid).toBe(true);
    expect(backFails(back)).toBeUndefined();
    expect(backFails(extractBack(ocrOf([{ x: 10, y: 10, text: 'NOTHING HERE' }])))).toBe('no MRZ read');
    const broken = extractBack(ocrOf([
      { x: 10, y: 400, text: 'IDMEX1234567890<<0123456789012' },
      { x: 10, y: 440, text: '9001014H3012315MEX<02<<12345<7' },
      { x: 10, y: 480, text: 'PEREZ<LOPEZ<<JUAN<<<<<<<<<<<<<' },
    ]));
    expect(broken.mrz).not.toBeNull();
    expect(backFails(broken)).toBe('MRZ check digits fail');
    expect(betterBack(broken, back)).toBe(back);
    expect(betterBack(back, broken)).toBe(back);
  });

  it('a front with a valid CURP and clave, names and birth date stays local; otherwise it goes, and the better reading is kept', () => {
    expect(frontFails(front)).toBeUndefined();
    const noCurp = { ...front, curp: '' };
    expect(frontFails(noCurp)).toBe('no CURP');
    const bad = { ...front, curp: front.curp.replace(/.$/, (c) => (c === '0' ? '1' : '0')), nameLines: front.nameLines.slice(0, 1) };
    expect(frontFails(bad)).toBe('CURP invalid, name lines missing');
    expect(betterFront(bad, front)).toBe(front);
    expect(betterFront(front, bad)).toBe(front);
  });

  it('betterFront: codes that pass their checks first, then how much of the card was found (frontScore)', () => {
    // More labels read, but a CURP failing its check digit: the reading with the valid CURP wins.
    const manyLabels = { ...front, curp: front.curp.replace(/.$/, (c) => (c === '0' ? '1' : '0')), labels: [...front.labels, 'x1', 'x2', 'x3', 'x4'] };
    const fewLabels = { ...front, labels: front.labels.slice(0, 2) };
    expect(validCodes(manyLabels)).toBe(validCodes(fewLabels) - 1);
    expect(frontScore(manyLabels)).toBeGreaterThan(frontScore(fewLabels));
    expect(betterFront(manyLabels, fewLabels)).toBe(fewLabels);
    expect(betterFront(fewLabels, manyLabels)).toBe(fewLabels);
    // Same codes: the one that found more of the card; a tie goes to the cloud's (the second).
    expect(betterFront(fewLabels, front)).toBe(front);
    expect(betterFront(front, fewLabels)).toBe(front);
    const copy = { ...front };
    expect(betterFront(front, copy)).toBe(copy);
  });
});

describe('CardReader with a cloud engine (real SDK, local fake Textract)', () => {
  let fake: FakeTextract;
  let restoreEnv: () => void;
  const readers: CardReader[] = [];
  const S = (n: string): string => path.join('samples', n);
  const textract = async (): Promise<CardReader> => {
    const r = await CardReader.create({ engine: 'textract', workers: 2, maxBytes: 5 * 1024 * 1024, textract: { endpoint: fake.url, tps: 100, maxAttempts: 2 } });
    readers.push(r);
    return r;
  };

  beforeAll(async () => {
    restoreEnv = useAwsEnv();
    fake = await startFakeTextract();
  });
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.close()));
    fake.reset();
  });
  afterAll(async () => {
    await fake.close();
    restoreEnv();
  });

  it('a card scanned upside down costs one call per side: no orientation tries, the turn comes from the text direction', async () => {
    const reader = await textract();
    const trace: ReadTrace = {};
    const rec = await reader.read({ id: 'card-04', front: S('card-04_front.jpg'), back: S('card-04_back.jpg') }, trace);
    expect(rec.status).toBe('ok');
    expect(trace.front).toMatchObject({ ocrCalls: 1, rotation: 180 });
    expect(trace.back).toMatchObject({ ocrCalls: 1, rotation: 180 });
    const t = truth('card-04');
    for (const f of ['mz1', 'mz2', 'mz3', 'curp', 'electoralId', 'dateOfBirth', 'name', 'firstLastName'] as const) expect(rec[f], f).toBe(t[f]);
    expect(reader.cloudUsage()).toEqual({ engine: 'textract', calls: 2, billed: 2, requests: 2 });
    expect(fake.requests.map((r) => r.match).sort()).toEqual(['card-04_back', 'card-04_front']);
  });

  it.each([
    ['front first', 'card-02_front.jpg', 'card-02_back.jpg'],
    ['back first', 'card-02_back.jpg', 'card-02_front.jpg'],
  ])('a pair whose sides are unknown (%s) costs two calls: the image tried as the back is not sent again as the front', async (_o, a, b) => {
    const reader = await textract();
    const rec = await reader.readUnsided('card-02', [S(a), S(b)]);
    expect(rec.status).toBe('ok');
    expect(rec.back).toBe(S('card-02_back.jpg'));
    expect(rec.curp).toBe(truth('card-02').curp);
    expect(reader.cloudUsage()?.calls).toBe(2);
    expect(fake.requests).toHaveLength(2);
  });

  it('every field from the recorded responses matches the truth on a flat scan', async () => {
    const reader = await textract();
    const rec = await reader.read({ id: 'card-01', front: S('card-01_front.jpg'), back: S('card-01_back.jpg') });
    const t = truth('card-01');
    const group = (m: string): string => (m === 'G' || m === 'H' ? 'G/H' : m === 'E' || m === 'F' ? 'E/F' : m);
    for (const f of FIELD_NAMES) expect(rec[f], f).toBe(f === 'cardModel' ? group(t[f]) : t[f]);
  });

  describe('hybrid', () => {
    /** A local engine that reads nothing: every side fails validation and goes to the cloud. */
    const blind: OcrEngine = {
      name: 'blind',
      profile: 'local',
      recognize: async () => ({ text: '', lines: [], width: 0, height: 0, confidence: 0 }),
      close: async () => undefined,
    };
    const hybrid = async (): Promise<CardReader> => {
      const { TextractEngine } = await import('../src/engines/textract.ts');
      const cloud = await TextractEngine.create({ endpoint: fake.url, tps: 100, maxAttempts: 2 });
      const r = await CardReader.create({ engine: 'hybrid', workers: 1, maxBytes: 5 * 1024 * 1024 }, blind, cloud);
      readers.push(r);
      return r;
    };

    it('sides that fail locally are read by the cloud engine once each, and its readings are kept', async () => {
      const reader = await hybrid();
      const trace: ReadTrace = {};
      const rec = await reader.read({ id: 'card-02', front: S('card-02_front.jpg'), back: S('card-02_back.jpg') }, trace);
      expect(rec.status).toBe('ok');
      expect(rec.mz1).toBe(truth('card-02').mz1);
      expect(rec.curp).toBe(truth('card-02').curp);
      expect(trace.back?.escalated).toBe('no MRZ read');
      expect(trace.front?.escalated).toMatch(/no CURP/);
      expect(reader.cloudUsage()?.calls).toBe(2);
    });

    it.each([
      ['back first', 'card-01_back.jpg', 'card-01_front.jpg'],
      ['front first', 'card-01_front.jpg', 'card-01_back.jpg'],
    ])('a camera-named pair with no MRZ read locally (%s): the cloud finds the back, each image sent once', async (_o, a, b) => {
      const reader = await hybrid();
      const rec = await reader.readUnsided('card-01', [S(a), S(b)]);
      expect(rec.status).toBe('ok');
      expect(rec.back).toBe(S('card-01_back.jpg'));
      expect(rec.front).toBe(S('card-01_front.jpg'));
      expect(rec.mz1).toBe(truth('card-01').mz1);
      expect(rec.curp).toBe(truth('card-01').curp);
      expect(reader.cloudUsage()?.calls).toBe(2);
    });

    it('when the cloud call fails and the local reading has nothing, the card carries the cloud error (retried by --resume)', async () => {
      const reader = await hybrid();
      fake.fault = () => ({ kind: 'error', status: 500, type: 'InternalServerError' });
      const rec = await reader.read({ id: 'card-02', front: S('card-02_front.jpg'), back: S('card-02_back.jpg') });
      expect(rec).toMatchObject({ status: 'error', errorCode: 'INOCR007' });
    });

    it('refused credentials during an escalation stop the run: read() rejects with RunError', async () => {
      const reader = await hybrid();
      fake.fault = () => ({ kind: 'error', status: 400, type: 'UnrecognizedClientException' });
      await expect(reader.read({ id: 'card-02', front: S('card-02_front.jpg'), back: S('card-02_back.jpg') })).rejects.toMatchObject({ name: 'RunError' });
    });
  });
});
