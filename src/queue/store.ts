/**
 * What the queue keeps in Redis beside BullMQ's jobs:
 * - `ine-ocr:<queue>:order`, a sorted set of card ids scored by the order they were added in
 *   (`ZADD NX`: adding a card again keeps its first place), from the counter `…:seq`. Export
 *   walks it, so the output has one row per card added, in that order.
 * - `ine-ocr:<queue>:rows`, a hash card id → record (JSON) for the cards decided while planning
 *   (orphans, ambiguous names, manifest lines that do not decode): they need no worker.
 * A card read by a worker keeps its record as its BullMQ job's return value (jobs are never
 * removed on completion), so it is stored exactly when the job completes, once.
 *
 * BullMQ job ids: the card id, prefixed with `card/` (BullMQ refuses ids that are integers)
 * and with `%` and `:` percent-escaped (BullMQ refuses `:`), so distinct cards never share one.
 */
import type { Redis } from 'ioredis';
import type { CardRecord } from '../record.ts';

/** The queue's name when none is given. */
export const DEFAULT_QUEUE = 'ine-ocr';

export function jobIdOf(cardId: string): string {
  return `card/${cardId.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}

export class CardStore {
  private readonly redis: Redis;
  readonly keys: { readonly order: string; readonly rows: string; readonly seq: string };

  constructor(redis: Redis, queueName: string) {
    this.redis = redis;
    const base = `ine-ocr:${queueName}`;
    this.keys = { order: `${base}:order`, rows: `${base}:rows`, seq: `${base}:seq` };
  }

  /** Gives each id its place in the order unless it has one; true for the ids that were new. */
  async place(ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const last = await this.redis.incrby(this.keys.seq, ids.length);
    const first = last - ids.length;
    const p = this.redis.pipeline();
    ids.forEach((id, i) => p.zadd(this.keys.order, 'NX', first + i, id));
    const results = (await p.exec()) ?? [];
    return results.map(([err, added]) => {
      if (err) throw err;
      return added === 1;
    });
  }

  async putRows(records: readonly CardRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.redis.hset(this.keys.rows, Object.fromEntries(records.map((r) => [r.id, JSON.stringify(r)])));
  }

  /** The rows stored for these ids (undefined where none is). */
  async getRows(ids: readonly string[]): Promise<(unknown | undefined)[]> {
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(this.keys.rows, ...ids);
    return values.map((v) => (v === null ? undefined : (JSON.parse(v) as unknown)));
  }

  /** Cards added. */
  count(): Promise<number> {
    return this.redis.zcard(this.keys.order);
  }

  /** Rows decided while planning. */
  rowCount(): Promise<number> {
    return this.redis.hlen(this.keys.rows);
  }

  /** Card ids from place `start` to `stop` (inclusive) in the order added. */
  idsInOrder(start: number, stop: number): Promise<string[]> {
    return this.redis.zrange(this.keys.order, start, stop);
  }

  async clear(): Promise<void> {
    await this.redis.del(this.keys.order, this.keys.rows, this.keys.seq);
  }
}
