/**
 * Builds the Textract responses the tests serve (test/fixtures/textract/) for the synthetic
 * sample cards: no AWS call is made. For each side it prepares exactly the image the textract
 * engine will send (decoded, card located and warped flat: src/pipeline/cloud.ts), reads it
 * with tesseract.js in the orientation that reads best, and writes what DetectDocumentText
 * would return for that image: a PAGE block, LINE and WORD blocks with normalised BoundingBox
 * and a Polygon listed from the text's own top-left corner (so a card sent upside down gets
 * polygons running right to left, as Textract reports them).
 *
 * Where tesseract's whole-side reading of a code differs from the value the tesseract reader
 * finally settled on (after its MRZ-band and code re-reads) and that value passes its own checks
 * (MRZ check digits, CURP check digit, clave structure), the value is written over the words it
 * was read from: the response is then what a good OCR of the side reads (Textract reads these
 * codes whole), and on the flat samples the textract engine must give the same fields as the
 * tesseract engine. A tilted photo is read levelled, as Textract reads it, so there the response
 * is better than tesseract's own reading of it.
 *
 *   npm run build && node dist/scripts/textract-fixtures.js [--samples samples] [--out test/fixtures/textract]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TesseractEngine } from '../src/engines/tesseract.ts';
import type { BBox, OcrLine, OcrResult, OcrWord } from '../src/engines/types.ts';
import { extractBack } from '../src/extract/back.ts';
import { extractFront } from '../src/extract/front.ts';
import { parseCurp } from '../src/extract/curp.ts';
import { parseClave } from '../src/extract/clave.ts';
import { parseMrz } from '../src/extract/mrz.ts';
import sharp from 'sharp';
import { cloudFrame, encodeForCloud, turnPoint } from '../src/pipeline/cloud.ts';
import { decodeToRaster, encodeForOcr, readImageFile, rotateRaster, type Raster, type Rotation, type Side } from '../src/pipeline/image.ts';
import { CardReader } from '../src/pipeline/reader.ts';
import type { CardRecord } from '../src/record.ts';
import { imageHash, type TextractFixture } from './fake-textract.ts';

/**
 * The upright, level reading of the image to send: the page, read from the image turned by
 * `skew` (any angle, canvas grown) and then by `rotation` (a quarter turn), at `scale`.
 */
interface Upright {
  readonly page: OcrResult;
  readonly skew: number;
  readonly rotation: Rotation;
  readonly scale: number;
  /** Size of the levelled image, and of the levelled-and-turned one (before scaling). */
  readonly level: { readonly width: number; readonly height: number };
  readonly width: number;
  readonly height: number;
}

/** A raster turned by any angle, white where the canvas grew. */
async function turnRaster(r: Raster, deg: number): Promise<Raster> {
  if (deg === 0) return r;
  const { data, info } = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } })
    .rotate(deg, { background: '#ffffff' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** How well a reading reads as the side: labels, a valid CURP and the name lines for a front; an MRZ for a back. */
function sideScore(page: OcrResult, side: Side): { score: number; good: boolean } {
  if (side === 'back') {
    const b = extractBack(page);
    return { score: b.mrz ? 50 + b.score : 0, good: b.mrz !== null };
  }
  const f = extractFront(page);
  const curp = parseCurp(f.curp.slice(0, 18)).valid;
  // A CURP read wrong is written over later: what the levelling must get right is the layout.
  return { score: f.labels.length + (curp ? 3 : 0) + (f.nameLines.length >= 2 ? 2 : 0), good: f.labels.length >= 5 && f.nameLines.length >= 2 };
}

/**
 * The image sent is the card (a scan, or a photo's card warped flat), so it is upright in one
 * of the two turns that keep it landscape; then, for a tilted card, small levelling turns: the
 * first reading that reads as the side, else the best.
 */
async function readUpright(engine: TesseractEngine, sent: Raster, side: Side): Promise<Upright> {
  const order: Rotation[] = sent.width >= sent.height ? [0, 180] : [90, 270];
  const tries = [0, 3, -3, 6, -6, 9, -9].flatMap((skew) => order.map((rotation) => ({ skew, rotation })));
  let best: { u: Upright; score: number } | undefined;
  for (const { skew, rotation } of tries) {
    const level = await turnRaster(sent, skew);
    const r = await rotateRaster(level, rotation);
    // The back at the reader's locating size (~950 px), the front at full size.
    const scale = side === 'back' ? Math.min(1, 950 / Math.max(r.width, r.height)) : 1;
    const page = await engine.recognize(await encodeForOcr(r, { scale }), { layout: 'auto' });
    const { score, good } = sideScore(page, side);
    const u = { page, skew, rotation, scale, level: { width: level.width, height: level.height }, width: r.width, height: r.height };
    if (!best || score > best.score) best = { u, score };
    if (good) break;
  }
  return best!.u;
}

const centre = (b: BBox): [number, number] => [(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2];
const inside = (b: BBox, z: BBox): boolean => {
  const [x, y] = centre(b);
  return x >= z.x0 && x <= z.x1 && y >= z.y0 && y <= z.y1;
};

/** The back's three MRZ lines as the reader settled them, over the band the whole-side reading found. */
function withMrz(page: OcrResult, rec: CardRecord): { page: OcrResult; changed: boolean } {
  const reading = extractBack(page);
  const want = [rec.mz1, rec.mz2, rec.mz3];
  if (!reading.band || want.some((l) => l.length !== 30) || !parseMrz(want).valid) return { page, changed: false };
  if (reading.mrz && reading.mrz.lines.every((l, i) => l === want[i])) return { page, changed: false };
  const b = reading.band;
  const pitch = (b.y1 - b.y0) / 3;
  const zone = { x0: -Infinity, y0: b.y0 - 0.3 * pitch, x1: Infinity, y1: b.y1 + 0.3 * pitch };
  const kept = page.lines.filter((l) => !inside(l.bbox, zone));
  const mrz: OcrLine[] = want.map((text, i) => {
    const bbox = { x0: b.x0, y0: b.y0 + i * pitch + 0.1 * pitch, x1: b.x1, y1: b.y0 + (i + 1) * pitch - 0.1 * pitch };
    return { text, confidence: 95, bbox, words: [{ text, confidence: 95, bbox }] };
  });
  const lines = [...kept, ...mrz];
  return { page: { ...page, lines, text: lines.map((l) => l.text).join('\n') }, changed: true };
}

/** CURP and clave as the reader settled them, over the words the whole-side reading took them from. */
function withCodes(page: OcrResult, rec: CardRecord): { page: OcrResult; changed: string[] } {
  const changed: string[] = [];
  let current = page;
  const checks = { curp: (v: string) => parseCurp(v).valid, clave: (v: string) => parseClave(v).valid };
  for (const [key, value] of [['curp', rec.curp], ['clave', rec.electoralId]] as const) {
    const reading = extractFront(current);
    const zone = reading.zones[key];
    // Only a value its own checks confirm: a wrong one is left as this reading has it.
    if (!value || !checks[key](value) || reading[key] === value || !zone) continue;
    let placed = false;
    const lines = current.lines
      .map((l) => {
        const words: OcrWord[] = [];
        for (const w of l.words) {
          if (!inside(w.bbox, zone)) words.push(w);
          else if (!placed) {
            words.push({ text: value, confidence: 95, bbox: zone });
            placed = true;
          }
        }
        return { ...l, words, text: words.map((w) => w.text).join(' ') };
      })
      .filter((l) => l.words.length > 0);
    if (placed) {
      current = { ...current, lines, text: lines.map((l) => l.text).join('\n') };
      changed.push(key);
    }
  }
  return { page: current, changed };
}

/** A box of the upright, scaled reading → the four corners (text's top-left first) in the sent image, normalised. */
function polygonInSent(b: BBox, u: Upright, sent: { width: number; height: number }): { X: number; Y: number }[] {
  const back = ((360 - u.rotation) % 360) as Rotation;
  const corners: [number, number][] = [
    [b.x0, b.y0],
    [b.x1, b.y0],
    [b.x1, b.y1],
    [b.x0, b.y1],
  ];
  const rad = (-u.skew * Math.PI) / 180;
  return corners.map(([x, y]) => {
    // Undo the quarter turn, then the levelling turn (about the centres: the canvas had grown).
    const [lx, ly] = turnPoint(x / u.scale, y / u.scale, back, u.width, u.height);
    const dx = lx - u.level.width / 2;
    const dy = ly - u.level.height / 2;
    const sx = Math.cos(rad) * dx - Math.sin(rad) * dy + sent.width / 2;
    const sy = Math.sin(rad) * dx + Math.cos(rad) * dy + sent.height / 2;
    const r = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 1e6) / 1e6;
    return { X: r(sx / sent.width), Y: r(sy / sent.height) };
  });
}

function geometry(poly: { X: number; Y: number }[]): Record<string, unknown> {
  const xs = poly.map((p) => p.X);
  const ys = poly.map((p) => p.Y);
  const r = (v: number): number => Math.round(v * 1e6) / 1e6;
  return {
    BoundingBox: { Width: r(Math.max(...xs) - Math.min(...xs)), Height: r(Math.max(...ys) - Math.min(...ys)), Left: Math.min(...xs), Top: Math.min(...ys) },
    Polygon: poly,
  };
}

function toBlocks(name: string, page: OcrResult, u: Upright, sent: { width: number; height: number }): unknown[] {
  const conf = (c: number): number => Math.round(Math.min(99.9, Math.max(0, c)) * 100) / 100;
  const lineBlocks: unknown[] = [];
  const wordBlocks: unknown[] = [];
  const lineIds: string[] = [];
  page.lines.forEach((l, i) => {
    const id = `${name}-line-${i}`;
    lineIds.push(id);
    const wordIds = l.words.map((_, j) => `${name}-word-${i}-${j}`);
    lineBlocks.push({
      BlockType: 'LINE',
      Confidence: conf(l.confidence),
      Text: l.words.map((w) => w.text).join(' '),
      Geometry: geometry(polygonInSent(l.bbox, u, sent)),
      Id: id,
      Relationships: [{ Type: 'CHILD', Ids: wordIds }],
    });
    l.words.forEach((w, j) => {
      wordBlocks.push({ BlockType: 'WORD', Confidence: conf(w.confidence), Text: w.text, TextType: 'PRINTED', Geometry: geometry(polygonInSent(w.bbox, u, sent)), Id: wordIds[j] });
    });
  });
  const page0 = { BlockType: 'PAGE', Geometry: geometry([{ X: 0, Y: 0 }, { X: 1, Y: 0 }, { X: 1, Y: 1 }, { X: 0, Y: 1 }]), Id: `${name}-page`, Relationships: [{ Type: 'CHILD', Ids: lineIds }] };
  // Textract lists the PAGE, then each LINE followed by its WORDs.
  const out: unknown[] = [page0];
  let w = 0;
  page.lines.forEach((l, i) => {
    out.push(lineBlocks[i]);
    for (let j = 0; j < l.words.length; j++) out.push(wordBlocks[w++]);
  });
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: 'samples' }, out: { type: 'string', default: 'test/fixtures/textract' } } });
  const dir = values.samples;
  mkdirSync(values.out, { recursive: true });
  const ids = readdirSync(dir)
    .filter((n) => n.endsWith('.truth.json'))
    .map((n) => n.replace(/\.truth\.json$/, ''))
    .sort();
  const engine = await TesseractEngine.create({ workers: 1 });
  const reader = await CardReader.create({ engine: 'tesseract', workers: 2, maxBytes: 5 * 1024 * 1024 });
  try {
    for (const id of ids) {
      const files = { front: path.join(dir, `${id}_front.jpg`), back: path.join(dir, `${id}_back.jpg`) };
      const rec = await reader.read({ id, ...files });
      if (rec.status !== 'ok') throw new Error(`${id}: the tesseract reader failed (${rec.errorCode}); no fixture`);
      for (const side of ['front', 'back'] as const) {
        const name = `${id}_${side}`;
        const raster = await decodeToRaster(await readImageFile(files[side], side), 2000);
        const { raster: sent, cardFound } = await cloudFrame(raster);
        const u = await readUpright(engine, sent, side);
        const fixed = side === 'back' ? withMrz(u.page, rec) : withCodes(u.page, rec);
        const response = {
          DocumentMetadata: { Pages: 1 },
          DetectDocumentTextModelVersion: '1.0',
          Blocks: toBlocks(name, fixed.page, u, sent),
        };
        const fixture: TextractFixture = {
          name,
          source: files[side],
          width: sent.width,
          height: sent.height,
          hash: await imageHash(await encodeForCloud(sent)),
          response,
        };
        writeFileSync(path.join(values.out, `${name}.json`), JSON.stringify(fixture, null, 1) + '\n');
        const note = Array.isArray(fixed.changed) ? fixed.changed.join(', ') : fixed.changed ? 'MRZ' : '';
        process.stdout.write(`${name}: ${sent.width}×${sent.height}${cardFound ? ' (card straightened)' : ''}, read levelled ${u.skew}° and turned ${u.rotation}°, ${fixed.page.lines.length} lines${note ? `; settled values written over: ${note}` : ''}\n`);
      }
    }
  } finally {
    await Promise.all([engine.close(), reader.close()]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 2;
});
