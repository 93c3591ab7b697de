/**
 * `ine-ocr merge`: the outputs of sharded runs → one output, checked against the plan.
 *
 * A shard's output cannot say which cards it should hold but does not (a shard that never ran
 * wrote nothing at all), so merge is given the input as well and plans it exactly as the shards
 * did (planBatch): every card of that plan must appear exactly once across the outputs. What is
 * missing, duplicated, or not in the plan is reported card by card; unless `partial`, nothing is
 * written then. Rows are copied as read back (src/io/resume.ts parses every output format), one
 * output at a time, so memory holds one shard's rows and the set of ids, not the whole run.
 */
import { stat } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { formatFromPath, readDoneRows, type OutputFormat } from '../io/writers.ts';
import { jobId, planBatch } from '../pipeline/batch.ts';
import { shardOf, shardOfOutputPath, type Shard } from './shard.ts';
import { StagedOutput } from './staged-output.ts';

export interface MergeOptions {
  /** The shards' outputs (.csv, .json, .jsonl; a JSON run's `.partial` is read when it is there). */
  readonly outputs: readonly string[];
  /** The input the shards read (folder or manifest) and whether subfolders were read. */
  readonly input: string;
  readonly recursive: boolean;
  readonly output: string;
  readonly format: OutputFormat;
  readonly bom: boolean;
  /** Write what there is even when cards are missing or repeated (each card once, the first row kept). */
  readonly partial: boolean;
}

/** A card of the plan with no row: its id, and its shard when the outputs' names say how many there were. */
export interface MissingCard {
  readonly id: string;
  readonly shard?: Shard;
}

export interface MergeReport {
  /** Cards in the plan. */
  readonly expected: number;
  /** Cards of the plan with a row (each counted once). */
  readonly found: number;
  readonly missing: readonly MissingCard[];
  /** Ids with more than one row, and the outputs they came from. */
  readonly duplicated: readonly { readonly id: string; readonly files: readonly string[] }[];
  /** Rows whose id is not in the plan (another input, or planned with other options). */
  readonly unexpected: readonly { readonly id: string; readonly file: string }[];
  /** Shards named by the outputs' file names of which no output was given. */
  readonly shardsWithoutOutput: readonly Shard[];
  /** The output was written (complete, or `partial`). */
  readonly saved: boolean;
  /** Rows in the output. */
  readonly written: number;
  readonly ok: number;
  readonly byCode: Readonly<Record<string, number>>;
}

/** The shard count the outputs' names agree on (`….shard-K-of-N.csv`), if they all say one. */
function shardCountOf(outputs: readonly string[]): number | undefined {
  const counts = new Set(outputs.map((o) => shardOfOutputPath(o)?.count));
  const [only] = counts;
  return counts.size === 1 && only !== undefined ? only : undefined;
}

function formatOf(file: string): OutputFormat {
  const f = formatFromPath(file);
  if (!f) throw new UsageError(`Cannot tell the format of ${file}: merge reads .csv, .json and .jsonl outputs`);
  return f;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function mergeOutputs(opts: MergeOptions): Promise<MergeReport> {
  if (opts.outputs.length === 0) throw new UsageError('merge needs at least one output to read');
  for (const o of opts.outputs) {
    formatOf(o);
    if (!(await exists(o)) && !(await exists(`${o}.partial`))) throw new UsageError(`Output not found: ${o}`);
  }
  const plan = await planBatch(opts.input, opts.recursive, [opts.output, ...opts.outputs]);
  const expected = new Set(plan.jobs.map(jobId));
  const seenIn = new Map<string, string[]>();
  const unexpected: { id: string; file: string }[] = [];
  const out = await StagedOutput.open(opts.output, opts.format, opts.bom);
  try {
    for (const file of opts.outputs) {
      const { rows } = await readDoneRows(file, formatOf(file));
      for (const row of rows) {
        const files = seenIn.get(row.id);
        if (files) files.push(file);
        else if (!expected.has(row.id)) unexpected.push({ id: row.id, file });
        else {
          seenIn.set(row.id, [file]);
          await out.write(row);
        }
      }
    }
  } catch (err) {
    await out.discard();
    throw err;
  }

  const count = shardCountOf(opts.outputs);
  const missing = [...expected].filter((id) => !seenIn.has(id)).map((id): MissingCard => (count ? { id, shard: { index: shardOf(id, count), count } } : { id }));
  const duplicated = [...seenIn].filter(([, files]) => files.length > 1).map(([id, files]) => ({ id, files }));
  const given = new Set(opts.outputs.map((o) => shardOfOutputPath(o)?.index));
  const shardsWithoutOutput = count ? Array.from({ length: count }, (_, index) => ({ index, count })).filter((s) => !given.has(s.index)) : [];
  const complete = missing.length === 0 && duplicated.length === 0 && unexpected.length === 0;
  await out.finish(complete || opts.partial);
  return {
    expected: expected.size,
    found: seenIn.size,
    missing,
    duplicated,
    unexpected,
    shardsWithoutOutput,
    saved: complete || opts.partial,
    written: out.written,
    ok: out.ok,
    byCode: out.byCode,
  };
}
