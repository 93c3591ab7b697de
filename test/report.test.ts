/**
 * The review page's builder (src/report/): crop geometry, the page model and summary, the crops
 * cut from cards whose boxes are known (flat synthetic cards, src/synth/flat.ts), and whole
 * reports built from results written by the batch's own writer in every format.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../src/engines/tesseract.ts';
import { recordToCsvCells } from '../src/io/writers.ts';
import { newRecord, RECORD_COLUMNS, type CardRecord, type FieldName } from '../src/record.ts';
import { buildReport } from '../src/report/build.ts';
import { planCrop, parseRegion, type Quad } from '../src/report/geometry.ts';
import { cropField, decodeRgb, type Rgb } from '../src/report/images.ts';
import { captureProblems, cardKind, FILTER_BITS, pageCard, reviewOrder, type CardImages, type PageCard } from '../src/report/model.ts';
import { countRecord, newSummary } from '../src/report/summary.ts';
import type { FlatCard } from '../src/synth/flat.ts';
import { tmpDir } from './helpers.ts';
import { embedded, failedRecord, knownCards, truthRecord, writeResults } from './report-fixtures.ts';

const NO_IMAGES: CardImages = { sides: { front: { missing: 'no-path', path: '' }, back: { missing: 'no-path', path: '' } }, scale: {}, crops: {} };
const MISMATCH = { code: 'mismatched-sides', message: 'the front and the back are of different cards' };

describe('crop geometry', () => {
  it('cuts level text with margins of its own height, at most 40 px tall', () => {
    const q: Quad = [[100, 50], [300, 50], [300, 90], [100, 90]];
    const plan = planCrop(q, 1000, 600)!;
    // 40 px text: no scaling; margins 0.5 × 40 across, 0.35 × 40 above and below.
    expect([plan.width, plan.height]).toEqual([240, 68]);
    expect(plan.region).toEqual({ left: 80, top: 36, width: 241, height: 69 });
    const big = planCrop([[0, 100], [800, 100], [800, 180], [0, 180]], 1000, 600)!;
    expect(big.height).toBe(Math.round((80 + 56) / 2));
  });

  it('turns text that runs down the image upright (a scan saved sideways)', () => {
    // Text read top to bottom: TL at the top right of the box, TR below it.
    const q: Quad = [[500, 100], [500, 300], [460, 300], [460, 100]];
    const plan = planCrop(q, 1000, 600)!;
    expect([plan.width, plan.height]).toEqual([240, 68]);
    expect(plan.region.height).toBeGreaterThan(plan.region.width);
  });

  it('gives no crop for a box off the image or without area', () => {
    expect(planCrop([[2000, 50], [2200, 50], [2200, 90], [2000, 90]], 1000, 600)).toBeUndefined();
    expect(planCrop([[10, 10], [10, 10], [10, 10], [10, 10]], 1000, 600)).toBeUndefined();
  });

  it('reads the faceRegion cell', () => {
    expect(parseRegion('10,20 110,20 110,150 10,150')).toEqual([[10, 20], [110, 20], [110, 150], [10, 150]]);
    expect(parseRegion('')).toBeUndefined();
    expect(parseRegion('1,2 3,4')).toBeUndefined();
  });
});

describe('page model and summary', () => {
  const ok = (id: string): CardRecord => ({ ...newRecord(id, 'f.jpg', 'b.jpg'), curp: 'X', checks: { curp: { verdict: 'valid', source: 'front' } } });
  const records: CardRecord[] = [
    ok('a'),
    { ...ok('b'), review: [MISMATCH] },
    failedRecord('c', 'c_front.jpg', '', 'INOCR003', 'The back side of the document is required.'),
    { ...ok('d'), name: 'Y', checks: { curp: { verdict: 'invalid', source: 'front' }, name: { verdict: 'unverified', source: 'front' } }, backQuality: 'poor: blurry, glare; sharpness 0.10, glare 0.09, card 900 px, outline found' },
    failedRecord('e', 'e_front.jpg', 'e_back.jpg', 'INOCR015', 'The image could not be decoded or processed.'),
  ];

  it('tells flagged, failed and ok cards apart, and orders doubtful cards first', () => {
    expect(records.map(cardKind)).toEqual(['ok', 'flagged', 'failed', 'ok', 'failed']);
    const cards = records.map((r, i) => pageCard(r, i, NO_IMAGES));
    expect(reviewOrder(cards).map((c) => c.id)).toEqual(['b', 'c', 'e', 'a', 'd']);
  });

  it('sets the filter bits from the verdicts, the review and the capture quality', () => {
    const [a, b, c, d] = records.map((r, i) => pageCard(r, i, NO_IMAGES)) as [PageCard, PageCard, PageCard, PageCard];
    expect(a.flags).toBe(0);
    expect(b.flags).toBe(FILTER_BITS.flagged);
    expect(c.flags).toBe(FILTER_BITS.failed);
    expect(d.flags).toBe(FILTER_BITS.invalid | FILTER_BITS.unverified | FILTER_BITS.poorCapture);
    expect(d.fields.map((f) => [f.n, f.v, f.c])).toEqual([['name', 'Y', 'unverified'], ['curp', 'X', 'invalid']]);
  });

  it('reads capture problems from the quality cell', () => {
    expect(captureProblems('poor: blurry, low-resolution; sharpness 0.1')).toEqual(['blurry', 'low-resolution']);
    expect(captureProblems('good; sharpness 0.5, glare 0.00')).toEqual([]);
    expect(captureProblems('')).toEqual([]);
  });

  it('counts cards, failures by code, verdicts per field and poor captures', () => {
    const s = newSummary();
    for (const r of records) countRecord(s, r);
    expect(s.cards).toBe(5);
    expect(s.kinds).toEqual({ ok: 2, flagged: 1, failed: 2 });
    expect(s.failedByCode).toEqual({ INOCR003: 1, INOCR015: 1 });
    expect(s.review).toEqual({ 'mismatched-sides': { cards: 1, subjects: {}, words: MISMATCH.message } });
    // Over the 3 cards read: curp valid on a and b, invalid on d; name only on d.
    expect(s.fields.curp).toEqual({ valid: 2, unverified: 0, invalid: 1, unchecked: 0, missing: 0 });
    expect(s.fields.name).toEqual({ valid: 0, unverified: 1, invalid: 0, unchecked: 0, missing: 2 });
    expect(s.poorSides).toEqual({ front: 0, back: 1 });
    expect(s.capture.back).toEqual({ blurry: 1, glare: 1 });
  });
});

describe('review reasons in the summary', () => {
  it('counts cards per kind of reason, naming the fields it is about', () => {
    const s = newSummary();
    const flagged = (id: string, codes: string[]): CardRecord => ({ ...newRecord(id, '', ''), review: codes.map((code) => ({ code, message: `words for ${code}` })) });
    countRecord(s, flagged('a', ['key-field-invalid:curp', 'key-field-invalid:name', 'poor-capture:back']));
    countRecord(s, flagged('b', ['key-field-invalid:curp']));
    expect(s.review).toEqual({
      'key-field-invalid': { cards: 2, subjects: { curp: 2, name: 1 }, words: 'words for key-field-invalid:curp' },
      'poor-capture': { cards: 1, subjects: { back: 1 }, words: 'words for poor-capture:back' },
    });
  });
});

describe('crops from cards whose boxes are known', () => {
  let dir: string;
  let cards: FlatCard[];
  let rotated: FlatCard;
  let engine: TesseractEngine;

  beforeAll(async () => {
    dir = tmpDir('ine-report-crops-');
    cards = await knownCards(dir, 2);
    // The same card as k0, saved the way a phone saves a photo taken sideways (EXIF 6).
    rotated = (await knownCards(path.join(dir, 'exif'), 1, 0))[0]!;
    engine = await TesseractEngine.create({ workers: 1, lang: 'eng' });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('decodes with the EXIF orientation applied: the boxes land on the same print', async () => {
    const plain = await decodeRgb(cards[0]!.frontPath);
    const turned = await decodeRgb(rotated.frontPath);
    expect([turned.width, turned.height]).toEqual([plain.width, plain.height]);
    const stored = await sharp(rotated.frontPath).metadata();
    expect(stored.orientation).toBe(6);
    expect(stored.width).toBe(plain.height); // kept sideways on disk
    for (const f of ['curp', 'electoralId', 'name'] as const) {
      const a = await greyOf(await cropField(plain, cards[0]!.boxes[f]!.quad));
      const b = await greyOf(await cropField(turned, rotated.boxes[f]!.quad));
      expect(meanDiff(a, b), f).toBeLessThan(8);
    }
  });

  it('crops show the value printed in the box: OCR of the crop gives it back', async () => {
    const card = cards[1]!;
    const front = await decodeRgb(card.frontPath);
    const back = await decodeRgb(card.backPath);
    const read = async (img: Rgb, f: FieldName, charset: string): Promise<string> => {
      const jpeg = await cropField(img, card.boxes[f]!.quad);
      expect(jpeg!.length).toBeLessThan(20_000);
      const r = await engine.recognize(jpeg!, { layout: 'line', charset });
      return r.text.replace(/\s+/g, '');
    };
    const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    expect(await read(front, 'curp', UPPER_DIGITS)).toBe(card.fields.curp);
    expect(await read(front, 'electoralId', UPPER_DIGITS)).toBe(card.fields.electoralId);
    expect(await read(back, 'mz1', `${UPPER_DIGITS}<`)).toBe(card.fields.mz1);
  });
});

interface Built {
  html: string;
  data: { cards: PageCard[]; key: string; columns: string[] };
  rows: string[][];
}

async function build(results: string, out: string, decode?: (f: string) => Promise<Rgb>): Promise<Built & { files: number }> {
  const res = await buildReport({ results, outDir: out, jobs: 2, ...(decode ? { decode } : {}) });
  const html = await readFile(path.join(out, 'index.html'), 'utf8');
  return { html, data: embedded(html, 'report-data') as Built['data'], rows: embedded(html, 'report-rows') as string[][], files: res.files };
}

describe('buildReport', () => {
  let dir: string;
  let cards: FlatCard[];
  let records: CardRecord[];

  beforeAll(async () => {
    dir = tmpDir('ine-report-build-');
    cards = await knownCards(dir, 3);
    records = [
      truthRecord(cards[0]!),
      truthRecord(cards[1]!, { review: [MISMATCH], verdicts: { curp: 'invalid', addressLine1: 'unverified' } }),
      failedRecord('lost', 'lost_front.jpg', 'lost_back.jpg', 'INOCR002', 'The front image was not found: lost_front.jpg'),
      truthRecord(cards[2]!, { front: path.join(dir, 'k2_front.jpg'), frontQuality: 'poor: glare; sharpness 0.40, glare 0.12, card 1012 px, outline found' }),
      // A value that would end the page's script if it were not escaped.
      { ...failedRecord('</script><b>x', '', '', 'INOCR006', 'line 9: not JSON'), name: '"=cmd|\' /C calc\'!A0"' },
    ];
  });

  it('cuts each box once, from one decode per side, and writes a thumbnail per side found', async () => {
    const results = await writeResults(path.join(dir, 'results.jsonl'), 'jsonl', records);
    const decoded: string[] = [];
    const counting = async (f: string): Promise<Rgb> => {
      decoded.push(path.basename(f));
      return decodeRgb(f);
    };
    const b = await build(results, path.join(dir, 'out-decode'), counting);
    expect(decoded.sort()).toEqual(['k0_back.jpg', 'k0_front.jpg', 'k1_back.jpg', 'k1_front.jpg', 'k2_back.jpg', 'k2_front.jpg']);
    const distinct = (c: CardRecord): number => new Set(Object.values(c.fieldBoxes).map((x) => `${x.side}${JSON.stringify(x.quad)}`)).size;
    const boxes = [0, 1, 3].reduce((n, i) => n + distinct(records[i]!), 0);
    expect(b.files).toBe(1 + 6 + boxes);
    for (const c of b.data.cards) {
      for (const f of c.fields) {
        const box = records[c.r]!.fieldBoxes[f.n];
        expect(f.x !== undefined, `${c.id} ${f.n}`).toBe(box !== undefined);
        if (f.x) expect(existsSync(path.join(dir, 'out-decode', 'img', String(c.r), `${f.x}.jpg`))).toBe(true);
      }
    }
  });

  it('shows the same cards whether the results are CSV, JSON or JSONL', async () => {
    const pages: Built['data'][] = [];
    for (const format of ['csv', 'json', 'jsonl'] as const) {
      const results = await writeResults(path.join(dir, `same.${format}`), format, records, format === 'csv');
      pages.push((await build(results, path.join(dir, `out-${format}`))).data);
    }
    const [csv, json, jsonl] = pages.map((p) => p.cards);
    expect(csv).toEqual(jsonl);
    expect(json).toEqual(jsonl);
    expect(jsonl!.map((c) => c.id)).toEqual(['k1', 'lost', '</script><b>x', 'k0', 'k2']);
    // Different bytes, different key: corrections made on one never show on another.
    expect(new Set(pages.map((p) => p.key)).size).toBe(3);
  });

  it('embeds the batch CSV cells of every row, in file order, and the summary figures', async () => {
    const results = await writeResults(path.join(dir, 'cells.jsonl'), 'jsonl', records);
    const b = await build(results, path.join(dir, 'out-cells'));
    expect(b.data.columns).toEqual([...RECORD_COLUMNS]);
    expect(b.rows).toEqual(records.map((r) => RECORD_COLUMNS.map((c) => recordToCsvCells(r)[c])));
    expect(b.html).toContain('<dd id="n-cards">5</dd>');
    expect(b.html).toContain('<dd id="n-ok">2</dd>');
    expect(b.html).toContain('<dd id="n-flagged">1</dd>');
    expect(b.html).toContain('<dd id="n-failed">2</dd>');
    expect(b.html).toMatch(/<tr data-code="INOCR002">.*?<td class="num">1<\/td>/);
    expect(b.html).toMatch(/id="poor-front">1</);
  });

  it('shows missing images as missing, found beside the results or as given', async () => {
    const results = await writeResults(path.join(dir, 'missing.jsonl'), 'jsonl', records);
    const { data } = await build(results, path.join(dir, 'out-missing'));
    const byId = new Map(data.cards.map((c) => [c.id, c]));
    expect(byId.get('lost')!.images).toEqual([{ missing: 'not-found', path: 'lost_front.jpg' }, { missing: 'not-found', path: 'lost_back.jpg' }]);
    expect(byId.get('</script><b>x')!.images[0]).toEqual({ missing: 'no-path', path: '' });
    // k2's front is named by an absolute path, its back relative to the results file.
    expect(byId.get('k2')!.images.map((i) => 'src' in i)).toEqual([true, true]);
  });

  it('is one page with no way out: a CSP that forbids requests, nothing fetched, values escaped', async () => {
    const results = await writeResults(path.join(dir, 'page.jsonl'), 'jsonl', records);
    const { html, data } = await build(results, path.join(dir, 'out-page'));
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    const urls = html.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//gi) ?? [];
    expect(urls).toEqual([]);
    expect(html).not.toMatch(/<link\b|@import|url\(/);
    expect(html.match(/<\/script>/g)!.length).toBe(4); // data, rows, csv.js, app.js
    expect(data.cards.some((c) => c.id === '</script><b>x')).toBe(true);
    expect(html).toContain('This page contains personal data');
  });

  // 640: narrower than the umask leaves; 666: wider than the umask (022 here) leaves, so set exactly.
  it.each([['640', 0o640, '750'], ['666', 0o666, '777']] as const)("writes every file with the results' permissions (%s)", async (_, mode, dirs) => {
    const results = await writeResults(path.join(dir, `private-${mode}.jsonl`), 'jsonl', records);
    await chmod(results, mode);
    const out = path.join(dir, `out-private-${mode}`);
    await build(results, out);
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [path.join(d, e.name), ...walk(path.join(d, e.name))] : [path.join(d, e.name)]));
    const entries = walk(out);
    expect(entries.length).toBeGreaterThan(20);
    for (const e of entries) expect((statSync(e).mode & 0o777).toString(8), e).toBe(statSync(e).isDirectory() ? dirs : mode.toString(8));
  });

  it('replaces an earlier report, and refuses a folder holding anything else', async () => {
    const results = await writeResults(path.join(dir, 'again.jsonl'), 'jsonl', records);
    const out = path.join(dir, 'out-again');
    await build(results, out);
    await mkdir(path.join(out, 'img', '99'));
    await writeFile(path.join(out, 'img', '99', 'front.jpg'), 'stale');
    await build(results, out);
    expect(existsSync(path.join(out, 'img', '99'))).toBe(false);
    const busy = path.join(dir, 'busy');
    await mkdir(busy);
    await writeFile(path.join(busy, 'notes.txt'), 'mine');
    await expect(buildReport({ results, outDir: busy })).rejects.toThrow(/holds other files \(notes.txt\)/);
    expect(readdirSync(busy)).toEqual(['notes.txt']);
  });

  it('builds a page for results without a row', async () => {
    const results = await writeResults(path.join(dir, 'none.csv'), 'csv', []);
    const b = await build(results, path.join(dir, 'out-none'));
    expect(b.data.cards).toEqual([]);
    expect(b.rows).toEqual([]);
    expect(b.html).toContain('<dd id="n-cards">0</dd>');
  });

  it('refuses results it cannot read, before writing anything', async () => {
    await expect(buildReport({ results: path.join(dir, 'nope.csv'), outDir: path.join(dir, 'out-nope') })).rejects.toThrow(/Cannot read the results file/);
    await expect(buildReport({ results: path.join(dir, 'k0_front.jpg'), outDir: path.join(dir, 'out-nope') })).rejects.toThrow(/expected .csv, .json or .jsonl/);
    expect(existsSync(path.join(dir, 'out-nope'))).toBe(false);
  });
});

async function greyOf(jpeg: Buffer | undefined): Promise<Buffer> {
  return sharp(jpeg!).greyscale().resize(200, 40, { fit: 'fill' }).raw().toBuffer();
}

function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
