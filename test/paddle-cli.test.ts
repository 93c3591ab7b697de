/**
 * `--engine paddle` through the built bin (run `npm run build` first; `npm test` does): the
 * real process reads a sample card with the PaddleOCR engine.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tmpDir } from './helpers.ts';

const BIN = path.resolve('bin/ine-ocr.js');
const truth = (card: string): Record<string, string> => (JSON.parse(readFileSync(`samples/${card}.truth.json`, 'utf8')) as { fields: Record<string, string> }).fields;

describe('ine-ocr --engine paddle (bin)', () => {
  it('extract reads card-01 with status ok and its MRZ and codes right', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'extract', '--engine', 'paddle', '--compact', 'samples/card-01_front.jpg', 'samples/card-01_back.jpg'], { timeout: 180_000 });
    const record = JSON.parse(stdout) as Record<string, unknown>;
    expect(record.status).toBe('ok');
    const f = truth('card-01');
    for (const k of ['mz1', 'mz2', 'mz3', 'curp', 'electoralId', 'dateOfBirth']) expect(record[k]).toBe(f[k]);
    // An offline engine: nothing about images being sent anywhere.
    expect(stderr).not.toMatch(/AWS|Textract/);
  });

  it('batch reads with it (a one-card manifest) and says nothing about sending images', async () => {
    const dir = tmpDir();
    const manifest = path.join(dir, 'cards.csv');
    writeFileSync(manifest, `id,front,back\ncard-02,${path.resolve('samples/card-02_front.jpg')},${path.resolve('samples/card-02_back.jpg')}\n`);
    const out = path.join(dir, 'rows.jsonl');
    const { stderr } = await promisify(execFile)(process.execPath, [BIN, 'batch', manifest, '--engine', 'paddle', '-j', '1', '-o', out], { timeout: 300_000 });
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: string; id: string; curp: string });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'card-02', status: 'ok', curp: truth('card-02').curp });
    expect(stderr).not.toMatch(/sent to AWS/);
  });
});
