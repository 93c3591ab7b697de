/**
 * Diagnostics for one side image: where the card was found, the straightened image, and the
 * OCR text and labels the front extractor saw. Writes PNGs to --out (default /tmp/ine-debug).
 *
 *   npx vite-node scripts/debug-side.ts <image> [--out DIR] [--side front|back]
 *
 * Prints the OCR text, so run it on synthetic cards only: real cards are personal data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TesseractEngine } from '../src/engines/tesseract.ts';
import { extractFront } from '../src/extract/front.ts';
import { extractBack } from '../src/extract/back.ts';
import { decodeToRaster, encodeForOcr, readImageFile } from '../src/pipeline/image.ts';
import { locateCard, rectify } from '../src/pipeline/locate.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string', default: '/tmp/ine-debug' }, side: { type: 'string', default: 'front' } } });
const file = positionals[0];
if (!file) throw new Error('usage: debug-side <image>');
mkdirSync(values.out, { recursive: true });
const base = path.join(values.out, path.basename(file).replace(/\.[^.]+$/, ''));
const raster = await decodeToRaster(await readImageFile(file, 'front'), 2000, values.side === 'back' ? 1400 : 2000);
const loc = await locateCard(raster);
console.log('raster', raster.width, raster.height, 'quad', loc ? loc.quad.map((p) => `${p.x.toFixed(0)},${p.y.toFixed(0)}`).join(' ') : 'none', 'share', loc?.share.toFixed(2));
const flat = loc ? await rectify(raster, loc.quad, values.side === 'back' ? 1400 : 1600) : raster;
writeFileSync(base + '.flat.png', await encodeForOcr(flat));
const engine = await TesseractEngine.create({ workers: 1, recycleAfter: 0 });
const page = await engine.recognize(await encodeForOcr(flat), { layout: 'auto' });
console.log(page.text);
if (values.side === 'back') console.log(JSON.stringify(extractBack(page).mrz, null, 1));
else {
  const r = extractFront(page);
  console.log('labels', r.labels.join(' '));
  const { labels, zones, ...rest } = r as unknown as Record<string, unknown>;
  console.log(JSON.stringify(rest));
}
await engine.close();
