/**
 * `ine-ocr report`: a results file (CSV, JSON or JSONL, as batch writes them) → a folder with
 * index.html and the thumbnails and crops beside it. The rows are read back with the resume
 * reader (one parser for every output format); cards are pictured a few at a time.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { UsageError } from '../errors.ts';
import { readExisting } from '../io/resume.ts';
import { formatFromPath, recordToCsvCells } from '../io/writers.ts';
import { FIELD_NAMES, RECORD_COLUMNS } from '../record.ts';
import { OutputDir } from './files.ts';
import { cardImages, imageResolver, type Rgb } from './images.ts';
import { FIELD_LABELS } from './labels.ts';
import { FILTER_BITS, pageCard, reviewOrder, type PageCard } from './model.ts';
import { packJson, renderPage } from './page.ts';
import { summaryHtml } from './summary-html.ts';
import { countRecord, newSummary, type ReportSummary, type RunInfo } from './summary.ts';

export interface ReportOptions {
  /** The results file: .csv, .json or .jsonl. */
  readonly results: string;
  /** The folder to write (created; an earlier report in it is replaced). */
  readonly outDir: string;
  /** Cards pictured at once (default: the cores available). */
  readonly jobs?: number;
  /** The run's time and speed, when the batch that wrote the results builds the report. */
  readonly run?: RunInfo;
  /** Where relative image paths are tried after the results file's folder (default: the working directory). */
  readonly cwd?: string;
  /** Called as each card's pictures are done. */
  readonly onCard?: (done: number, total: number) => void;
  /** The image decoder (default: images.ts decodeRgb); tests pass one that counts. */
  readonly decode?: (file: string) => Promise<Rgb>;
}

export interface ReportResult {
  readonly page: string;
  readonly summary: ReportSummary;
  /** Files written (the page, thumbnails, crops) and their bytes. */
  readonly files: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

/** The key of the page's saved corrections: the results' content, so edits never land on other results. */
export function contentKey(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

async function readResults(file: string): Promise<{ bytes: Buffer; mode: number }> {
  try {
    const [bytes, st] = await Promise.all([readFile(file), stat(file)]);
    return { bytes, mode: st.mode & 0o777 };
  } catch (err) {
    throw new UsageError(`Cannot read the results file ${file}: ${(err as Error).message}`);
  }
}

export async function buildReport(opts: ReportOptions): Promise<ReportResult> {
  const started = Date.now();
  const format = formatFromPath(opts.results);
  if (!format) throw new UsageError(`Cannot tell the results format from "${opts.results}": expected .csv, .json or .jsonl`);
  const { bytes, mode } = await readResults(opts.results);
  const { rows } = await readExisting(opts.results, format);
  const out = await OutputDir.open(opts.outDir, mode);
  const resolve = imageResolver(path.dirname(path.resolve(opts.results)), opts.cwd);

  const limit = pLimit(Math.max(1, opts.jobs ?? os.availableParallelism()));
  const cards: PageCard[] = [];
  let done = 0;
  await Promise.all(
    rows.map((r, i) =>
      limit(async () => {
        cards[i] = pageCard(r, i, await cardImages(r, `img/${i}`, out, { resolve, ...(opts.decode ? { decode: opts.decode } : {}) }));
        opts.onCard?.(++done, rows.length);
      }),
    ),
  );

  const summary = newSummary(opts.run);
  for (const r of rows) countRecord(summary, r);
  const data = {
    v: 1,
    key: contentKey(bytes),
    title: path.basename(opts.results),
    columns: RECORD_COLUMNS,
    fields: FIELD_NAMES,
    labels: FIELD_LABELS,
    bits: FILTER_BITS,
    cards: reviewOrder(cards),
  };
  const cells = rows.map((r) => {
    const c = recordToCsvCells(r);
    return RECORD_COLUMNS.map((col) => c[col] ?? '');
  });
  const html = renderPage({ title: data.title, summary: summaryHtml(summary), data: packJson(data), rows: packJson(cells) });
  await out.write('index.html', html);
  return { page: path.join(out.root, 'index.html'), summary, files: out.files, bytes: out.bytes, elapsedMs: Date.now() - started };
}
