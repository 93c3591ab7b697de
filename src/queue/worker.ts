/**
 * `ine-ocr worker`: reads the queue's cards with one CardReader until told to stop.
 *
 * - Up to `jobs` cards at once (BullMQ concurrency), over a pool of as many OCR workers.
 * - A card's result is its job's return value: stored when the job completes, exactly once.
 * - Engine failures (INOCR001/007/009, the codes `batch --resume` retries) are retried with
 *   exponential backoff while the job has tries left; the last try's row is kept as the result.
 *   Bad inputs are never retried: their row is the result at once.
 * - A worker killed mid-card holds a lock it no longer renews: after `lockMs` the job is
 *   "stalled", and a live worker's stall check (every `lockMs`) puts it back to be read again
 *   (at most MAX_STALLS times; then it fails, and the export says so with INOCR001).
 * - stop (SIGTERM): no new card is taken, the cards being read finish and are stored, then
 *   everything is closed. A run-level failure (refused cloud credentials) stops it the same way
 *   and is thrown at the end; the card that met it goes back for a retry.
 * - `exitWhenIdle`: stop once the queue has nothing waiting, delayed or being read.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { UsageError } from '../errors.ts';
import { S3Images, type S3Options } from '../io/s3.ts';
import { RETRIED_ON_RESUME } from '../pipeline/batch.ts';
import { readCardJob, type OcrJob } from '../pipeline/card-job.ts';
import { CardReader, type ReaderOptions } from '../pipeline/reader.ts';
import type { CardRecord } from '../record.ts';
import { checkQueueName, checkRedisAnswers, checkRedisUrl, openRedis } from './connection.ts';
import { isIdle } from './status.ts';

/** Times a card may be put back after its worker stopped answering, before it is given up. */
export const MAX_STALLS = 2;

export interface WorkerOptions {
  readonly redis: string;
  readonly queue: string;
  /** Cards read at once, and OCR workers. */
  readonly jobs: number;
  readonly reader: Omit<ReaderOptions, 'workers'>;
  readonly s3?: S3Options;
  /** How long a card stays claimed by a worker that stopped answering, ms. */
  readonly lockMs: number;
  readonly exitWhenIdle: boolean;
  /** Abort: finish the cards being read, then stop (SIGTERM). */
  readonly signal?: AbortSignal;
}

export interface WorkerProgress {
  readonly done: number;
  readonly ok: number;
  readonly failed: number;
  readonly retried: number;
  readonly elapsedMs: number;
}

export interface WorkerSummary extends WorkerProgress {
  readonly byCode: Readonly<Record<string, number>>;
  readonly cardsPerMinute: number;
}

export interface WorkerEvents {
  readonly onReady?: () => void;
  /** A card was read and stored; `latencyMs`: time spent reading it. */
  readonly onCard?: (record: CardRecord, progress: WorkerProgress, latencyMs: number) => void;
  /** A card's engine failure will be tried again later. */
  readonly onRetry?: (id: string, code: string, attempt: number) => void;
  /** Redis or BullMQ trouble the worker rides out (a restart, a lost lock). */
  readonly onTrouble?: (message: string) => void;
}

/** The job's engine failure, to be retried by BullMQ (the message is for people; the code decides). */
export class CardRetry extends Error {
  override name = 'CardRetry';
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** Reads one card; the worker's default opens a CardReader (tests and the bench pass their own). */
export type ReadCard = (job: OcrJob) => Promise<CardRecord>;

/** The result of one try: the record, or a CardRetry while the job has tries left. */
export function outcome(record: CardRecord, attemptsMade: number, attempts: number): CardRecord {
  if (RETRIED_ON_RESUME.has(record.errorCode) && attemptsMade + 1 < attempts) throw new CardRetry(record.errorCode, record.errorMessage);
  return record;
}

export async function runWorker(opts: WorkerOptions, events: WorkerEvents = {}, read?: ReadCard): Promise<WorkerSummary> {
  checkRedisUrl(opts.redis);
  checkQueueName(opts.queue);
  await checkRedisAnswers(opts.redis);
  const s3 = new S3Images(opts.s3);
  const reader = read ? undefined : await CardReader.create({ ...opts.reader, workers: opts.jobs });
  const readCard: ReadCard = read ?? ((job) => readCardJob(job, { reader: reader!, s3, maxBytes: opts.reader.maxBytes }));
  const redis = openRedis(opts.redis);
  redis.on('error', () => undefined);
  let fatal: { error: unknown } | undefined;
  const started = Date.now();
  const counts = { done: 0, ok: 0, failed: 0, retried: 0 };
  const byCode: Record<string, number> = {};
  const progress = (): WorkerProgress => ({ ...counts, elapsedMs: Date.now() - started });
  const latencies = new Map<string, number>();
  // For the idle check: counts of every worker's cards.
  const queue = new Queue(opts.queue, { connection: redis });
  queue.on('error', () => undefined);

  const worker = new Worker<OcrJob, CardRecord>(
    opts.queue,
    async (job: Job<OcrJob, CardRecord>) => {
      const t0 = Date.now();
      let record: CardRecord;
      try {
        record = await readCard(job.data);
      } catch (error) {
        // A run-level failure: not this card's. Stop taking cards; this one is retried later.
        if (error instanceof UsageError) {
          fatal ??= { error };
          void stop();
        }
        throw error;
      }
      const result = outcome(record, job.attemptsMade, job.opts.attempts ?? 1);
      const latency = Date.now() - t0;
      latencies.set(job.id ?? '', latency);
      return result;
    },
    { connection: redis, concurrency: opts.jobs, autorun: false, lockDuration: opts.lockMs, stalledInterval: opts.lockMs, maxStalledCount: MAX_STALLS },
  );
  worker.on('error', (err) => events.onTrouble?.(`queue connection: ${err.message}`));
  worker.on('completed', (job, record) => {
    counts.done++;
    if (record.status === 'ok') counts.ok++;
    else {
      counts.failed++;
      byCode[record.errorCode] = (byCode[record.errorCode] ?? 0) + 1;
    }
    const latency = latencies.get(job.id ?? '') ?? 0;
    latencies.delete(job.id ?? '');
    events.onCard?.(record, progress(), latency);
  });
  worker.on('failed', (job, err) => {
    if (err instanceof CardRetry && job) {
      counts.retried++;
      events.onRetry?.(job.data.id, err.code, job.attemptsMade);
    }
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= worker.close());
  const onAbort = (): void => void stop();
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) void stop();
  let idleTimer: NodeJS.Timeout | undefined;
  if (opts.exitWhenIdle) {
    const poll = async (): Promise<void> => {
      try {
        if (!stopping && (await isIdle(queue))) void stop();
      } catch (err) {
        events.onTrouble?.(`checking whether the queue is idle: ${(err as Error).message}`);
      }
      if (!stopping) idleTimer = setTimeout(() => void poll(), 1_000);
    };
    idleTimer = setTimeout(() => void poll(), 500);
  }
  try {
    const running = worker.run();
    await worker.waitUntilReady();
    events.onReady?.();
    await running;
    await stop();
  } finally {
    if (idleTimer) clearTimeout(idleTimer);
    opts.signal?.removeEventListener('abort', onAbort);
    await reader?.close();
    s3.close();
    await queue.close();
    redis.disconnect();
  }
  if (fatal) throw fatal.error;
  const elapsedMs = Date.now() - started;
  return { ...progress(), elapsedMs, byCode, cardsPerMinute: elapsedMs > 0 ? (counts.done * 60_000) / elapsedMs : 0 };
}

