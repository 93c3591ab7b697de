/**
 * `ine-ocr queue status`: where the queue's cards are, how fast they are being read, and when
 * the rest should be done.
 *
 * The rate is measured over the last RATE_WINDOW cards finished (BullMQ keeps completed jobs in
 * a sorted set by finishing time): that many cards over the time from the first of them to now.
 * It covers every worker on every machine, and it falls when the workers stop.
 */
import type { Queue } from 'bullmq';
import type { QueueHandle } from './connection.ts';

/** BullMQ states of a card not finished yet. */
export const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

export const RATE_WINDOW = 200;

export interface QueueStatus {
  /** Cards added (one row each at export). */
  readonly added: number;
  /** Rows decided while planning (bad inputs), stored when added. */
  readonly decided: number;
  readonly waiting: number;
  readonly active: number;
  /** Engine failures waiting for their retry. */
  readonly retrying: number;
  /** Cards read, their rows stored (bad images and engine failures past their tries included). */
  readonly done: number;
  /** Cards the queue gave up on (their workers kept stopping mid-card): exported as INOCR001. */
  readonly failed: number;
  /** Workers connected now (undefined where the Redis service does not allow CLIENT LIST). */
  readonly workers: number | undefined;
  /** Cards per minute, all workers; undefined until two cards have finished. */
  readonly cardsPerMinute: number | undefined;
  /** Time left at that rate; undefined when nothing is pending or there is no rate. */
  readonly etaMs: number | undefined;
}

async function pendingCounts(queue: Pick<Queue, 'getJobCounts'>): Promise<Record<string, number>> {
  return queue.getJobCounts(...PENDING_STATES);
}

/** Nothing waiting, delayed or being read by any worker. */
export async function isIdle(queue: Pick<Queue, 'getJobCounts'>): Promise<boolean> {
  const counts = await pendingCounts(queue);
  return Object.values(counts).every((n) => n === 0);
}

/** Cards per minute over the last RATE_WINDOW finished, up to `now`. */
export function rateOf(finishedAt: readonly number[], now: number): number | undefined {
  if (finishedAt.length < 2) return undefined;
  const first = Math.min(...finishedAt);
  const span = Math.max(now - first, 1);
  return (finishedAt.length * 60_000) / span;
}

export async function queueStatus(h: QueueHandle, now = Date.now()): Promise<QueueStatus> {
  const counts = await h.queue.getJobCounts(...PENDING_STATES, 'completed', 'failed');
  const n = (k: string): number => counts[k] ?? 0;
  const completedKey = h.queue.keys['completed'];
  const recent = completedKey ? await h.redis.zrevrange(completedKey, 0, RATE_WINDOW - 1, 'WITHSCORES') : [];
  const finishedAt = recent.filter((_, i) => i % 2 === 1).map(Number);
  const cardsPerMinute = rateOf(finishedAt, now);
  const pending = n('waiting') + n('active') + n('delayed') + n('prioritized') + n('waiting-children');
  return {
    added: await h.store.count(),
    decided: await h.store.rowCount(),
    waiting: n('waiting') + n('prioritized') + n('waiting-children'),
    active: n('active'),
    retrying: n('delayed'),
    done: n('completed'),
    failed: n('failed'),
    workers: await h.queue.getWorkersCount().catch(() => undefined),
    cardsPerMinute,
    etaMs: pending > 0 && cardsPerMinute ? (pending / cardsPerMinute) * 60_000 : undefined,
  };
}
