/**
 * Batch manifests: CSV (`front,back[,id]` header; `,`, `;` or tab; read by csv-parse, ./csv.ts),
 * JSON (array, or `{ "cards": [...] }`) and JSONL/NDJSON. Paths resolve relative to the
 * manifest's folder. A line that cannot be decoded is an INOCR006 error entry and the rest go on;
 * a manifest that cannot be read at all throws InocrError('INOCR006').
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InocrError } from '../errors.ts';
import { readCsv, type CsvText } from './csv.ts';
import { deriveId, uniqueId } from './pairing.ts';
import { isS3Uri } from './s3.ts';

export interface ManifestEntry {
  id: string;
  /** Absolute path, an `s3://bucket/key` URI as written, or '' when the manifest gave none (the runner reports INOCR002/003). */
  front: string;
  back: string;
  /** 1-based line of the manifest (CSV: the line the record starts on; JSON array: position in the array). */
  line: number;
}

export interface ManifestError {
  line: number;
  id: string;
  code: 'INOCR006';
  message: string;
}

export interface ManifestResult {
  entries: ManifestEntry[];
  errors: ManifestError[];
}

export const MANIFEST_EXTENSIONS: readonly string[] = ['.csv', '.json', '.jsonl', '.ndjson'];

interface Raw {
  line: number;
  front: string;
  back: string;
  id: string;
}
const INOCR006 = 'The JSON input could not be decoded:';

type Decoded = { ok: true; raw: Raw } | { ok: false; line: number; id: string; message: string };

export async function readManifest(file: string): Promise<ManifestResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new InocrError('INOCR006', `The manifest ${file} could not be read: ${(err as Error).message}`, { cause: err });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ext = path.extname(file).toLowerCase();
  const format = ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : sniff(text);
  const decoded = format === 'csv' ? fromCsv(text, file) : format === 'json' ? fromJson(text, file) : fromJsonl(text);
  return finish(decoded, path.dirname(path.resolve(file)));
}

function sniff(text: string): 'csv' | 'json' | 'jsonl' {
  const t = text.trimStart();
  if (t.startsWith('[')) return 'json';
  if (t.startsWith('{')) {
    try {
      JSON.parse(t);
      return 'json';
    } catch {
      return 'jsonl';
    }
  }
  return 'csv';
}

function finish(decoded: Decoded[], dir: string): ManifestResult {
  const taken = new Set<string>();
  const result: ManifestResult = { entries: [], errors: [] };
  // explicit ids first keep their name; derived and duplicate ones get ~2, ~3 …
  for (const d of decoded) if (d.ok && d.raw.id && !taken.has(d.raw.id)) taken.add(d.raw.id);
  const claimed = new Set<string>();
  for (const d of decoded) {
    if (!d.ok) {
      result.errors.push({ line: d.line, id: uniqueId(d.id, taken), code: 'INOCR006', message: d.message });
      continue;
    }
    const { raw } = d;
    let id: string;
    if (raw.id && !claimed.has(raw.id)) {
      id = raw.id;
      claimed.add(id);
    } else {
      id = uniqueId(raw.id || deriveId(raw.front, raw.back) || `line-${raw.line}`, taken);
      claimed.add(id);
    }
    // s3:// URIs are kept as written (read with GetObject); paths are relative to the manifest.
    const resolve = (p: string): string => (p ? (isS3Uri(p) ? p : path.resolve(dir, p)) : '');
    result.entries.push({ id, front: resolve(raw.front), back: resolve(raw.back), line: raw.line });
  }
  return result;
}

/** A decoded object → an entry, or the reason it is not one. */
function fromObject(value: unknown, line: number, where: string): Decoded {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, line, id: `line-${line}`, message: `${INOCR006} ${where}: expected an object with front and back` };
  }
  const o = value as Record<string, unknown>;
  const pick = (k: string): string | null => {
    const v = o[k];
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v.trim();
    if (k === 'id' && typeof v === 'number') return String(v);
    return null;
  };
  const front = pick('front');
  const back = pick('back');
  const id = pick('id');
  const bad = [front === null && 'front', back === null && 'back', id === null && 'id'].filter(Boolean);
  if (front === null || back === null || id === null) {
    return { ok: false, line, id: (typeof o.id === 'string' && o.id) || `line-${line}`, message: `${INOCR006} ${where}: ${bad.join(', ')} must be a string` };
  }
  return { ok: true, raw: { line, front, back, id } };
}

function fromJson(text: string, file: string): Decoded[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InocrError('INOCR006', `The manifest ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const cards =
    Array.isArray(data) ? data
    : typeof data === 'object' && data !== null && Array.isArray((data as { cards?: unknown }).cards) ? (data as { cards: unknown[] }).cards
    : null;
  if (!cards) {
    throw new InocrError('INOCR006', `The manifest ${file} must be a JSON array of {front, back, id?} or {"cards": [...]}`);
  }
  return cards.map((c, i) => fromObject(c, i + 1, `entry ${i + 1}`));
}

function fromJsonl(text: string): Decoded[] {
  const out: Decoded[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    const line = i + 1;
    if (!l.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch (err) {
      out.push({ ok: false, line, id: `line-${line}`, message: `${INOCR006} line ${line}: ${(err as Error).message}` });
      return;
    }
    out.push(fromObject(value, line, `line ${line}`));
  });
  return out;
}

const FRONT_COLS = ['front', 'anverso', 'frente'];
const BACK_COLS = ['back', 'reverso'];

function fromCsv(text: string, file: string): Decoded[] {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  let csv: CsvText;
  try {
    csv = readCsv(text, { delimiter, trim: true });
  } catch (err) {
    throw new InocrError('INOCR006', `The manifest ${file} could not be read as CSV: ${(err as Error).message}`, { cause: err });
  }
  const [header, ...records] = csv.records;
  const cols = header?.fields.map((h) => h.trim().toLowerCase()) ?? [];
  const fi = cols.findIndex((c) => FRONT_COLS.includes(c));
  const bi = cols.findIndex((c) => BACK_COLS.includes(c));
  const ii = cols.indexOf('id');
  if (!header || fi < 0 || bi < 0) {
    throw new InocrError('INOCR006', `The manifest ${file} needs a header row with front and back columns (and optionally id)`);
  }
  const decoded = records.map((r): Decoded => {
    const get = (k: number): string => (k >= 0 ? (r.fields[k] ?? '') : '');
    return { ok: true, raw: { line: r.line, front: get(fi), back: get(bi), id: get(ii) } };
  });
  if (csv.unterminated !== undefined) {
    const line = csv.unterminated;
    decoded.push({ ok: false, line, id: `line-${line}`, message: `${INOCR006} line ${line}: a quoted field is never closed` });
  }
  return decoded;
}
