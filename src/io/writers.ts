/**
 * The output side of `ine-ocr batch`: one row per card, streamed as each card finishes.
 *
 * Where rows go, and why:
 * - CSV and JSONL are append-friendly, so they are written straight to the target. Every row
 *   is handed to the OS (FileHandle.write) before `write()` resolves, so a killed process
 *   leaves every finished row readable; at worst the last line is cut short, and resume drops
 *   it (and an appending sink cuts it off before writing on).
 * - JSON is one array, which is only valid once closed, so it is written to `<out>.partial`
 *   (`[\n`, rows separated by `,\n`, `\n]\n` at close) and renamed to `<out>` at close: a
 *   complete `<out>` always means a finished batch. A crash leaves the rows in `.partial`;
 *   resume reads `.partial` first and recovers every complete element of the cut-off array.
 * - `-` writes to stdout, each `write()` resolving when stdout has taken the row.
 *
 * Serialisation, the same columns in the same order (RECORD_COLUMNS) in every format:
 * - CSV (csv-stringify): UTF-8, `,` separated, `\n` row ends, RFC 4180 quoting (a cell with
 *   `,`, `"` or a line break is quoted, `"` doubled), a header row of the column names, a BOM
 *   only when asked (`bom: true`, for Excel), and formula escaping (`escape_formulas`): a cell
 *   starting with `=`, `+`, `-`, `@`, tab or CR (or their full-width forms) gets a leading `'`.
 *   The structured columns are cells made by src/io/cells.ts: `review` `code (message) | …`,
 *   `fieldBoxes` `field=side:x,y x,y x,y x,y;…`, `checks` `field=verdict/source;…`, `warnings`
 *   joined with ` | `.
 * - JSONL: one compact JSON object per line, keys in RECORD_COLUMNS order, `review` an array of
 *   `{ code, message }`, `fieldBoxes` an object `{ field: { side, quad: [[x, y] ×4] } }`,
 *   `checks` an object `{ field: { verdict, source } }` in field order, `warnings` an array of
 *   strings.
 * - JSON: an array of the same objects, one compact object per line.
 */
import { open, rename, truncate, rm, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import { RECORD_COLUMNS, type CardRecord } from '../record.ts';
import { partialPath, readExisting, resumeSource } from './resume.ts';
import {
  orderedChecks,
  orderedFieldBoxes,
  serialiseChecks,
  serialiseFieldBoxes,
  serialiseReview,
  serialiseWarnings,
} from './cells.ts';

export { partialPath, readDoneRows } from './resume.ts';
export {
  parseChecks,
  parseFieldBoxes,
  parseReview,
  parseWarnings,
  serialiseChecks,
  serialiseFieldBoxes,
  serialiseReview,
  serialiseWarnings,
  WARNING_SEPARATOR,
} from './cells.ts';

export type OutputFormat = 'csv' | 'json' | 'jsonl';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'json', 'jsonl'];

/** The format an output path's extension names (`.csv`, `.json`, `.jsonl`/`.ndjson`), any case. */
export function formatFromPath(path: string): OutputFormat | undefined {
  const m = /\.([a-z]+)$/i.exec(path);
  switch (m?.[1]?.toLowerCase()) {
    case 'csv':
      return 'csv';
    case 'json':
      return 'json';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    default:
      return undefined;
  }
}

export interface RowSink {
  /** Resolves once the row has been handed to the OS (or to stdout). */
  write(record: CardRecord): Promise<void>;
  /** Finish the output: JSON closes the array and renames `.partial` to the target. */
  close(): Promise<void>;
  /**
   * Stop without finishing (Ctrl-C, a fatal error): rows written so far stay. JSON closes the
   * array in `.partial` (so it is valid JSON) but does not rename it: only a finished batch
   * becomes `<out>`. Errors while aborting are swallowed.
   */
  abort?(): Promise<void>;
}

export interface SinkOptions {
  format: OutputFormat;
  /** CSV only: start the file with a UTF-8 BOM (for Excel). Default false. */
  bom?: boolean;
  /**
   * Resume: keep the rows already in the target (for JSON, in `<out>.partial` if it exists,
   * else `<out>`). CSV/JSONL append after the last complete row (a cut-off last row is
   * removed first) without a second header; JSON rewrites the recovered rows into a new
   * `.partial` first. Ignored for `-`.
   */
  append?: boolean;
  /**
   * With `append`: which existing rows to keep (default all). A runner that re-does failed
   * cards passes `(r) => r.status === 'ok'` so the redone cards are not listed twice; when any
   * row is dropped, a CSV/JSONL target is rewritten (temp file + rename) before appending.
   */
  keep?: (row: CardRecord) => boolean;
}

// ---------------------------------------------------------------------------------------------
// Row shapes.

/** The record as a JSON object: keys in RECORD_COLUMNS order, missing strings as ''. */
export function recordToJson(record: CardRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rec = record as unknown as Record<string, unknown>;
  for (const col of RECORD_COLUMNS) {
    if (col === 'checks') out[col] = orderedChecks(record.checks);
    else if (col === 'warnings' || col === 'review') out[col] = (record[col] ?? []).map((r) => ({ code: r.code, message: r.message }));
    else if (col === 'fieldBoxes') out[col] = orderedFieldBoxes(record.fieldBoxes);
    else out[col] = typeof rec[col] === 'string' ? rec[col] : '';
  }
  return out;
}

/** The record as CSV cells (before quoting and formula escaping), keyed by column. */
export function recordToCsvCells(record: CardRecord): Record<string, string> {
  const out: Record<string, string> = {};
  const rec = record as unknown as Record<string, unknown>;
  for (const col of RECORD_COLUMNS) {
    if (col === 'checks') out[col] = serialiseChecks(record.checks);
    else if (col === 'warnings') out[col] = serialiseWarnings(record.warnings);
    else if (col === 'review') out[col] = serialiseReview(record.review);
    else if (col === 'fieldBoxes') out[col] = serialiseFieldBoxes(record.fieldBoxes);
    else out[col] = typeof rec[col] === 'string' ? (rec[col] as string) : '';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoders: record → text, per format.

interface Encoder {
  /** Text to write when the file is opened. */
  start(): string;
  row(record: CardRecord): Promise<string>;
  /** Text that finishes the file (CSV: the header when no row came; JSON: the closing `]`). */
  end(): Promise<string>;
}

function drain(s: Stringifier): string {
  let text = '';
  for (let chunk: unknown = s.read(); chunk !== null; chunk = s.read()) text += String(chunk);
  return text;
}

function csvEncoder(header: boolean, bom: boolean): Encoder {
  const s = stringify({
    header,
    columns: [...RECORD_COLUMNS],
    bom: header && bom,
    escape_formulas: true,
    record_delimiter: 'unix',
  });
  return {
    start: () => '',
    row: (record) =>
      new Promise<string>((resolve, reject) => {
        s.write(recordToCsvCells(record), (err) => (err ? reject(err) : resolve(drain(s))));
      }),
    end: async () => {
      const finished = once(s, 'finish');
      s.end();
      await finished;
      return drain(s);
    },
  };
}

function jsonlEncoder(): Encoder {
  return {
    start: () => '',
    row: async (record) => `${JSON.stringify(recordToJson(record))}\n`,
    end: async () => '',
  };
}

function jsonEncoder(opening: boolean, rowsBefore: number): Encoder {
  let count = rowsBefore;
  return {
    start: () => (opening ? '[\n' : ''),
    row: async (record) => `${count++ > 0 ? ',\n' : ''}${JSON.stringify(recordToJson(record))}`,
    end: async () => (count > 0 ? '\n]\n' : ']\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// Destinations.

interface Out {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

async function writeAll(fh: FileHandle, text: string): Promise<void> {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

function fileOut(fh: FileHandle, durable: boolean): Out {
  return {
    write: (text) => (text === '' ? Promise.resolve() : writeAll(fh, text)),
    close: async () => {
      if (durable) await fh.sync();
      await fh.close();
    },
  };
}

/**
 * stdout: each write resolves in its callback. A closed pipe (`| head`) makes stdout emit
 * 'error' (EPIPE); while the sink is open that is caught here and fails the write (and every
 * later one) instead of crashing the process; the runner decides what to do.
 */
function stdoutOut(): Out {
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken = err;
  };
  process.stdout.on('error', onError);
  return {
    write: (text) =>
      text === ''
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            if (broken) return reject(broken);
            process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
          }),
    close: async () => {
      process.stdout.off('error', onError);
    },
  };
}

/** Write a file of complete rows (for JSON, an unclosed array) to `path` via a temp file. */
async function rewriteFile(
  path: string,
  format: OutputFormat,
  rows: readonly CardRecord[],
  bom: boolean,
): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    const enc =
      format === 'csv' ? csvEncoder(true, bom) : format === 'jsonl' ? jsonlEncoder() : jsonEncoder(true, 0);
    let text = enc.start();
    for (const row of rows) text += await enc.row(row);
    if (format !== 'json') text += await enc.end();
    await writeAll(fh, text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

const sameColumns = (header: readonly string[]): boolean =>
  header.length === RECORD_COLUMNS.length && header.every((h, k) => h === RECORD_COLUMNS[k]);

/**
 * Open the output. `target` is a path or `-` (stdout). See SinkOptions for `append`.
 * Writes are serialised: each resolves after the previous one; after a failed write every
 * later call rejects with the same error.
 */
export async function openSink(target: string, opts: SinkOptions): Promise<RowSink> {
  const { format } = opts;
  const bom = opts.bom === true && format === 'csv';
  const toStdout = target === '-';
  const append = opts.append === true && !toStdout;
  let out: Out;
  let enc: Encoder;
  let finalRename: (() => Promise<void>) | undefined;

  if (toStdout) {
    out = stdoutOut();
    enc = format === 'csv' ? csvEncoder(true, bom) : format === 'jsonl' ? jsonlEncoder() : jsonEncoder(true, 0);
  } else if (format === 'json') {
    const partial = partialPath(target);
    let rowsBefore = 0;
    if (append) {
      const existing = await readExisting(await resumeSource(target, format), format);
      const kept = opts.keep ? existing.rows.filter(opts.keep) : existing.rows;
      await rewriteFile(partial, format, kept, false);
      rowsBefore = kept.length;
    }
    out = fileOut(await open(partial, append ? 'a' : 'w'), true);
    enc = jsonEncoder(!append, rowsBefore);
    finalRename = () => rename(partial, target);
  } else if (append) {
    const existing = await readExisting(target, format);
    const kept = opts.keep ? existing.rows.filter(opts.keep) : existing.rows;
    const csvNeedsRewrite = format === 'csv' && existing.hasHeader && !sameColumns(existing.header);
    let header = format === 'csv';
    if (kept.length < existing.rows.length || csvNeedsRewrite) {
      await rewriteFile(target, format, kept, bom);
      header = false;
    } else if (format === 'csv' && !existing.hasHeader) {
      // No complete header (empty or cut-off file): start over.
      if (existing.size > 0) await truncate(target, 0);
    } else {
      header = false;
      if (existing.size > existing.endByte) await truncate(target, existing.endByte);
    }
    out = fileOut(await open(target, 'a'), false);
    enc = format === 'csv' ? csvEncoder(header, bom) : jsonlEncoder();
  } else {
    out = fileOut(await open(target, 'w'), false);
    enc = format === 'csv' ? csvEncoder(true, bom) : jsonlEncoder();
  }

  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  let done = false;
  const serial = (op: () => Promise<void>): Promise<void> => {
    const p = chain.then(async () => {
      if (failure !== undefined) throw failure;
      try {
        await op();
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    chain = p.catch(() => {});
    return p;
  };

  await serial(() => out.write(enc.start()));

  return {
    write: (record) =>
      serial(async () => {
        if (done) throw new Error('ine-ocr: write after the output was closed');
        await out.write(await enc.row(record));
      }),
    close: () =>
      serial(async () => {
        if (done) return;
        done = true;
        await out.write(await enc.end());
        await out.close();
        if (finalRename) await finalRename();
      }),
    abort: async () => {
      await chain;
      if (done) return;
      done = true;
      try {
        if (format === 'json' && failure === undefined) await out.write(await enc.end());
      } catch {
        // Aborting: keep what is there.
      }
      try {
        await out.close();
      } catch {
        // Already closed or broken.
      }
    },
  };
}
