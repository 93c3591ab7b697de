/**
 * Reading back an output file so a batch can resume: every complete row of a CSV, JSONL or
 * JSON output — including the `<out>.partial` a JSON run leaves behind when it is killed — and
 * where the last complete row ends, so an appending sink can cut a truncated tail off first.
 *
 * Which rows count as done (only `status: ok`, or every row) is the runner's decision: this
 * module returns every row it can recover, with its status.
 */
import { readFile } from 'node:fs/promises';
import { RECORD_COLUMNS, type CardRecord } from '../record.ts';
import { fieldBoxesFromJson, notesFromJson, parseChecks, serialiseChecks } from './cells.ts';

export type ResumeFormat = 'csv' | 'json' | 'jsonl';

export interface DoneRows {
  /** Every complete row, in file order, normalised to a full CardRecord. */
  rows: CardRecord[];
  /** The non-empty ids of `rows`. */
  ids: Set<string>;
}

/** Where a JSON run writes until it closes; resume reads it first when it exists. */
export function partialPath(target: string): string {
  return `${target}.partial`;
}

/**
 * The characters after which csv-stringify's `escape_formulas` prefixes a cell with `'`
 * (ASCII = + - @, tab, CR and their full-width forms).
 */
const FORMULA_STARTS: ReadonlySet<string> = new Set([
  '=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20',
]);

/**
 * Undo `escape_formulas`: a cell `'=…` (or `'+…`, `'-…`, `'@…`, …) was written for `=…`.
 * (A value that itself began with `'` followed by one of these reads back without the `'`.)
 */
export function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_STARTS.has(cell.charAt(1)) ? cell.slice(1) : cell;
}

// ---------------------------------------------------------------------------------------------
// CSV parsing (RFC 4180: `,` separated, `"` quoted, `""` for a quote, CRLF or LF rows).

export interface CsvParse {
  /** Complete records: those terminated by a line break outside quotes. */
  records: string[][];
  /** Character offset just past the last complete record (where a truncated tail starts). */
  end: number;
}

/**
 * Parse CSV text into records. Only records ended by a line break count: the writer ends
 * every row with `\n`, so an unterminated last record is a row cut off by a crash and is left
 * out (its start is `end`). A leading BOM is skipped.
 */
export function parseCsv(text: string): CsvParse {
  const records: string[][] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let end = i;
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(cell);
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      record.push(cell);
      // A blank line is no record.
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
      cell = '';
      end = i;
    } else {
      cell += c;
      i++;
    }
  }
  return { records, end };
}

// ---------------------------------------------------------------------------------------------
// JSON and JSONL recovery.

export interface JsonRecovery {
  /** Complete array elements (or lines), parsed. */
  values: unknown[];
  /** Character offset just past the last complete element (or line). */
  end: number;
  /** The array was closed with `]` (JSON only). */
  closed: boolean;
}

/** Index just past the JSON value starting at `start`, or -1 when the text ends first. */
function scanValue(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i; // the end of a scalar element: `1]`
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    } else if (depth === 0 && /[\s,]/.test(c as string)) return i;
  }
  return -1;
}

const skipSpace = (text: string, i: number): number => {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
};

/**
 * Every complete element of a JSON array, even one cut off by a crash (`[\n{…},\n{…},\n{"id…`):
 * elements are scanned one by one and the first incomplete or unparseable one ends recovery.
 */
export function recoverJsonArray(text: string): JsonRecovery {
  let i = skipSpace(text, text.startsWith('\uFEFF') ? 1 : 0);
  const values: unknown[] = [];
  if (text[i] !== '[') return { values, end: 0, closed: false };
  i++;
  let end = i;
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] === ']') return { values, end: i + 1, closed: true };
    if (values.length > 0) {
      if (text[i] !== ',') break;
      i = skipSpace(text, i + 1);
    }
    const stop = scanValue(text, i);
    if (stop < 0) break;
    try {
      values.push(JSON.parse(text.slice(i, stop)));
    } catch {
      break;
    }
    i = end = stop;
  }
  return { values, end, closed: false };
}

/**
 * Every complete line of a JSONL file. A last line without `\n` was cut off by a crash and is
 * left out (its start is `end`); a blank or unparseable complete line is skipped.
 */
export function recoverJsonLines(text: string): JsonRecovery {
  const values: unknown[] = [];
  let start = text.startsWith('\uFEFF') ? 1 : 0;
  let end = start;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const line = text.slice(start, nl).trim();
    if (line !== '') {
      try {
        values.push(JSON.parse(line));
      } catch {
        // A damaged line in the middle: nothing to recover from it.
      }
    }
    start = end = nl + 1;
  }
  return { values, end, closed: false };
}

// ---------------------------------------------------------------------------------------------
// Normalising rows.

/** Columns that hold structure (parsed from their cells), not a plain string. */
const STRUCTURED_COLUMNS: ReadonlySet<string> = new Set(['checks', 'warnings', 'review', 'fieldBoxes']);
const STRING_COLUMNS = RECORD_COLUMNS.filter((c) => !STRUCTURED_COLUMNS.has(c));

/**
 * A full CardRecord from whatever a file held: missing or non-string columns become '',
 * `status` is 'ok' only when it says so (anything else is 'error'), `checks` and `warnings`
 * are parsed from their CSV cells when they are strings.
 */
export function toCardRecord(value: Record<string, unknown>): CardRecord {
  const out: Record<string, unknown> = {};
  for (const col of STRING_COLUMNS) {
    const v = value[col];
    out[col] = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  }
  out['status'] = out['status'] === 'ok' ? 'ok' : 'error';
  const checks = value['checks'];
  out['checks'] =
    typeof checks === 'string'
      ? parseChecks(checks)
      : checks && typeof checks === 'object'
        ? parseChecks(serialiseChecks(checks as CardRecord['checks']))
        : {};
  out['review'] = notesFromJson(value['review']);
  out['fieldBoxes'] = fieldBoxesFromJson(value['fieldBoxes']);
  out['warnings'] = notesFromJson(value['warnings']);
  return out as unknown as CardRecord;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** CSV records (header first) to objects keyed by the header, formula escapes undone. */
export function csvRecordsToObjects(records: readonly string[][]): Record<string, string>[] {
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((row) => {
    const obj: Record<string, string> = {};
    header.forEach((name, k) => {
      obj[name] = unescapeFormula(row[k] ?? '');
    });
    return obj;
  });
}

// ---------------------------------------------------------------------------------------------
// What an appending sink needs to know about an existing file.

export interface ExistingOutput {
  rows: CardRecord[];
  /** Byte offset just past the last complete row (CSV/JSONL): cut the file here before appending. */
  endByte: number;
  /** The file's size in bytes (0 when missing). */
  size: number;
  /** CSV: the file has a complete header row. */
  hasHeader: boolean;
  /** CSV: the header's column names (empty when there is none). */
  header: string[];
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const byteEnd = (text: string, charEnd: number): number =>
  Buffer.byteLength(text.slice(0, charEnd), 'utf8');

/** Read one file (not `.partial` resolution: the exact path) for resume or append. */
export async function readExisting(path: string, format: ResumeFormat): Promise<ExistingOutput> {
  const text = await readText(path);
  if (text === undefined) return { rows: [], endByte: 0, size: 0, hasHeader: false, header: [] };
  const size = Buffer.byteLength(text, 'utf8');
  if (format === 'csv') {
    const { records, end } = parseCsv(text);
    const header = records[0] ?? [];
    const rows = csvRecordsToObjects(records).map(toCardRecord);
    return { rows, endByte: byteEnd(text, end), size, hasHeader: records.length > 0, header };
  }
  const rec = format === 'jsonl' ? recoverJsonLines(text) : recoverJsonArray(text);
  const rows = rec.values.filter(isObject).map(toCardRecord);
  return { rows, endByte: byteEnd(text, rec.end), size, hasHeader: false, header: [] };
}

/**
 * The file a resume reads: for JSON, `<out>.partial` when it exists (it is the latest run's
 * progress — an appending run copies the earlier rows into it first), else `<out>`.
 */
export async function resumeSource(target: string, format: ResumeFormat): Promise<string> {
  if (format !== 'json') return target;
  const partial = partialPath(target);
  return (await readText(partial)) !== undefined ? partial : target;
}

/**
 * Every complete row of an earlier run's output at `target` (a missing file gives none):
 * CSV parsed back (header names map the columns; formula escapes, `checks` and `warnings`
 * cells undone), JSONL without a truncated last line, JSON — from `<out>.partial` when it
 * exists — with every complete element of a possibly truncated array.
 */
export async function readDoneRows(target: string, format: ResumeFormat): Promise<DoneRows> {
  const { rows } = await readExisting(await resumeSource(target, format), format);
  const ids = new Set<string>();
  for (const row of rows) if (row.id !== '') ids.add(row.id);
  return { rows, ids };
}

