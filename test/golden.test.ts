/**
 * Golden tests of the pure extractor: OCR results recorded from the real engine on synthetic
 * cards (clean and noisy captures; `scripts/record-fixtures.ts`) → front extraction, MRZ
 * band readings combined, the judge → the record's fields, checks and warnings (codes and words). The golden files
 * are reviewed like code: a change in them is a change in behaviour.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OcrResult } from '../src/engines/types.ts';
import { combineMrzReadings, extractBack, scoreMrz, type BackReading } from '../src/extract/back.ts';
import { extractFront } from '../src/extract/front.ts';
import { judgeCard } from '../src/judge/card.ts';
import { toRecordNote } from '../src/judge/notes.ts';

interface OcrFixture {
  id: string;
  condition: string;
  front: OcrResult | null;
  back: OcrResult[];
}

const DIR = path.join('test', 'fixtures', 'ocr');
const fixtures = readdirSync(DIR)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((n) => JSON.parse(readFileSync(path.join(DIR, n), 'utf8')) as OcrFixture);

function backOf(pages: readonly OcrResult[]): BackReading {
  if (pages.length === 1) return extractBack(pages[0]!);
  const mrz = combineMrzReadings(pages.map((p) => p.text));
  return { mrz, band: null, score: mrz ? scoreMrz(mrz) : 0, textChars: 0 };
}

const EMPTY: OcrResult = { text: '', lines: [], width: 0, height: 0, confidence: 0 };

describe('extractor golden files', () => {
  it('has fixtures from clean and noisy captures', () => {
    expect(new Set(fixtures.map((f) => f.condition)).size).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures.map((f) => [f.id, f.condition, f] as const))('%s (%s)', async (id, _c, f) => {
    const front = extractFront(f.front ?? EMPTY);
    const { fields, checks, notes, filled } = judgeCard(front, backOf(f.back));
    const judged = { fields, checks, warnings: notes.map(toRecordNote), filled };
    await expect(JSON.stringify(judged, null, 2) + '\n').toMatchFileSnapshot(path.join('golden', `${id}.json`));
  });
});
