/**
 * Reading CSV text (RFC 4180) with csv-parse: batch manifests, and the rows of an earlier CSV
 * output that `--resume` keeps. One parser for both, so the two cannot drift apart.
 *
 * What csv-parse does for us: quoted fields (`,`, `"` doubled, line breaks inside), a leading
 * BOM, `\n`/`\r\n`/`\r` record ends (the first one seen is the file's), blank lines skipped,
 * ragged rows kept (`relax_column_count`), text after a closing quote kept as read
 * (`relax_quotes`). What this module adds: the line each record starts on, whether a record
 * was ended by a line break (a writer ends every row with one: a last row without it was cut
 * off by a crash), and the line of a quoted field that never closes.
 */
import { parse, CsvError } from 'csv-parse/sync';

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line the record starts on. */
  readonly line: number;
  /** Ended by a line break (not cut off at the end of the text). */
  readonly complete: boolean;
}

export interface CsvText {
  /** Records in file order; a record whose fields are all empty is left out like a blank line. */
  readonly records: CsvRecord[];
  /** Byte offset (UTF-8, BOM included) just past the last complete record: where a cut-off tail starts. */
  readonly end: number;
  /** A quoted field never closes: the line where its record starts (it runs to the end of the text). */
  readonly unterminated?: number;
}

export interface CsvOptions {
  /** Field separator (default `,`). */
  readonly delimiter?: string;
  /** Trim spaces around unquoted fields (manifests typed by hand); default false (outputs round-trip exactly). */
  readonly trim?: boolean;
}

const isLineBreak = (b: number | undefined): boolean => b === 0x0a || b === 0x0d;

/** Line breaks in `buf[from, to)`, `\r\n` counted once (csv-parse's own count sees two). */
function breaks(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    if (buf[i] === 0x0a || (buf[i] === 0x0d && buf[i + 1] !== 0x0a)) n++;
  }
  return n;
}

/** Where the record after `from` starts: past the blank lines csv-parse skipped. */
function skipBlankLines(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && isLineBreak(buf[i])) i++;
  return i;
}

/** Parses CSV text. Throws csv-parse's CsvError for anything but a quote left open at the end. */
export function readCsv(text: string, options: CsvOptions = {}): CsvText {
  const buf = Buffer.from(text, 'utf8');
  const records: CsvRecord[] = [];
  // csv-parse reports the byte where each record ends; lines are counted here from the bytes.
  let lastBytes = 0;
  let lineAtLast = 1;
  let end = 0;
  try {
    parse(buf, {
      bom: true,
      delimiter: options.delimiter ?? ',',
      trim: options.trim === true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (fields: string[], info) => {
        const start = skipBlankLines(buf, lastBytes, info.bytes);
        const line = lineAtLast + breaks(buf, lastBytes, start);
        const complete = isLineBreak(buf[info.bytes - 1]);
        lineAtLast = line + breaks(buf, start, info.bytes);
        lastBytes = info.bytes;
        if (complete) end = info.bytes;
        if (fields.some((f) => f !== '')) records.push({ fields, line, complete });
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError) || err.code !== 'CSV_QUOTE_NOT_CLOSED') throw err;
    return { records, end, unterminated: lineAtLast + breaks(buf, lastBytes, skipBlankLines(buf, lastBytes, buf.length)) };
  }
  return { records, end };
}
