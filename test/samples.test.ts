/**
 * The README's quick start, as a test: the real pipeline (tesseract.js, offline) over the
 * bundled synthetic samples, compared with their truth files. Samples cannot rot.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardReader } from '../src/pipeline/reader.ts';
import { FIELD_NAMES, type CardFields, type CardRecord } from '../src/record.ts';

interface Truth {
  id: string;
  condition: string;
  fields: CardFields;
}

const DIR = 'samples';
const truths: Truth[] = readdirSync(DIR)
  .filter((n) => n.endsWith('.truth.json'))
  .sort()
  .map((n) => JSON.parse(readFileSync(path.join(DIR, n), 'utf8')) as Truth);

const group = (m: string): string => (m === 'E' || m === 'F' ? 'E/F' : m === 'G' || m === 'H' ? 'G/H' : m);
const want = (t: Truth, f: keyof CardFields): string => (f === 'cardModel' ? group(t.fields[f]) : t.fields[f]);

describe('samples/ end to end', () => {
  let reader: CardReader;
  const records = new Map<string, CardRecord>();

  beforeAll(async () => {
    reader = await CardReader.create({ engine: 'tesseract', workers: 2, maxBytes: 5 * 1024 * 1024 });
    await Promise.all(
      truths.map(async (t) => {
        const rec = await reader.read({ id: t.id, front: path.join(DIR, `${t.id}_front.jpg`), back: path.join(DIR, `${t.id}_back.jpg`) });
        records.set(t.id, rec);
      }),
    );
  });
  afterAll(async () => {
    await reader.close();
  });

  it('has samples of every kind the README shows', () => {
    expect(truths.map((t) => t.condition).sort()).toEqual(['photo', 'rot180', 'scan', 'scan']);
  });

  it.each(truths.map((t) => [t.id, t.condition, t] as const))('%s (%s): read, and nothing marked valid is wrong', (_id, _c, t) => {
    const rec = records.get(t.id)!;
    expect(rec.status).toBe('ok');
    for (const f of FIELD_NAMES) {
      if (rec.checks[f]?.verdict === 'valid') expect(rec[f], `${f} is marked valid`).toBe(want(t, f));
    }
  });

  it.each(truths.filter((t) => t.condition === 'scan').map((t) => [t.id, t] as const))('%s (scan): every field exact', (_id, t) => {
    const rec = records.get(t.id)!;
    const got = Object.fromEntries(FIELD_NAMES.map((f) => [f, rec[f]]));
    const expected = Object.fromEntries(FIELD_NAMES.map((f) => [f, want(t, f)]));
    expect(got).toEqual(expected);
  });

  it.each(truths.filter((t) => t.condition !== 'photo').map((t) => [t.id, t] as const))(
    '%s: the MRZ and the identity fields exact',
    (_id, t) => {
      const rec = records.get(t.id)!;
      for (const f of ['mz1', 'mz2', 'mz3', 'idMex', 'idNumber', 'curp', 'electoralId', 'dateOfBirth', 'sex', 'name', 'firstLastName', 'secondLastName'] as const) {
        expect(rec[f], f).toBe(want(t, f));
      }
    },
  );
});

describe('EXIF orientation', () => {
  it('a phone photo stored sideways with an EXIF tag is read upright, with no orientation search', async () => {
    const { default: sharp } = await import('sharp');
    const { tmpDir, writeFile } = await import('./helpers.ts');
    const dir = tmpDir();
    // Pixels turned 90° counter-clockwise, tagged orientation 6 ("rotate 90° clockwise to view").
    const sideways = async (file: string): Promise<Buffer> =>
      sharp(await sharp(file).rotate(270).toBuffer()).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
    const front = writeFile(dir, 'exif_front.jpg', await sideways(path.join(DIR, 'card-01_front.jpg')));
    const back = writeFile(dir, 'exif_back.jpg', await sideways(path.join(DIR, 'card-01_back.jpg')));
    const reader = await CardReader.create({ engine: 'tesseract', workers: 2, maxBytes: 5 * 1024 * 1024 });
    try {
      const trace: import('../src/pipeline/reader.ts').ReadTrace = {};
      const rec = await reader.read({ id: 'exif', front, back }, trace);
      const truth = truths.find((t) => t.id === 'card-01')!;
      expect(trace.front?.rotation).toBe(0);
      expect(trace.back?.rotation).toBe(0);
      expect(rec.status).toBe('ok');
      expect(rec.mz1).toBe(truth.fields.mz1);
      expect(rec.firstLastName).toBe(truth.fields.firstLastName);
      expect(rec.dateOfBirth).toBe(truth.fields.dateOfBirth);
    } finally {
      await reader.close();
    }
  });
});
