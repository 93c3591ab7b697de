/**
 * Engine chatter never reaches the user's terminal: a batch over samples/ and a generated photo
 * corpus (seed 11's blurred photos make leptonica print "Error in pixScanForForeground: invalid
 * box" from inside tesseract.js) writes nothing on stderr but the progress and the summary.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../src/synth/corpus.ts';
import { tmpDir } from './helpers.ts';

const BIN = path.resolve('bin/ine-ocr.js');

/** Every line batch itself may print on stderr when stderr is not a terminal. */
const BATCH_LINES: readonly RegExp[] = [
  /^ine-ocr: \d+ card\(s\) to read$/,
  /^ine-ocr: \d+\/\d+ cards, [\d.]+ cards\/min, \d+ failed$/,
  /^ine-ocr: \d+ card\(s\) in [\d.]+ s \([\d.]+ cards\/min\): \d+ ok( \(\d+ flagged for review\))?, \d+ failed; rows in .+$/,
];

describe('stderr carries only progress and the summary', () => {
  it('batch over samples/ and generated photos (incl. blurred ones leptonica complains about)', async () => {
    const dir = tmpDir();
    for (const name of readdirSync('samples').filter((n) => /\.(jpg|png)$/.test(n))) {
      copyFileSync(path.join('samples', name), path.join(dir, name));
    }
    // Cards 9 and 12 of seed 11 over photo/glare/blur are blurred photos on which leptonica's
    // pixScanForForeground fails inside the worker (found with INE_OCR_ENGINE_LOG=1). Drawn
    // without the per-card variation, so they stay the images that were found to do it.
    await generateCorpus({ seed: 11, count: 12, outDir: dir, conditions: ['photo', 'glare', 'blur'], forceJpeg: true, vary: false });
    const out = path.join(dir, 'out.jsonl');
    const { stderr } = await promisify(execFile)(process.execPath, [BIN, 'batch', dir, '-o', out, '-j', '2'], {
      timeout: 300_000,
      env: { ...process.env, INE_OCR_ENGINE_LOG: '' },
    });
    const lines = stderr.split('\n').filter((l) => l !== '');
    const stray = lines.filter((l) => !BATCH_LINES.some((re) => re.test(l)));
    expect(stray).toEqual([]);
    expect(lines.at(-1)).toMatch(/^ine-ocr: 16 card\(s\) in .* 16 ok( \(\d+ flagged for review\))?, 0 failed; rows in /);
  }, 300_000);
});
