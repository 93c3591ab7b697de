/**
 * Sharded runs for array-job runners (Kubernetes Indexed Jobs, AWS Batch array jobs): N copies
 * of `ine-ocr batch` each read a deterministic share of the same plan, chosen by a hash of the
 * card id, so no coordinator is needed and every card falls in exactly one shard.
 *
 * The hash: the first 4 bytes of SHA-256 of the card id (UTF-8), read as an unsigned big-endian
 * integer, modulo N. SHA-256 is in every language's standard library, so a shard can be
 * recomputed anywhere; its bytes are uniform, so shards are even (±√(cards/N)).
 * Shard indices are 0-based, as JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX are.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UsageError } from '../errors.ts';

export interface Shard {
  /** 0 … count − 1. */
  readonly index: number;
  readonly count: number;
}

/** The array-job runners' index variables, first found wins. */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

/** Most shards a run may be split into (a sanity bound, far above any array job's size). */
export const MAX_SHARDS = 100_000;

/** The shard (0 … count − 1) a card id belongs to. */
export function shardOf(id: string, count: number): number {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  return digest.readUInt32BE(0) % count;
}

function wholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${what} must be a whole number, got "${text}"`);
  return Number(text.trim());
}

function checked(index: number, count: number, where: string): Shard {
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`The number of shards must be from 1 to ${MAX_SHARDS} (${where})`);
  if (index >= count) throw new UsageError(`Shard index ${index} is out of range: shards are numbered 0 to ${count - 1} (${where})`);
  return { index, count };
}

/** `--shard K/N` (0-based K). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard expects K/N, e.g. 0/4 (shards are numbered from 0), got "${text}"`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${text}`);
}

/** `--shards N`: the index comes from the array-job runner's environment. */
export function shardFromEnv(count: number, env: NodeJS.ProcessEnv = process.env): Shard {
  for (const name of SHARD_INDEX_VARIABLES) {
    const v = env[name];
    if (v !== undefined && v !== '') return checked(wholeNumber(v, name), count, `${name}=${v}, --shards ${count}`);
  }
  throw new UsageError(`--shards ${count} takes this shard's index from ${SHARD_INDEX_VARIABLES.join(' or ')}, and neither is set: use --shard K/N to give it`);
}

/** `K-of-N`, as it appears in output names and messages. */
export function shardLabel(s: Shard): string {
  return `${s.index}-of-${s.count}`;
}

/**
 * Each shard writes its own output: `cards.csv` → `cards.shard-2-of-8.csv` (the label goes
 * before the extension, so the format still shows). Stdout (`-`) is left as it is.
 */
export function shardOutputPath(output: string, s: Shard): string {
  if (output === '-') return output;
  const ext = path.extname(output);
  return `${output.slice(0, output.length - ext.length)}.shard-${shardLabel(s)}${ext}`;
}

/** The shard an output path names (`….shard-2-of-8.csv`), or undefined. */
export function shardOfOutputPath(file: string): Shard | undefined {
  const m = /\.shard-(\d+)-of-(\d+)(\.[^./\\]*)?$/.exec(file);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : undefined;
}
