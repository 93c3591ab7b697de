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

/** What a worker has done so far. */
class Tally {
  private readonly started = Date.now();
  done = 0;
  ok = 0;
  failed = 0;
  retried = 0;
  readonly byCode: Record<string, number> = {};

  count(record: CardRecord): void {
    this.done++;
    if (record.status === 'ok') this.ok++;
    else {
      this.failed++;
      this.byCode[record.errorCode] = (this.byCode[record.errorCode] ?? 0) + 1;
    }
  }

  progress(): WorkerProgress {
    return { done: this.done, ok: this.ok, failed: this.failed, retried: this.retried, elapsedMs: Date.now() - this.started };
  }

  summary(): WorkerSummary {
    const p = this.progress();
    return { ...p, byCode: this.byCode, cardsPerMinute: p.elapsedMs > 0 ? (p.done * 60_000) / p.elapsedMs : 0 };
  }
}

/**
 * The BullMQ processor: one card read, its outcome decided (a CardRetry while tries are left).
 * A run-level failure is handed to `onFatal` and thrown, so the card goes back for a retry.
 */
function cardProcessor(readCard: ReadCard, latencies: Map<string, number>, onFatal: (error: UsageError) => void) {
  return async (job: Job<OcrJob, CardRecord>): Promise<CardRecord> => {
    const t0 = Date.now();
    let record: CardRecord;
    try {
      record = await readCard(job.data);
    } catch (error) {
      if (error instanceof UsageError) onFatal(error);
      throw error;
    }
    const result = outcome(record, job.attemptsMade, job.opts.attempts ?? 1);
    latencies.set(job.id ?? '', Date.now() - t0);
    return result;
  };
}

/** Every second, stop once nothing is pending anywhere; returns the cancel. */
function watchIdle(queue: Queue, stop: () => void, onTrouble: (message: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const poll = async (): Promise<void> => {
    try {
      if (await isIdle(queue)) return stop();
    } catch (err) {
      onTrouble(`checking whether the queue is idle: ${(err as Error).message}`);
    }
    if (!cancelled) timer = setTimeout(() => void poll(), 1_000);
  };
  timer = setTimeout(() => void poll(), 500);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
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
  // For the idle check: the counts of every worker's cards.
  const queue = new Queue(opts.queue, { connection: redis });
  queue.on('error', () => undefined);
  const tally = new Tally();
  const latencies = new Map<string, number>();
  let fatal: UsageError | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= worker.close());
  const processor = cardProcessor(readCard, latencies, (error) => {
    fatal ??= error;
    void stop();
  });
  const worker = new Worker<OcrJob, CardRecord>(opts.queue, processor, {
    connection: redis,
    concurrency: opts.jobs,
    autorun: false,
    lockDuration: opts.lockMs,
    stalledInterval: opts.lockMs,
    maxStalledCount: MAX_STALLS,
  });
  worker.on('error', (err) => events.onTrouble?.(`queue connection: ${err.message}`));
  worker.on('completed', (job, record) => {
    tally.count(record);
    const latency = latencies.get(job.id ?? '') ?? 0;
    latencies.delete(job.id ?? '');
    events.onCard?.(record, tally.progress(), latency);
  });
  worker.on('failed', (job, err) => {
    if (!(err instanceof CardRetry) || !job) return;
    tally.retried++;
    events.onRetry?.(job.data.id, err.code, job.attemptsMade);
  });
  const onAbort = (): void => void stop();
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) void stop();
  const cancelIdle = opts.exitWhenIdle ? watchIdle(queue, () => void stop(), (m) => events.onTrouble?.(m)) : () => undefined;
  try {
    const running = worker.run();
    await worker.waitUntilReady();
    events.onReady?.();
    await running;
    await stop();
  } finally {
    cancelIdle();
    opts.signal?.removeEventListener('abort', onAbort);
    await reader?.close();
    s3.close();
    await queue.close();
    redis.disconnect();
  }
  if (fatal) throw fatal;
  return tally.summary();
}
