/**
 * The trust report (issue 13): the trust corpus (src/synth/trust.ts) read by the same batch
 * runner the CLI uses, in folder mode (sides named), manifest mode and folder mode with
 * camera names (sides unknown). Per case and mode: how many pairs came out as an error (with
 * codes), ok but flagged (non-empty `review`), and ok and clean — which must be 0 for every
 * bad case. The genuine controls' flagged rate and its reasons; the photocopies and the
 * duplicates on their own.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_BYTES } from '../src/pipeline/image.ts';
import { runBatch } from '../src/pipeline/batch.ts';
import { CardReader , type EngineChoice } from '../src/pipeline/reader.ts';
import { FIELD_NAMES, type CardRecord } from '../src/record.ts';
import { generateTrustCorpus, TRUST_CASES, type TrustCase, type TrustEntry } from '../src/synth/trust.ts';

export const TRUST_MODES = ['folder', 'manifest', 'camera'] as const;
export type TrustMode = (typeof TRUST_MODES)[number];

export type Outcome =
  | { readonly kind: 'error'; readonly codes: readonly string[] }
  | { readonly kind: 'flagged'; readonly reasons: readonly string[] }
  | { readonly kind: 'clean' };

export interface TrustOptions {
  readonly seed: number;
  readonly perCase: number;
  readonly controls: number;
  readonly jobs: number;
  /** The engine that reads (as `--engine`). */
  readonly engine: EngineChoice;
  /** Write every outcome and row here. */
  readonly json?: string;
}

/** Generates the corpus once (cached under .eval/ like the others). */
async function corpus(opts: TrustOptions): Promise<{ dir: string; entries: TrustEntry[] }> {
  const dir = path.join('.eval', `trust-s${opts.seed}-k${opts.perCase}-c${opts.controls}`);
  if (!existsSync(path.join(dir, 'DONE'))) {
    process.stderr.write(`generating the trust corpus (seed ${opts.seed}) into ${dir} ...\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await generateTrustCorpus({ seed: opts.seed, outDir: dir, perCase: opts.perCase, controls: opts.controls });
    writeFileSync(path.join(dir, 'DONE'), new Date().toISOString());
  }
  return { dir, entries: JSON.parse(readFileSync(path.join(dir, 'trust.json'), 'utf8')) as TrustEntry[] };
}

const input: Readonly<Record<TrustMode, string>> = { folder: 'pairs', manifest: 'manifest.csv', camera: 'camera' };

/** Reads every mode with one reader; returns the rows of each. */
async function readModes(dir: string, opts: TrustOptions): Promise<Map<TrustMode, CardRecord[]>> {
  const reader = await CardReader.create({ engine: opts.engine, workers: opts.jobs, maxBytes: DEFAULT_MAX_BYTES });
  const out = new Map<TrustMode, CardRecord[]>();
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  try {
    for (const mode of TRUST_MODES) {
      const rows: CardRecord[] = [];
      process.stderr.write(`reading the trust corpus, ${mode} mode ...\n`);
      await runBatch(
        {
          input: path.join(dir, input[mode]), recursive: false, output: path.join(dir, 'out', `${mode}.jsonl`), format: 'jsonl', bom: false,
          jobs: opts.jobs, resume: false, maxBytes: DEFAULT_MAX_BYTES, recycleAfter: 200,
        },
        { onRow: (r) => rows.push(r) },
        reader,
      );
      out.set(mode, rows);
    }
  } finally {
    await reader.close();
  }
  return out;
}

/** The outcome of one pair in one mode, from the rows that name its images. */
export function outcomeOf(rows: readonly CardRecord[]): Outcome {
  if (rows.some((r) => r.status === 'ok' && r.review.length === 0)) return { kind: 'clean' };
  const flagged = rows.filter((r) => r.status === 'ok');
  if (flagged.length > 0) return { kind: 'flagged', reasons: flagged.flatMap((r) => r.review.map((x) => x.code)) };
  return { kind: 'error', codes: rows.length > 0 ? rows.map((r) => r.errorCode) : ['no row'] };
}

function rowsFor(entry: TrustEntry, mode: TrustMode, dir: string, rows: readonly CardRecord[]): CardRecord[] {
  const files = new Set((mode === 'camera' ? entry.camera : [entry.front, entry.back]).map((f) => path.resolve(dir, f)));
  return rows.filter((r) => [r.front, r.back].some((p) => p !== '' && files.has(path.resolve(p))));
}

interface Tally {
  n: number;
  error: number;
  flagged: number;
  clean: number;
  codes: Map<string, number>;
  reasons: Map<string, number>;
}
const tally = (): Tally => ({ n: 0, error: 0, flagged: 0, clean: 0, codes: new Map(), reasons: new Map() });
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
const list = (m: Map<string, number>): string => [...m].map(([k, n]) => `${k}×${n}`).join(' ') || '-';

function add(t: Tally, o: Outcome): void {
  t.n++;
  t[o.kind]++;
  if (o.kind === 'error') for (const c of new Set(o.codes)) bump(t.codes, c);
  if (o.kind === 'flagged') for (const r of new Set(o.reasons)) bump(t.reasons, r);
}

/** Fields exact over the ok rows of genuine-type entries. */
function exactness(entries: readonly TrustEntry[], rowsOf: (e: TrustEntry) => CardRecord[]): { exact: number; total: number } {
  let exact = 0;
  let total = 0;
  for (const e of entries) {
    const r = rowsOf(e).find((x) => x.status === 'ok');
    if (!r || !e.fields) continue;
    for (const f of FIELD_NAMES) {
      const want = f === 'cardModel' ? (/[EF]/.test(e.fields[f]) ? 'E/F' : 'G/H') : e.fields[f];
      if (want === '') continue;
      total++;
      if (r[f] === want) exact++;
    }
  }
  return { exact, total };
}

export async function runTrust(opts: TrustOptions): Promise<string[]> {
  const { dir, entries } = await corpus(opts);
  const t0 = Date.now();
  const rowsByMode = await readModes(dir, opts);
  const wall = (Date.now() - t0) / 1000;
  const outcomes: { id: string; case: TrustCase; mode: TrustMode; outcome: Outcome }[] = [];
  const byCase = new Map<string, Tally>();
  for (const mode of TRUST_MODES) {
    const rows = rowsByMode.get(mode) ?? [];
    for (const e of entries) {
      const o = outcomeOf(rowsFor(e, mode, dir, rows));
      outcomes.push({ id: e.id, case: e.case, mode, outcome: o });
      const key = `${e.case}\0${mode}`;
      const t = byCase.get(key) ?? tally();
      byCase.set(key, t);
      add(t, o);
    }
  }
  const out: string[] = [];
  const n = (k: string): number => entries.filter((e) => e.kind === k).length;
  out.push(`ine-ocr trust report — corpus ${dir}: ${entries.length} pairs (${n('bad')} bad, ${n('photocopy')} photocopies, ${n('duplicate')} duplicate copies, ${n('genuine')} genuine); engine ${opts.engine}, ${opts.jobs} parallel`);
  out.push(`modes: folder (pairs/, _front/_back names), manifest (manifest.csv), camera (camera/, IMG_n front + IMG_n+1 back, sides unknown); ${wall.toFixed(0)} s`);
  out.push('');
  out.push('BAD CASES — must never be ok+clean');
  out.push(`${'case'.padEnd(15)} ${'mode'.padEnd(9)}   n  error  ok+flagged  ok+clean  error codes / review reasons`);
  let badClean = 0;
  let badTotal = 0;
  for (const c of Object.keys(TRUST_CASES) as TrustCase[]) {
    if (entries.find((e) => e.case === c)?.kind !== 'bad') continue;
    for (const mode of TRUST_MODES) {
      const t = byCase.get(`${c}\0${mode}`) ?? tally();
      badClean += t.clean;
      badTotal += t.n;
      const mark = t.clean > 0 ? '  ← must be 0' : '';
      out.push(`${c.padEnd(15)} ${mode.padEnd(9)} ${String(t.n).padStart(3)} ${String(t.error).padStart(6)} ${String(t.flagged).padStart(11)} ${String(t.clean).padStart(9)}  ${list(t.codes)} / ${list(t.reasons)}${mark}`);
    }
  }
  out.push(`bad pairs read as a clean ok: ${badClean} of ${badTotal} (target 0)`);
  out.push('');
  out.push(...reportGenuine(entries, rowsByMode, byCase, dir));
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ corpus: dir, wall, outcomes, rows: Object.fromEntries(rowsByMode) }, null, 2));
  return out;
}

/** The controls' flagged rate, the photocopies, the duplicates. */
function reportGenuine(entries: readonly TrustEntry[], rowsByMode: Map<TrustMode, CardRecord[]>, byCase: Map<string, Tally>, dir: string): string[] {
  const out: string[] = [];
  out.push('GENUINE CONTROLS (regular conditions) — flagged at most 2%');
  for (const kind of ['genuine', 'photocopy'] as const) {
    for (const mode of TRUST_MODES) {
      const t = byCase.get(`${kind}\0${mode}`) ?? tally();
      const rows = rowsByMode.get(mode) ?? [];
      const ex = exactness(entries.filter((e) => e.case === kind), (e) => rowsFor(e, mode, dir, rows));
      const rate = t.n > 0 ? ((100 * t.flagged) / t.n).toFixed(1) : '-';
      const exact = ex.total > 0 ? `${((100 * ex.exact) / ex.total).toFixed(1)}%` : '-';
      out.push(
        `${kind.padEnd(10)} ${mode.padEnd(9)} n ${t.n}: error ${t.error} (${list(t.codes)}), ok+flagged ${t.flagged} (${rate}%; ${list(t.reasons)}), ok+clean ${t.clean}; fields exact ${exact}`,
      );
    }
    if (kind === 'genuine') out.push('PHOTOCOPIES (genuine, greyscale: should be read; whether flagged is for the judge)');
  }
  out.push('DUPLICATES (the same card under two ids: a batch-level check could flag them)');
  for (const mode of TRUST_MODES) {
    const rows = rowsByMode.get(mode) ?? [];
    const firsts = entries.filter((e) => e.case === 'duplicate' && e.id.endsWith('a'));
    let both = 0;
    let same = 0;
    let flagged = 0;
    for (const e of firsts) {
      const other = entries.find((x) => x.id === e.duplicateOf);
      const ra = rowsFor(e, mode, dir, rows).find((r) => r.status === 'ok');
      const rb = other ? rowsFor(other, mode, dir, rows).find((r) => r.status === 'ok') : undefined;
      if (!ra || !rb) continue;
      both++;
      if (ra.curp !== '' && ra.curp === rb.curp && ra.idMex === rb.idMex) same++;
      if (ra.review.length > 0 || rb.review.length > 0) flagged++;
    }
    out.push(`duplicate  ${mode.padEnd(9)} ${firsts.length} cards twice: both ids ok ${both}, same CURP and CIC read on both ${same}, either flagged ${flagged}`);
  }
  return out;
}
