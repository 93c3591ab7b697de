/**
 * `ine-ocr batch`: a folder or a manifest of cards → one row per card, streamed to a sink as
 * each card finishes. Bounded parallelism (p-limit) over one pool of OCR workers of the same
 * size; a bad card becomes its row, never stops the run; run-level problems throw.
 * Progress is a callback; rendering belongs to the CLI.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { UsageError } from '../errors.ts';
import { MANIFEST_EXTENSIONS, readManifest } from '../io/manifest.ts';
import { pairFiles, type Ambiguity } from '../io/pairing.ts';
import { listImages } from '../io/scan.ts';
import { openSink, readDoneRows, type OutputFormat } from '../io/writers.ts';
import type { EngineUsage } from '../engines/types.ts';
import type { TextractEngineOptions } from '../engines/textract.ts';
import { S3Images, type S3Options } from '../io/s3.ts';
import { readCardJob, type OcrJob } from './card-job.ts';
import { CardReader, DEFAULT_ENGINE, type EngineChoice } from './reader.ts';
import { newRecord, type CardRecord } from '../record.ts';

export interface BatchOptions {
  /** A folder of images, or a manifest (.csv, .json, .jsonl). */
  readonly input: string;
  readonly recursive: boolean;
  /** Output path, or '-' for stdout. */
  readonly output: string;
  readonly format: OutputFormat;
  readonly bom: boolean;
  /** Cards read at once, and OCR workers. */
  readonly jobs: number;
  readonly resume: boolean;
  readonly maxBytes: number;
  /** Recreate each OCR worker after this many recognitions, so memory stays flat. */
  readonly recycleAfter: number;
  /** Write each card's photo to `<dir>/<id>_face.jpg`. */
  readonly saveFaceDir?: string;
  /** OCR engine (default tesseract). */
  readonly engine?: EngineChoice;
  /** Textract settings (engines textract and hybrid). */
  readonly textract?: TextractEngineOptions;
  /** Paths inside the input folder that are never read as cards (the review page's folder). */
  readonly exclude?: readonly string[];
  /** Only the cards whose id this accepts (a shard of the plan: src/queue/shard.ts). */
  readonly select?: (id: string) => boolean;
  /** Where `s3://` images are read from (default: AWS S3, the SDK's credential chain). */
  readonly s3?: S3Options;
}

/** One unit of work: a known pair, two images of unknown sides, or a row already decided. */
export type Job =
  | { readonly kind: 'pair'; readonly id: string; readonly front: string; readonly back: string }
  | { readonly kind: 'unsided'; readonly id: string; readonly files: readonly [string, string] }
  | { readonly kind: 'row'; readonly record: CardRecord };

export interface BatchPlan {
  readonly jobs: readonly Job[];
  readonly ambiguous: readonly Ambiguity[];
  readonly source: 'folder' | 'manifest';
}

export interface BatchProgress {
  readonly total: number;
  readonly done: number;
  readonly ok: number;
  /** Cards read (`ok`) whose record asks for review (a non-empty `review`). */
  readonly flagged: number;
  readonly failed: number;
  readonly skipped: number;
  readonly elapsedMs: number;
}

export interface BatchSummary extends BatchProgress {
  readonly byCode: Readonly<Record<string, number>>;
  /** Cards never read because the run was stopped (Ctrl-C): --resume reads them. */
  readonly unread: number;
  readonly ambiguous: readonly Ambiguity[];
  readonly cardsPerMinute: number;
  /** The cloud engine's calls (textract, hybrid): what the run is billed for. */
  readonly cloud?: EngineUsage & { readonly engine: string };
}

export interface BatchEvents {
  readonly onPlan?: (plan: BatchPlan, skipped: number) => void;
  /** A row was written; `latencyMs`: time spent reading that card (0 for rows decided without OCR). */
  readonly onRow?: (record: CardRecord, progress: BatchProgress, latencyMs: number) => void;
  /** Stop scheduling new cards (Ctrl-C): in-flight cards finish and are written. */
  readonly signal?: AbortSignal;
}

/** Failures worth trying again on --resume (the engine or a bug); bad inputs stay as they were. */
export const RETRIED_ON_RESUME: ReadonlySet<string> = new Set(['INOCR001', 'INOCR007', 'INOCR009']);

/** Reads the folder or manifest into jobs: pairs, unsided pairs and rows for what cannot be read. */
export async function planBatch(input: string, recursive: boolean, exclude: readonly string[] = []): Promise<BatchPlan> {
  let st;
  try {
    st = await stat(input);
  } catch {
    throw new UsageError(`Input not found: ${input}`);
  }
  const jobs: Job[] = [];
  if (st.isDirectory()) {
    const files = await listImages(input, { recursive, exclude: [...exclude] });
    const plan = pairFiles(files);
    const at = (p: string): string => path.join(input, p);
    for (const p of plan.pairs) jobs.push({ kind: 'pair', id: p.id, front: at(p.front), back: at(p.back) });
    for (const u of plan.unsided) jobs.push({ kind: 'unsided', id: u.id, files: [at(u.files[0]), at(u.files[1])] });
    for (const o of plan.orphans) {
      const r = newRecord(o.id, o.side === 'back' ? '' : at(o.path), o.side === 'back' ? at(o.path) : '');
      jobs.push({ kind: 'row', record: { ...r, status: 'error', errorCode: o.code, errorMessage: o.message } });
    }
    return { jobs: sortJobs(jobs), ambiguous: plan.ambiguous, source: 'folder' };
  }
  if (!MANIFEST_EXTENSIONS.includes(path.extname(input).toLowerCase())) {
    throw new UsageError(`Input must be a folder or a manifest (${MANIFEST_EXTENSIONS.join(', ')}): ${input}`);
  }
  const m = await readManifest(input);
  for (const e of m.entries) jobs.push({ kind: 'pair', id: e.id, front: e.front, back: e.back });
  for (const e of m.errors) {
    jobs.push({ kind: 'row', record: { ...newRecord(e.id, '', ''), status: 'error', errorCode: e.code, errorMessage: `${input} line ${e.line}: ${e.message}` } });
  }
  return { jobs, ambiguous: [], source: 'manifest' };
}

/** The card id of a planned job. */
export function jobId(j: Job): string {
  return j.kind === 'row' ? j.record.id : j.id;
}

/** The files a job reads (a decided row names the files it would have read). */
function jobFiles(j: Job): string[] {
  if (j.kind === 'pair') return [j.front, j.back];
  if (j.kind === 'unsided') return [...j.files];
  return [j.record.front, j.record.back].filter((f) => f !== '');
}

/** The same file: the same inode when it exists (symlinks, hard links, `./x` and `x`), else the same absolute path. */
async function fileKey(p: string): Promise<string> {
  try {
    const st = await stat(p);
    return `inode:${st.dev}:${st.ino}`;
  } catch {
    return `path:${path.resolve(p)}`;
  }
}

/**
 * A run never writes over what it reads: an output that is the manifest or one of the images
 * (an image name given with --format, a path listed in the manifest) stops the run (exit 2)
 * before anything is opened for writing.
 */
export async function refuseOutputAmongInputs(input: string, output: string, plan: BatchPlan): Promise<void> {
  if (output === '-') return;
  const target = await fileKey(output);
  const inputs = [...(plan.source === 'manifest' ? [input] : []), ...plan.jobs.flatMap(jobFiles)];
  for (const file of inputs) {
    if ((await fileKey(file)) === target) {
      throw new UsageError(`The output ${output} is one of the inputs (${file}); writing it would destroy that input. Choose another -o.`);
    }
  }
}

function sortJobs(jobs: Job[]): Job[] {
  return jobs.sort((a, b) => (jobId(a) < jobId(b) ? -1 : jobId(a) > jobId(b) ? 1 : 0));
}

/**
 * Runs the batch. Resolves with the summary once every scheduled card is written and the sink
 * is closed; throws only for run-level problems (input, output, engine start-up).
 */
export async function runBatch(opts: BatchOptions, events: BatchEvents = {}, reader?: CardReader): Promise<BatchSummary> {
  // The output is not hidden from the listing: an output that is one of the inputs is refused.
  // Only folders the run writes beside its rows (the review page) are left out.
  const whole = await planBatch(opts.input, opts.recursive, opts.exclude ?? []);
  await refuseOutputAmongInputs(opts.input, opts.output, whole);
  const plan = opts.select ? { ...whole, jobs: whole.jobs.filter((j) => opts.select!(jobId(j))) } : whole;

  // Resume: rows already in the output are kept and their cards not read again.
  let keepIds = new Set<string>();
  if (opts.resume && opts.output !== '-') {
    const done = await readDoneRows(opts.output, opts.format);
    keepIds = new Set(done.rows.filter((r) => !(r.status === 'error' && RETRIED_ON_RESUME.has(r.errorCode))).map((r) => r.id));
  }
  const todo = plan.jobs.filter((j) => !keepIds.has(jobId(j)));
  const skipped = plan.jobs.length - todo.length;
  events.onPlan?.(plan, skipped);

  const sink = await openSink(opts.output, {
    format: opts.format,
    bom: opts.bom,
    append: opts.resume,
    keep: (row) => keepIds.has(row.id),
  });
  const started = Date.now();
  const byCode: Record<string, number> = {};
  let ok = 0;
  let flagged = 0;
  let failed = 0;
  let done = 0;
  let unread = 0;
  const progress = (): BatchProgress => ({ total: todo.length, done, ok, flagged, failed, skipped, elapsedMs: Date.now() - started });
  const emit = async (record: CardRecord, latencyMs = 0): Promise<void> => {
    await sink.write(record);
    done++;
    if (record.status === 'ok') {
      ok++;
      if (record.review.length > 0) flagged++;
    } else {
      failed++;
      byCode[record.errorCode] = (byCode[record.errorCode] ?? 0) + 1;
    }
    events.onRow?.(record, progress(), latencyMs);
  };

  let ownReader: CardReader | undefined;
  const s3 = new S3Images(opts.s3);
  let cloud: BatchSummary['cloud'];
  try {
    // Rows decided without OCR first: they need no worker.
    for (const j of todo) if (j.kind === 'row') await emit(j.record);
    const ocrJobs = todo.filter((j): j is OcrJob => j.kind !== 'row');
    if (ocrJobs.length > 0) {
      ownReader = reader
        ? undefined
        : await CardReader.create({
            engine: opts.engine ?? DEFAULT_ENGINE,
            workers: opts.jobs,
            maxBytes: opts.maxBytes,
            recycleAfter: opts.recycleAfter,
            ...(opts.textract ? { textract: opts.textract } : {}),
            ...(opts.saveFaceDir ? { saveFaceDir: opts.saveFaceDir } : {}),
          });
      const r = reader ?? ownReader!;
      const limit = pLimit(opts.jobs);
      // Stop (Ctrl-C, or a run-level error below): queued cards start and return at once. Not
      // limit.clearQueue(): the promises of cleared tasks never settle, Promise.all would never
      // resolve, and the sink would never be closed nor the summary printed.
      // A run-level failure while reading (the cloud engine refuses the credentials): nothing more
      // is scheduled, the cards being read finish and are written, then the run stops with it.
      let fatal: { error: unknown } | undefined;
      try {
        await Promise.all(
          ocrJobs.map((j) =>
            limit(async () => {
              if (events.signal?.aborted || fatal) {
                unread++;
                return;
              }
              const t0 = Date.now();
              let rec: CardRecord;
              try {
                rec = await readCardJob(j, { reader: r, s3, maxBytes: opts.maxBytes });
              } catch (error) {
                fatal ??= { error };
                return;
              }
              await emit(rec, Date.now() - t0);
            }),
          ),
        );
      } finally {
        cloud = r.cloudUsage();
      }
      if (fatal) throw fatal.error;
    }
    // Stopped (Ctrl-C): the rows written stay, but the output is not finished. A JSON output
    // stays in its .partial (only a finished batch becomes <out>); --resume carries on.
    if (events.signal?.aborted && sink.abort) await sink.abort();
    else await sink.close();
  } catch (err) {
    await sink.abort?.();
    throw err;
  } finally {
    await ownReader?.close();
    s3.close();
  }
  const elapsedMs = Date.now() - started;
  return {
    ...progress(),
    elapsedMs,
    byCode,
    unread,
    ambiguous: plan.ambiguous,
    cardsPerMinute: elapsedMs > 0 ? (done * 60_000) / elapsedMs : 0,
    ...(cloud ? { cloud } : {}),
  };
}
