/**
 * `ine-ocr batch`: option parsing, progress rendering and the summary. The work is
 * runBatch's; this file only talks to the terminal.
 */
import os from 'node:os';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RunError, UsageError } from '../errors.ts';
import { formatFromPath, OUTPUT_FORMATS, partialPath, type OutputFormat } from '../io/writers.ts';
import { jobId, planBatch, runBatch, type BatchOptions, type BatchProgress, type BatchSummary } from '../pipeline/batch.ts';
import { parseShard, shardFromEnv, shardLabel, shardOf, shardOutputPath, SHARD_INDEX_VARIABLES, type Shard } from '../queue/shard.ts';
import { OutputDir } from '../report/files.ts';
import { reportAction } from './report.ts';
import { addEngineOptions, addS3Options, ENGINE_HELP, OFFLINE_ENGINES, engineSettings, EXIT, formatCloudUsage, parseMegabytes, parseWorkers, prepareFaceDir, s3Settings, type EngineFlags } from './shared.ts';

interface BatchFlags extends EngineFlags {
  output: string;
  format?: OutputFormat;
  recursive?: boolean;
  jobs: number;
  resume?: boolean;
  dryRun?: boolean;
  bom?: boolean;
  maxSize: number;
  recycleAfter: number;
  progress?: boolean;
  saveFace?: string;
  report?: string;
  failOn: FailOn;
  shard?: string;
  shards?: number;
  s3Endpoint?: string;
}

/** What makes the exit status 1: cards that failed, or also cards read but flagged for review. */
export type FailOn = 'error' | 'review';

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function parseShardCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

/** The shard this run reads, from --shard K/N or --shards N and the array-job index; undefined for the whole plan. */
function shardOfRun(flags: BatchFlags): Shard | undefined {
  if (flags.shard !== undefined && flags.shards !== undefined) throw new UsageError('give --shard K/N or --shards N, not both');
  if (flags.shard !== undefined) return parseShard(flags.shard);
  if (flags.shards !== undefined) return shardFromEnv(flags.shards);
  return undefined;
}

export function addBatchCommand(program: Command): void {
  addS3Options(addEngineOptions(program.command('batch')))
    .description('Read many cards: a folder of images (paired by file name) or a manifest; one row per card')
    .argument('<input>', 'a folder of front/back images, or a manifest: .csv (front,back[,id]), .json or .jsonl')
    .option('-o, --output <file>', 'where rows go: .csv, .json or .jsonl, or - for stdout', '-')
    .addOption(new Option('--format <format>', 'output format (default: from the file extension; jsonl on stdout)').choices(OUTPUT_FORMATS as string[]))
    .option('-r, --recursive', 'look for images in subfolders too (pairs never cross folders)')
    .addOption(new Option('-j, --jobs <n>', 'cards read at once, and OCR workers (Textract: requests in flight)').argParser(parseWorkers).default(Math.max(1, os.availableParallelism()), 'the cores available'))
    .option('--resume', 'keep the rows already in the output and read only the cards missing from it')
    .option('--dry-run', 'print how the images were paired, read nothing')
    .option('--bom', 'start a CSV with a UTF-8 BOM so Excel shows accents right')
    .addOption(new Option('--max-size <MB>', 'largest image file accepted, in MB').argParser(parseMegabytes).default(5 * 1024 * 1024, '5'))
    .addOption(new Option('--recycle-after <n>', 'restart each OCR worker after this many reads (0: never), to keep memory flat').argParser(parseCount).default(200))
    .option('--save-face <dir>', "save each card's photo, cut from the front, as <dir>/<id>_face.jpg")
    .option('--report <dir>', 'after the run, build the review page from the rows written (see ine-ocr report)')
    .option('--no-progress', 'no progress output on stderr')
    .addOption(new Option('--fail-on <what>', 'exit 1 when a card failed (error), or also when a card was read but flagged for review (review)').choices(['error', 'review']).default('error'))
    .option('--shard <K/N>', 'read only shard K of N (K from 0): the cards whose id hashes to K; the output gets .shard-K-of-N before its extension')
    .addOption(new Option('--shards <N>', `like --shard, with K from ${SHARD_INDEX_VARIABLES.join(' or ')} (Kubernetes Indexed Jobs, AWS Batch array jobs)`).argParser(parseShardCount))
    .addHelpText(
      'after',
      `
Pairing a folder: names such as *_front/*_back, *-anverso/*-reverso, *_frente/*_reverso, *_a/*_b,
*_1/*_2 (any case or separator); consecutive camera names (IMG_1234, IMG_1235) are paired and
the side is told from the image (the back has the MRZ). Images left without a partner get a row
with INOCR002/INOCR003; ambiguous names are reported, never guessed.

Review: a card read (status ok) whose front and back disagree, whose key fields are not all
verified, or whose capture is poor has reasons in its review column (codes and words); the
summary counts them as flagged. --fail-on review makes them count as failed for the exit status.

Exit status: 0 every card ok; 1 some cards failed (the output still has a row for each);
2 bad usage or a run-level failure (input unreadable, output not writable, engine not started,
AWS credentials refused: the rows written so far are kept, --resume carries on).

Shards: N runs with --shard 0/N … --shard N-1/N (or --shards N in an array job) read disjoint
shares of the same input, by SHA-256 of the card id; each writes its own output, and
\`ine-ocr merge <outputs…> --input <same input> -o all.csv\` checks that every card is there once.
Manifests may name s3://bucket/key images (see --s3-endpoint).
${ENGINE_HELP}

Examples:
  ine-ocr batch samples/ -o cards.csv --bom
  ine-ocr batch scans/ -r -o cards.jsonl --resume
  ine-ocr batch manifest.csv -o - --format json
  ine-ocr batch scans/ -o cards.csv --report review/
  ine-ocr batch scans/ -o cards.csv --engine hybrid --textract-region us-east-1 --textract-tps 5
  ine-ocr batch scans/ -o out/cards.csv --shard 2/8     # writes out/cards.shard-2-of-8.csv`,
    )
    .action(async (input: string, flags: BatchFlags) => {
      process.exitCode = await batchAction(input, flags);
    });
}

async function batchAction(input: string, flags: BatchFlags): Promise<number> {
  const format = flags.format ?? (flags.output === '-' ? 'jsonl' : formatFromPath(flags.output));
  if (!format) throw new UsageError(`Cannot tell the output format from "${flags.output}": use .csv, .json or .jsonl, or --format`);
  if (flags.resume && flags.output === '-') throw new UsageError('--resume needs an output file (-o)');
  if (flags.report !== undefined && flags.output === '-') throw new UsageError('--report reads the rows back: it needs an output file (-o)');
  // Checked before reading any card: a long run should not end on a folder it cannot use.
  if (flags.report !== undefined && !flags.dryRun) await OutputDir.check(flags.report);
  const shard = shardOfRun(flags);
  const output = shard ? shardOutputPath(flags.output, shard) : flags.output;
  const select = shard ? (id: string): boolean => shardOf(id, shard.count) === shard.index : undefined;

  if (flags.dryRun) {
    const plan = await planBatch(input, flags.recursive === true, flags.report !== undefined ? [flags.report] : []);
    for (const j of plan.jobs) {
      if (select && !select(jobId(j))) continue;
      if (j.kind === 'pair') process.stdout.write(`pair     ${j.id}\t${j.front}\t${j.back}\n`);
      else if (j.kind === 'unsided') process.stdout.write(`by-image ${j.id}\t${j.files[0]}\t${j.files[1]}\t(side told from the MRZ)\n`);
      else process.stdout.write(`error    ${j.record.id}\t${j.record.errorCode}\t${j.record.errorMessage}\n`);
    }
    for (const a of plan.ambiguous) process.stdout.write(`ambiguous\t${a.paths.join(', ')}\t${a.reason}\n`);
    return EXIT.ok;
  }

  const opts: BatchOptions = {
    input,
    recursive: flags.recursive === true,
    output,
    format,
    bom: flags.bom === true,
    jobs: flags.jobs,
    resume: flags.resume === true,
    maxBytes: flags.maxSize,
    recycleAfter: flags.recycleAfter,
    ...(flags.saveFace !== undefined ? { saveFaceDir: prepareFaceDir(flags.saveFace)! } : {}),
    // A review page inside the input folder holds JPEGs: never read them as cards.
    ...(flags.report !== undefined ? { exclude: [flags.report] } : {}),
    ...engineSettings(flags, flags.jobs),
    ...(select ? { select } : {}),
    s3: s3Settings(flags),
  };
  const progress = flags.progress === false ? undefined : createProgress();
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nine-ocr: stopping after the cards being read (Ctrl-C again to quit now); finished rows are kept\n');
      abort.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  let summary: BatchSummary;
  if (shard && flags.progress !== false) process.stderr.write(`ine-ocr: shard ${shardLabel(shard)}${output === '-' ? '' : `: rows in ${output}`}\n`);
  if (!OFFLINE_ENGINES.has(opts.engine ?? 'local') && flags.progress !== false) {
    process.stderr.write(`ine-ocr: engine ${opts.engine}: card images are sent to AWS Textract\n`);
  }
  try {
    summary = await runBatch(opts, {
      signal: abort.signal,
      onPlan: (plan, skipped) => {
        progress?.start(plan.jobs.length - skipped, skipped);
        for (const a of plan.ambiguous) process.stderr.write(`ine-ocr: ambiguous, not guessed: ${a.paths.join(', ')} (${a.reason})\n`);
      },
      onRow: (_r, p) => progress?.update(p),
    });
  } catch (err) {
    if (err instanceof RunError && opts.output !== '-') {
      const kept = opts.format === 'json' ? partialPath(opts.output) : opts.output;
      throw new RunError(`${err.message}\nThe run stopped; the rows written so far are in ${kept}: --resume carries on.`, { cause: err });
    }
    throw err;
  } finally {
    progress?.stop();
    process.off('SIGINT', onSigint);
  }
  // Stopped: a JSON output was not finished, its rows are in the .partial file.
  const rowsIn = abort.signal.aborted && opts.format === 'json' && opts.output !== '-' ? partialPath(opts.output) : opts.output;
  process.stderr.write(formatSummary(summary, rowsIn) + '\n');
  if (flags.report !== undefined) {
    if (abort.signal.aborted) process.stderr.write('ine-ocr: stopped early: no review page built (run ine-ocr report once the batch is complete)\n');
    else {
      // Read back from the output written, not kept from the run: a batch never holds its rows.
      const run = { cards: summary.done, elapsedMs: summary.elapsedMs, cardsPerMinute: summary.cardsPerMinute };
      await reportAction(opts.output, flags.report, flags.jobs, flags.progress !== false, run);
    }
  }
  if (abort.signal.aborted) return EXIT.cardFailed;
  const failing = summary.failed + (flags.failOn === 'review' ? summary.flagged : 0);
  return failing > 0 ? EXIT.cardFailed : EXIT.ok;
}

export function formatSummary(s: BatchSummary, output: string): string {
  const codes = Object.entries(s.byCode)
    .sort()
    .map(([c, n]) => `${c} ×${n}`)
    .join(', ');
  const secs = s.elapsedMs / 1000;
  return [
    `ine-ocr: ${s.done} card(s) in ${secs.toFixed(1)} s (${s.cardsPerMinute.toFixed(1)} cards/min): ${s.ok} ok${s.flagged > 0 ? ` (${s.flagged} flagged for review)` : ''}, ${s.failed} failed${codes ? ` (${codes})` : ''}`,
    s.skipped > 0 ? `, ${s.skipped} already in the output (resumed)` : '',
    s.ambiguous.length > 0 ? `; ${s.ambiguous.length} ambiguous pairing(s) reported` : '',
    s.unread > 0 ? `; stopped: ${s.unread} card(s) left unread (--resume reads them)` : '',
    output === '-' ? '' : `; rows in ${output}`,
    s.cloud ? `; ${formatCloudUsage(s.cloud)}` : '',
  ].join('');
}

/** A bar on a terminal; a plain line every 10 s or 25 cards otherwise (logs, CI). */
function createProgress(): { start(total: number, skipped: number): void; update(p: BatchProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: 'cards {bar} {value}/{total} | {rate} cards/min | ETA {eta_formatted} | failed {failed}',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(total, 0, { rate: '-', failed: 0 }),
      update: (p) => bar.update(p.done, { rate: p.elapsedMs > 0 ? ((p.done * 60_000) / p.elapsedMs).toFixed(1) : '-', failed: p.failed }),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let lastAt = Date.now();
  let lastDone = 0;
  return {
    start: (t, skipped) => {
      total = t;
      process.stderr.write(`ine-ocr: ${t} card(s) to read${skipped ? `, ${skipped} already done` : ''}\n`);
    },
    update: (p) => {
      if (p.done - lastDone >= 25 || Date.now() - lastAt >= 10_000 || p.done === total) {
        lastAt = Date.now();
        lastDone = p.done;
        const rate = p.elapsedMs > 0 ? (p.done * 60_000) / p.elapsedMs : 0;
        process.stderr.write(`ine-ocr: ${p.done}/${total} cards, ${rate.toFixed(1)} cards/min, ${p.failed} failed\n`);
      }
    },
    stop: () => undefined,
  };
}
