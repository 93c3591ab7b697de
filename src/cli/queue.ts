/**
 * `ine-ocr queue add|status|export|clear`: option parsing and what is printed. The work is
 * src/queue's, loaded when a queue command runs (BullMQ and ioredis take a while to load, and
 * the other commands do not need them).
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { formatFromPath, OUTPUT_FORMATS, type OutputFormat } from '../io/writers.ts';
import { planBatch } from '../pipeline/batch.ts';
import type { AddSummary } from '../queue/add.ts';
import type { QueueHandle } from '../queue/connection.ts';
import type { ExportSummary } from '../queue/export.ts';
import type { QueueStatus } from '../queue/status.ts';
import { DEFAULT_QUEUE } from '../queue/store.ts';
import { EXIT, parseSeconds, parseWhole } from './shared.ts';

export interface QueueFlags {
  redis: string;
  queue: string;
}

/** `--redis URL` (or REDIS_URL) and `--queue NAME`, shared by the queue commands and the worker. */
export function addQueueOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--redis <url>', 'the Redis that holds the queue: redis://[user:password@]host[:port][/db], rediss:// for TLS').env('REDIS_URL').makeOptionMandatory())
    .option('--queue <name>', 'queue name (several runs can share one Redis under different names)', DEFAULT_QUEUE);
}

async function withQueue<T>(flags: QueueFlags, work: (h: QueueHandle) => Promise<T>): Promise<T> {
  const { openQueue } = await import('../queue/connection.ts');
  const h = await openQueue(flags.redis, flags.queue);
  try {
    return await work(h);
  } finally {
    await h.close();
  }
}

const codesOf = (byCode: Readonly<Record<string, number>>): string =>
  Object.entries(byCode)
    .sort()
    .map(([c, n]) => `${c} ×${n}`)
    .join(', ');

export function addQueueCommand(program: Command): void {
  const queue = program
    .command('queue')
    .description('Read cards on many machines: add them to a queue in Redis (BullMQ), run `ine-ocr worker` anywhere, export the rows');

  addQueueOptions(queue.command('add'))
    .description('Pair a folder or read a manifest as batch does, and add one job per card (adding the same input again adds nothing)')
    .argument('<input>', 'a folder of front/back images, or a manifest (.csv, .json, .jsonl; images may be s3://bucket/key)')
    .option('-r, --recursive', 'look for images in subfolders too')
    .addOption(new Option('--attempts <n>', 'tries per card for engine failures (INOCR001/007/009); bad inputs are never retried').argParser(parseWhole(1, 100)).default(3))
    .addOption(new Option('--backoff <s>', 'seconds before the first retry, doubled for each next one').argParser(parseSeconds).default(10))
    .addHelpText(
      'after',
      `
Folder paths are stored absolute: every worker must see the images at the same path (a shared
filesystem), or name s3://bucket/key images in a manifest. Cards that fail before any reading
(an image without its partner, ambiguous names, a manifest line that does not decode) are stored
at once as their INOCR rows. No image bytes go to Redis.

Exit status: 0 added (or already there); 1 some ids are already in the queue for other images
(not added; use another --queue or \`queue clear\`); 2 bad usage, Redis unreachable.`,
    )
    .action(async (input: string, flags: QueueFlags & { recursive?: boolean; attempts: number; backoff: number }) => {
      const plan = await planBatch(path.resolve(input), flags.recursive === true);
      for (const a of plan.ambiguous) process.stderr.write(`ine-ocr: ambiguous, not guessed: ${a.paths.join(', ')} (${a.reason})\n`);
      const { addPlan } = await import('../queue/add.ts');
      const summary = await withQueue(flags, (h) => addPlan(h, plan, { attempts: flags.attempts, backoffMs: Math.round(flags.backoff * 1000) }));
      process.stderr.write(formatAdd(summary, flags.queue) + '\n');
      process.exitCode = summary.conflicts.length > 0 ? EXIT.cardFailed : EXIT.ok;
    });

  addQueueOptions(queue.command('status'))
    .description('Cards waiting, being read, done and failed; cards/min over the last cards finished, and the time left')
    .option('--json', 'print the figures as one JSON object')
    .action(async (flags: QueueFlags & { json?: boolean }) => {
      const { queueStatus } = await import('../queue/status.ts');
      const s = await withQueue(flags, (h) => queueStatus(h));
      process.stdout.write((flags.json ? JSON.stringify(s) : formatStatus(s, flags.queue)) + '\n');
    });

  addQueueOptions(queue.command('export'))
    .description('Write one row per card added, in the order added, with the columns and escaping of batch')
    .requiredOption('-o, --output <file>', '.csv, .json or .jsonl')
    .addOption(new Option('--format <format>', 'output format (default: from the file extension)').choices(OUTPUT_FORMATS as string[]))
    .option('--bom', 'start a CSV with a UTF-8 BOM so Excel shows accents right')
    .option('--partial', 'write the rows there are while cards are still pending')
    .addHelpText('after', '\nExit status: 0 written; 1 cards still pending (nothing written unless --partial); 2 bad usage, Redis unreachable.\nThe results stay in Redis until `ine-ocr queue clear`.')
    .action(async (flags: QueueFlags & { output: string; format?: OutputFormat; bom?: boolean; partial?: boolean }) => {
      const format = flags.format ?? formatFromPath(flags.output);
      if (!format) throw new UsageError(`Cannot tell the output format from "${flags.output}": use .csv, .json or .jsonl, or --format`);
      const { exportQueue } = await import('../queue/export.ts');
      const s = await withQueue(flags, (h) => exportQueue(h, { output: flags.output, format, bom: flags.bom === true, partial: flags.partial === true }));
      process.stderr.write(formatExport(s, flags.output) + '\n');
      process.exitCode = s.saved ? EXIT.ok : EXIT.cardFailed;
    });

  addQueueOptions(queue.command('clear'))
    .description('Remove the queue from Redis: its jobs, results and rows (export first)')
    .option('--force', 'clear even while cards are waiting or being read')
    .action(async (flags: QueueFlags & { force?: boolean }) => {
      const [{ queueStatus }, { clearQueue }] = await Promise.all([import('../queue/status.ts'), import('../queue/export.ts')]);
      process.exitCode = await withQueue(flags, async (h) => {
        const s = await queueStatus(h);
        const pending = s.waiting + s.active + s.retrying;
        if (pending > 0 && flags.force !== true) {
          process.stderr.write(`ine-ocr: queue ${flags.queue}: ${pending} card(s) still pending; nothing removed (--force removes them too)\n`);
          return EXIT.cardFailed;
        }
        await clearQueue(h, flags.force === true);
        process.stderr.write(`ine-ocr: queue ${flags.queue}: ${s.added} card(s) and their results removed\n`);
        return EXIT.ok;
      });
    });
}

export function formatAdd(s: AddSummary, queue: string): string {
  const codes = codesOf(s.byCode);
  const lines = [
    `ine-ocr: queue ${queue}: ${s.planned} card(s) planned: ${s.added} added for the workers, ${s.rows} stored as error rows at once${codes ? ` (${codes})` : ''}, ${s.already} already in the queue`,
  ];
  if (s.added === 0 && s.rows === 0 && s.conflicts.length === 0 && s.planned > 0) lines.push(`ine-ocr: every card was already in the queue: nothing added`);
  if (s.conflicts.length > 0) {
    lines.push(`ine-ocr: ${s.conflicts.length} card id(s) already in the queue for other images, not added: ${s.conflicts.slice(0, 20).join(', ')}${s.conflicts.length > 20 ? ', …' : ''}`);
  }
  return lines.join('\n');
}

function formatDuration(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${Math.max(m, 1)} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatStatus(s: QueueStatus, queue: string): string {
  return [
    `queue ${queue}: ${s.added} card(s) added (${s.decided} decided at add time)`,
    `waiting ${s.waiting}, active ${s.active}, retrying ${s.retrying}, done ${s.done}, failed ${s.failed}`,
    `workers ${s.workers ?? '(not known)'}; ${s.cardsPerMinute === undefined ? 'rate not known yet' : `${s.cardsPerMinute.toFixed(1)} cards/min`}${s.etaMs === undefined ? '' : `, ETA ${formatDuration(s.etaMs)}`}`,
  ].join('\n');
}

export function formatExport(s: ExportSummary, output: string): string {
  const codes = codesOf(s.byCode);
  const head = `ine-ocr: ${s.written} of ${s.added} card(s) have their row: ${s.ok} ok, ${s.written - s.ok} failed${codes ? ` (${codes})` : ''}`;
  const pending = s.pending > 0 ? `; ${s.pending} still pending (${s.pendingIds.join(', ')}${s.pending > s.pendingIds.length ? ', …' : ''})` : '';
  const where = s.saved ? `; rows in ${output}` : '; nothing written (--partial writes the rows there are)';
  return head + pending + where;
}
