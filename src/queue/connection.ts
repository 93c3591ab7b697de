/**
 * Reaching the queue's Redis. Commands check that Redis answers before anything else (a
 * wrong URL is bad usage, exit 2, at once rather than an endless reconnect loop); after that,
 * connections ride out a Redis restart: ioredis reconnects and replays what was waiting
 * (`maxRetriesPerRequest: null`, which BullMQ requires for workers).
 */
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { UsageError } from '../errors.ts';
import type { CardRecord } from '../record.ts';
import type { OcrJob } from '../pipeline/card-job.ts';
import { CardStore } from './store.ts';

export { DEFAULT_QUEUE } from './store.ts';

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** `redis://` or `rediss://` (TLS), with host, optional user:password, port and db. */
export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`Not a Redis URL: ${redactUrl(url)} (expected redis://[user:password@]host[:port][/db])`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`Not a Redis URL: ${redactUrl(url)} (expected redis:// or rediss://)`);
  return url;
}

/** BullMQ queue names cannot hold `:` (it separates its Redis keys). */
export function checkQueueName(name: string): string {
  if (name === '' || name.includes(':')) throw new UsageError(`Queue name must be non-empty and without ':': "${name}"`);
  return name;
}

/** A connection that keeps trying through a Redis restart. */
export function openRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Fails fast (UsageError) when nothing answers at `url`: one try, 5 s. */
export async function checkRedisAnswers(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, ENOTFOUND, NOAUTH…) says more than the rejection's "Connection is closed".
  let first: Error | undefined;
  probe.on('error', (err: Error) => (first ??= err));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    const why = first ?? err;
    throw new UsageError(`Cannot reach Redis at ${redactUrl(url)}: ${why instanceof Error ? why.message : String(why)}`, { cause: why });
  } finally {
    probe.disconnect();
  }
}

/** What the queue commands work on: BullMQ's queue of cards, and the rows and order beside it. */
export interface QueueHandle {
  readonly queue: Queue<OcrJob, CardRecord>;
  readonly store: CardStore;
  readonly redis: Redis;
  close(): Promise<void>;
}

export async function openQueue(url: string, name: string): Promise<QueueHandle> {
  checkRedisUrl(url);
  checkQueueName(name);
  await checkRedisAnswers(url);
  const redis = openRedis(url);
  // Errors surface where a command awaits; the event itself only needs a listener.
  redis.on('error', () => undefined);
  const queue = new Queue<OcrJob, CardRecord>(name, { connection: redis });
  queue.on('error', () => undefined);
  return {
    queue,
    store: new CardStore(redis, name),
    redis,
    close: async () => {
      await queue.close();
      redis.disconnect();
    },
  };
}
