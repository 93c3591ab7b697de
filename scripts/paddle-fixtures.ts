/**
 * Records the paddle engine's model outputs on the bundled synthetic samples, for the tests of
 * its post-processing (test/paddle-*.test.ts) to run on real outputs without the models:
 *
 *   test/fixtures/paddle/det-address.png     the detector's probability map (× 255, grey PNG)
 *                                            of a crop of card-02's front (DOMICILIO block)
 *   test/fixtures/paddle/rec-<name>.json     one line's recogniser output: every class with
 *                                            p ≥ 0.0005 at each time step, in 1/10,000
 *   test/fixtures/paddle/rec-<name>.png      that line's upright crop, grey in 16 levels (for its ink columns)
 *
 *   npm run build && node dist/scripts/paddle-fixtures.js
 *
 * Review the diff like code: the tests' expectations come from the cards' truth files, not
 * from these recordings.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_BATCH, DEFAULT_REC_MIN_WIDTH } from '../src/engines/paddle.ts';
import { DB_DEFAULTS } from '../src/engines/paddle/db-postprocess.ts';
import { detect, detMap } from '../src/engines/paddle/detect.ts';
import { decodeCtc } from '../src/engines/paddle/ctc.ts';
import { quadSize } from '../src/engines/paddle/geometry.ts';
import { allowedClasses, defaultModelPaths, loadDictionary } from '../src/engines/paddle/models.ts';
import { decodeRgb, warpCrops, type Rgb } from '../src/engines/paddle/pixels.ts';
import { recognise } from '../src/engines/paddle/recognise.ts';
import { openModels, type PaddleModels } from '../src/engines/paddle/sessions.ts';

const OUT = 'test/fixtures/paddle';

/** The DOMICILIO block of card-02's front (label and three address lines), in its pixels. */
export const DET_CROP = { image: 'samples/card-02_front.jpg', left: 330, top: 305, width: 480, height: 140 } as const;

/** Lines recorded, found by their text (spaces aside) among what the engine reads in each image. */
const REC_LINES = [
  { name: 'address1', image: 'samples/card-02_front.jpg', text: 'CALLE DEL TRABAJO 433 B' },
  { name: 'address2', image: 'samples/card-02_front.jpg', text: 'COL VILLAS DEL SOL 22892' },
  { name: 'joined', image: 'samples/card-01_front.jpg', text: 'CREDENCIAL PARA VOTAR' },
  { name: 'mrz1', image: 'samples/card-02_back.jpg', text: 'IDMEX3909659199<<5775380711488' },
] as const;

/** A crop, kept small: grey, 16 levels (enough for its ink columns). */
const png = (img: Rgb): Promise<Buffer> =>
  sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
    .greyscale()
    .png({ palette: true, colours: 16, compressionLevel: 9 })
    .toBuffer();

async function recordDet(models: PaddleModels): Promise<void> {
  const { image, ...crop } = DET_CROP;
  const bytes = await sharp(readFileSync(image)).extract(crop).png().toBuffer();
  const map = await detMap(models.det, await decodeRgb(bytes), 960);
  const grey = Buffer.from(Array.from(map.data, (p) => Math.round(p * 255)));
  writeFileSync(path.join(OUT, 'det-address.png'), await sharp(grey, { raw: { width: map.width, height: map.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer());
}

async function recordRec(models: PaddleModels): Promise<void> {
  const dict = loadDictionary(defaultModelPaths().keys);
  const latin = allowedClasses(dict);
  for (const line of REC_LINES) {
    const img = await decodeRgb(readFileSync(line.image));
    const boxes = await detect(models.det, img, 960, DB_DEFAULTS);
    const crops = warpCrops(
      img,
      boxes.map((b) => ({ quad: b.quad, width: Math.round(quadSize(b.quad).width), height: Math.round(quadSize(b.quad).height) })),
    );
    const rec = await recognise(models.rec, crops, DEFAULT_BATCH, DEFAULT_REC_MIN_WIDTH);
    const want = line.text.replace(/ /g, '');
    const i = rec.findIndex((r) => decodeCtc(r.probs, latin, dict.classes).map((c) => c.char).join('').replace(/ /g, '') === want);
    if (i < 0) throw new Error(`line not read as ${line.text} in ${line.image}`);
    const { probs, stepU } = rec[i]!;
    const entries: number[] = [];
    for (let t = 0; t < probs.steps; t++) {
      for (let c = 0; c < probs.classes; c++) {
        const q = Math.round(probs.data[t * probs.classes + c]! * 10000);
        if (q >= 5) entries.push(t, c, q);
      }
    }
    const fixture = { source: line.image, text: line.text, steps: probs.steps, classes: probs.classes, stepU, entries };
    writeFileSync(path.join(OUT, `rec-${line.name}.json`), JSON.stringify(fixture) + '\n');
    writeFileSync(path.join(OUT, `rec-${line.name}.png`), await png(crops[i]!));
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const models = await openModels(defaultModelPaths(), { intraOp: 2, interOp: 1, spin: false });
  try {
    await recordDet(models);
    await recordRec(models);
  } finally {
    await Promise.all([models.det.release(), models.cls.release(), models.rec.release()]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`paddle-fixtures failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
