/**
 * Results for the review page's tests, made from flat synthetic cards whose field boxes are
 * known (src/synth/flat.ts): each record carries the card's true values and true boxes, so a
 * crop can be checked against what was printed there. Written with the batch's own writer.
 */
import { gunzipSync } from 'node:zlib';
import { openSink, type OutputFormat } from '../src/io/writers.ts';
import { newRecord, type CardRecord } from '../src/record.ts';
import type { CardModel } from '../src/synth/identity.ts';
import { writeFlatCard, type FlatCard } from '../src/synth/flat.ts';

export { truthRecord } from '../src/synth/flat.ts';

const MODELS: readonly CardModel[] = ['E', 'G', 'F', 'H'];

/** `count` flat cards `k0`, `k1`, … in `dir`; card `rotated` (if any) saved with EXIF orientation 6. */
export async function knownCards(dir: string, count: number, rotated = -1): Promise<FlatCard[]> {
  const cards: FlatCard[] = [];
  for (let i = 0; i < count; i++) {
    cards.push(await writeFlatCard({ seed: 14, index: i, model: MODELS[i % 4]!, outDir: dir, id: `k${i}`, orientation: i === rotated ? 6 : 1 }));
  }
  return cards;
}

/** A card that failed with `code`. */
export function failedRecord(id: string, front: string, back: string, code: string, message: string): CardRecord {
  return { ...newRecord(id, front, back), status: 'error', errorCode: code, errorMessage: message };
}

/** Writes the records as `format` with the batch's writer; returns the file's path. */
export async function writeResults(file: string, format: OutputFormat, records: readonly CardRecord[], bom = false): Promise<string> {
  const sink = await openSink(file, { format, bom });
  for (const r of records) await sink.write(r);
  await sink.close();
  return file;
}

/** The data packed in a page under `<script type="application/gzip+base64" id="…">`. */
export function embedded(html: string, id: string): unknown {
  const m = new RegExp(`<script type="application/gzip\\+base64" id="${id}">([A-Za-z0-9+/=]*)</script>`).exec(html);
  if (!m) throw new Error(`no #${id} in the page`);
  return JSON.parse(gunzipSync(Buffer.from(m[1]!, 'base64')).toString('utf8'));
}
