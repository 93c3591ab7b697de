/**
 * `ine-ocr worker`: options, signals, progress lines and the summary. The work is runWorker's
 * (loaded when the command runs: the other commands need not load BullMQ).
 */
import os from 'node:os';
import { Option, type Command } from 'commander';
import type { WorkerProgress, WorkerSummary } from '../queue/worker.ts';
import { addQueueOptions, type QueueFlags } from './queue.ts';
import { addEngineOptions, addS3Options, ENGINE_HELP, engineSettings, OFFLINE_ENGINES, EXIT, parseMegabytes, parseWhole, parseWorkers, s3Settings, type EngineFlags } from './shared.ts';

interface WorkerFlags extends QueueFlags, EngineFlags {
  jobs: number;
  maxSize: number;
  recycleAfter: number;
  lockDuration: number;
  exitWhenIdle?: boolean;
  progress?: boolean;
  s3Endpoint?: string;
}

export function addWorkerCommand(program: Command): void {
  addS3Options(addEngineOptions(addQueueOptions(program.command('worker'))))
    .description('Read the cards of a queue (see `ine-ocr queue`) until stopped; run one or more on every machine')
    .addOption(new Option('-j, --jobs <n>', 'cards read at once, and OCR workers').argParser(parseWorkers).default(Math.max(1, os.availableParallelism()), 'the cores available'))
    .addOption(new Option('--max-size <MB>', 'largest image accepted, in MB').argParser(parseMegabytes).default(5 * 1024 * 1024, '5'))
    .addOption(new Option('--recycle-after <n>', 'restart each OCR worker after this many reads (0: never), to keep memory flat').argParser(parseWhole(0, 1_000_000)).default(200))
    .addOption(new Option('--lock-duration <s>', 'seconds a card stays claimed by a worker that stopped answering before another worker reads it').argParser(parseWhole(1, 3600)).default(30))
    .option('--exit-when-idle', 'stop once nothing is waiting, retrying or being read anywhere')
    .option('--no-progress', 'nothing on stderr but problems and the summary')
    .addHelpText(
      'after',
      `
Engine failures (INOCR001/007/009) are retried with backoff (see \`queue add --attempts\`); bad
inputs are not. A worker killed mid-card loses nothing: after --lock-duration another worker
reads that card again. SIGTERM or Ctrl-C: the cards being read finish and are stored, then the
worker exits 0 (a second signal exits at once; those cards are read again elsewhere).

Exit status: 0 stopped (idle, or on a signal); 2 bad usage, Redis unreachable at start, the
engine could not start or its credentials were refused.
${ENGINE_HELP}

Example (on every machine; the images on a shared filesystem or in S3):
  ine-ocr worker --redis redis://queue-host:6379 -j 2`,
    )
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await workerAction(flags);
    });
}

async function workerAction(flags: WorkerFlags): Promise<number> {
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      process.stderr.write('\nine-ocr: worker stopping after the cards being read (again to quit now; those cards are read again elsewhere)\n');
      abort.abort();
    } else process.exit(130);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const show = flags.progress !== false;
  const line = progressLine();
  const { runWorker } = await import('../queue/worker.ts');
  try {
    const summary = await runWorker(
      {
        redis: flags.redis,
        queue: flags.queue,
        jobs: flags.jobs,
        reader: { maxBytes: flags.maxSize, recycleAfter: flags.recycleAfter, ...engineSettings(flags, flags.jobs) },
        s3: s3Settings(flags),
        lockMs: Math.round(flags.lockDuration * 1000),
        exitWhenIdle: flags.exitWhenIdle === true,
        signal: abort.signal,
      },
      {
        onReady: () => {
          if (!show) return;
          process.stderr.write(`ine-ocr: worker ${process.pid} reading queue ${flags.queue} (${flags.jobs} at once)\n`);
          if (!OFFLINE_ENGINES.has(flags.engine)) process.stderr.write(`ine-ocr: engine ${flags.engine}: card images are sent to AWS Textract\n`);
        },
        onCard: (_r, p) => show && line(p),
        onRetry: (id, code, attempt) => show && process.stderr.write(`ine-ocr: card ${id}: ${code}, tried ${attempt} time(s); retried later\n`),
        onTrouble: troubleLine(),
      },
    );
    process.stderr.write(formatWorkerSummary(summary) + '\n');
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/**
 * Redis trouble (a restart, a network cut): the worker rides it out, ioredis reconnecting every
 * second or two. One line per kind of trouble every 30 s, not one per reconnect attempt.
 */
function troubleLine(): (message: string) => void {
  const lastAt = new Map<string, number>();
  return (message) => {
    const now = Date.now();
    if (now - (lastAt.get(message) ?? 0) < 30_000) return;
    lastAt.set(message, now);
    process.stderr.write(`ine-ocr: ${message} (the worker keeps trying)\n`);
  };
}

/** A plain line every 10 s or 25 cards, as batch prints when stderr is not a terminal. */
function progressLine(): (p: WorkerProgress) => void {
  let lastAt = Date.now();
  let lastDone = 0;
  return (p) => {
    if (p.done - lastDone < 25 && Date.now() - lastAt < 10_000) return;
    lastAt = Date.now();
    lastDone = p.done;
    const rate = p.elapsedMs > 0 ? (p.done * 60_000) / p.elapsedMs : 0;
    process.stderr.write(`ine-ocr: worker: ${p.done} card(s) read, ${rate.toFixed(1)} cards/min, ${p.failed} failed, ${p.retried} retried\n`);
  };
}

export function formatWorkerSummary(s: WorkerSummary): string {
  const codes = Object.entries(s.byCode)
    .sort()
    .map(([c, n]) => `${c} ×${n}`)
    .join(', ');
  return `ine-ocr: worker read ${s.done} card(s) in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.cardsPerMinute.toFixed(1)} cards/min): ${s.ok} ok, ${s.failed} failed${codes ? ` (${codes})` : ''}${s.retried > 0 ? `, ${s.retried} engine failure(s) retried` : ''}`;
}
