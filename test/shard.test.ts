/**
 * Shards: the documented hash (first 4 bytes of SHA-256 of the card id, big-endian, mod N) on
 * vectors computed outside Node (`printf %s card-0001 | sha256sum` → 5092d5ec…), an even split,
 * the option and environment parsing, and the output names.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { parseShard, shardFromEnv, shardOf, shardOfOutputPath, shardOutputPath } from '../src/queue/shard.ts';

describe('shardOf', () => {
  it.each([
    // id, first 4 bytes of sha256sum, N, shard
    ['card-0001', 0x5092d5ec, 8, 4],
    ['card-0002', 0x7010a4cf, 8, 7],
    ['Juan Perez', 0x51d65a71, 8, 1],
    ['', 0xe3b0c442, 8, 2],
    ['card-0001', 0x5092d5ec, 1, 0],
  ])('%j → %d mod %d = %d', (id, word, n, shard) => {
    expect(word % n).toBe(shard);
    expect(shardOf(id, n)).toBe(shard);
  });

  it('splits ids evenly: 20,000 ids over 8 shards, each within 5% of 2,500', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 20_000; i++) counts[shardOf(`card-${String(i).padStart(6, '0')}`, 8)]!++;
    for (const c of counts) expect(Math.abs(c - 2500)).toBeLessThan(125);
  });
});

describe('--shard K/N and --shards N', () => {
  it.each([
    ['0/4', { index: 0, count: 4 }],
    ['3/4', { index: 3, count: 4 }],
    [' 1 / 2 ', { index: 1, count: 2 }],
    ['0/1', { index: 0, count: 1 }],
  ])('--shard %j', (text, shard) => expect(parseShard(text)).toEqual(shard));

  it.each(['4/4', '1/0', '-1/4', 'a/4', '1', '1/2/3', ''])('--shard %j is refused', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });

  it('--shards N takes K from JOB_COMPLETION_INDEX, else AWS_BATCH_JOB_ARRAY_INDEX', () => {
    expect(shardFromEnv(5, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 5 });
    expect(shardFromEnv(5, { AWS_BATCH_JOB_ARRAY_INDEX: '4' })).toEqual({ index: 4, count: 5 });
    expect(shardFromEnv(5, { JOB_COMPLETION_INDEX: '0', AWS_BATCH_JOB_ARRAY_INDEX: '4' })).toEqual({ index: 0, count: 5 });
    expect(() => shardFromEnv(5, {})).toThrow(/JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX/);
    expect(() => shardFromEnv(5, { JOB_COMPLETION_INDEX: '5' })).toThrow(/out of range/);
    expect(() => shardFromEnv(5, { AWS_BATCH_JOB_ARRAY_INDEX: 'x' })).toThrow(UsageError);
  });
});

describe('shard outputs', () => {
  it.each([
    ['out/cards.csv', 'out/cards.shard-2-of-8.csv'],
    ['cards.jsonl', 'cards.shard-2-of-8.jsonl'],
    ['/data/run.1/cards', '/data/run.1/cards.shard-2-of-8'],
    ['-', '-'],
  ])('%s → %s', (out, named) => {
    expect(shardOutputPath(out, { index: 2, count: 8 })).toBe(named);
    if (out !== '-') expect(shardOfOutputPath(named)).toEqual({ index: 2, count: 8 });
  });

  it('a name that does not say a shard', () => {
    expect(shardOfOutputPath('out/cards.csv')).toBeUndefined();
    expect(shardOfOutputPath('out/cards.shard-8-of-8.csv')).toBeUndefined();
  });
});
