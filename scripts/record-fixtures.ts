/**
 * Records golden-test fixtures: the OCR results the reader kept for each card (front page,
 * MRZ band reads) from a synthetic corpus, so extractor tests run without an engine.
 *
 *   node dist/scripts/record-fixtures.js --corpus .eval/corpus-s7-n60 --ids card-0001,card-0002 --out test/fixtures/ocr
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CardReader, type ReadTrace } from '../src/pipeline/reader.ts';
import type { OcrResult } from '../src/engines/types.ts';

export interface OcrFixture {
  readonly id: string;
  readonly condition: string;
  readonly front: OcrResult | null;
  readonly back: readonly OcrResult[];
}

/** Rounds boxes and confidences so fixtures stay small and diffs readable. */
function slim(p: OcrResult): OcrResult {
  const r = (n: number): number => Math.round(n);
  return {
    text: p.text,
    width: p.width,
    height: p.height,
    confidence: r(p.confidence),
    lines: p.lines.map((l) => ({
      text: l.text,
      confidence: r(l.confidence),
      bbox: { x0: r(l.bbox.x0), y0: r(l.bbox.y0), x1: r(l.bbox.x1), y1: r(l.bbox.y1) },
      words: l.words.map((w) => ({ text: w.text, confidence: r(w.confidence), bbox: { x0: r(w.bbox.x0), y0: r(w.bbox.y0), x1: r(w.bbox.x1), y1: r(w.bbox.y1) } })),
    })),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, ids: { type: 'string' }, out: { type: 'string', default: 'test/fixtures/ocr' } } });
  if (!values.corpus || !values.ids) throw new Error('usage: --corpus DIR --ids a,b [--out DIR]');
  const dir = values.corpus;
  mkdirSync(values.out, { recursive: true });
  const reader = await CardReader.create({ engine: 'tesseract', workers: 2, maxBytes: 5 * 1024 * 1024 });
  try {
    for (const id of values.ids.split(',')) {
      const truth = JSON.parse(readFileSync(path.join(dir, `${id}.truth.json`), 'utf8')) as { condition: string };
      const file = (side: string): string => path.join(dir, readdirSync(dir).find((n) => n.startsWith(`${id}_${side}.`))!);
      const trace: ReadTrace = { keepPages: true };
      await reader.read({ id, front: file('front'), back: file('back') }, trace);
      const fixture: OcrFixture = {
        id,
        condition: truth.condition,
        front: trace.front?.chosen?.[0] ? slim(trace.front.chosen[0]) : null,
        back: (trace.back?.chosen ?? []).map(slim),
      };
      writeFileSync(path.join(values.out, `${id}.json`), JSON.stringify(fixture) + '\n');
      process.stdout.write(`recorded ${id} (${truth.condition})\n`);
    }
  } finally {
    await reader.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
