/**
 * Sharded runs with the built bin: three shards of a folder (two by --shard K/N, one by
 * --shards N with the index from JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job gives it)
 * hold together exactly the rows of one batch run over the folder; merge writes them as one
 * output, and says which cards are missing when a shard is left out, or repeated.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../src/queue/shard.ts';
import { runBin, tmpDir } from './helpers.ts';


const run = (args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runBin> => runBin(args, env);

type Row = Record<string, unknown> & { id: string };
const rowsOf = (file: string): Row[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
const byId = (rows: Row[]): Map<string, Row> => new Map(rows.map((r) => [r.id, r]));

let dir: string;
let input: string;
let whole: Row[];
const shardFile = (k: number): string => path.join(dir, `out.shard-${k}-of-3.jsonl`);

beforeAll(async () => {
  dir = tmpDir();
  input = path.join(dir, 'in');
  mkdirSync(input);
  for (const n of ['01', '02', '03', '04']) {
    copyFileSync(`samples/card-${n}_front.jpg`, path.join(input, `card-${n}_front.jpg`));
    copyFileSync(`samples/card-${n}_back.jpg`, path.join(input, `card-${n}_back.jpg`));
  }
  // Bad inputs: rows decided while planning, sharded like any card.
  for (const n of ['a', 'b', 'c', 'd']) copyFileSync('samples/card-01_front.jpg', path.join(input, `solo-${n}_front.jpg`));
  const b = await run(['batch', input, '-o', path.join(dir, 'whole.jsonl'), '-j', '2', '--no-progress']);
  expect(b.code).toBe(1);
  whole = rowsOf(path.join(dir, 'whole.jsonl'));
  expect(whole).toHaveLength(8);
  const s0 = await run(['batch', input, '-o', path.join(dir, 'out.jsonl'), '-j', '2', '--no-progress', '--shard', '0/3']);
  const s1 = await run(['batch', input, '-o', path.join(dir, 'out.jsonl'), '-j', '2', '--no-progress', '--shard', '1/3']);
  const s2 = await run(['batch', input, '-o', path.join(dir, 'out.jsonl'), '-j', '2', '--no-progress', '--shards', '3'], { ...process.env, JOB_COMPLETION_INDEX: '2' });
  for (const s of [s0, s1, s2]) expect(s.code === 0 || s.code === 1, s.stderr).toBe(true);
});

describe('batch --shard and merge (bin)', () => {
  it('the union of the shard outputs is the batch run, row for row; each card in its hash shard', () => {
    const union: Row[] = [];
    for (let k = 0; k < 3; k++) {
      const rows = rowsOf(shardFile(k));
      for (const r of rows) expect(shardOf(r.id, 3), r.id).toBe(k);
      union.push(...rows);
    }
    expect(union).toHaveLength(whole.length);
    const u = byId(union);
    expect(u.size).toBe(whole.length);
    for (const r of whole) expect(u.get(r.id), r.id).toEqual(r);
  });

  it('merge: every card once → exit 0 and one output with the batch rows', async () => {
    const all = path.join(dir, 'all.jsonl');
    const r = await run(['merge', shardFile(0), shardFile(1), shardFile(2), '--input', input, '-o', all]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/8 of 8 card\(s\) found once: 4 ok, 4 failed \(INOCR003 ×4\)/);
    const merged = byId(rowsOf(all));
    expect(merged.size).toBe(8);
    for (const row of whole) expect(merged.get(row.id)).toEqual(row);
  });

  it('merge without a shard: exit 1, each of its cards listed as missing, nothing written', async () => {
    const all = path.join(dir, 'missing.csv');
    const r = await run(['merge', shardFile(0), shardFile(2), '--input', input, '-o', all]);
    expect(r.code).toBe(1);
    const expected = whole.map((x) => x.id).filter((id) => shardOf(id, 3) === 1);
    expect(expected.length).toBeGreaterThan(0);
    const listed = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(listed.map((l) => l[1]).sort()).toEqual(expected.sort());
    expect(listed.every((l) => l[0] === 'missing' && l[2] === 'shard 1-of-3')).toBe(true);
    expect(r.stderr).toMatch(/shard 1-of-3: no output given/);
    expect(existsSync(all)).toBe(false);
    // --partial writes the rows there are.
    const p = await run(['merge', shardFile(0), shardFile(2), '--input', input, '-o', all, '--partial']);
    expect(p.code).toBe(1);
    expect(readFileSync(all, 'utf8').trim().split('\n')).toHaveLength(1 + whole.length - expected.length);
  });

  it('merge with a shard given twice: exit 1, its cards listed as duplicates', async () => {
    const r = await run(['merge', shardFile(0), shardFile(1), shardFile(2), shardFile(0), '--input', input, '-o', path.join(dir, 'dup.jsonl')]);
    expect(r.code).toBe(1);
    const dup = r.stdout.trim().split('\n').filter((l) => l.startsWith('duplicate\t'));
    expect(dup.length).toBeGreaterThan(0);
    expect(dup.length).toBe(rowsOf(shardFile(0)).length);
  });
});
