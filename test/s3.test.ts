/**
 * s3:// card images, end to end with the built bin and the real AWS SDK against a local server
 * speaking S3's GetObject (scripts/fake-s3.ts), with fake static credentials: a manifest of S3
 * URIs through the queue (add, a worker with --s3-endpoint, export) and through batch, which
 * give the same rows; a missing, an empty and an oversized object are that card's INOCR row;
 * refused credentials stop the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from '../scripts/fake-s3.ts';
import { awsEnv } from './aws-env.ts';
import { runBin, tmpDir } from './helpers.ts';
import { startRedis, type TestRedis } from '../scripts/redis-server.ts';


const run = (args: string[], env: NodeJS.ProcessEnv = awsEnv()): ReturnType<typeof runBin> => runBin(args, env);

const rowsOf = (file: string): Record<string, string>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, string>);

let s3: FakeS3;
let redis: TestRedis;
beforeAll(async () => {
  [s3, redis] = await Promise.all([startFakeS3(), startRedis()]);
  s3.put('cards', 'in/card-01_front.jpg', readFileSync('samples/card-01_front.jpg'));
  s3.put('cards', 'in/card-01_back.jpg', readFileSync('samples/card-01_back.jpg'));
  s3.put('cards', 'in/empty_front.jpg', Buffer.alloc(0));
  s3.put('cards', 'in/big_front.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(6 << 20)]));
});
afterAll(async () => {
  await Promise.all([s3?.close(), redis?.stop()]);
});

function manifest(): string {
  const dir = tmpDir();
  const file = path.join(dir, 'cards.jsonl');
  const back = 's3://cards/in/card-01_back.jpg';
  writeFileSync(
    file,
    [
      { id: 'ok', front: 's3://cards/in/card-01_front.jpg', back },
      { id: 'missing', front: 's3://cards/in/card-01_front.jpg', back: 's3://cards/in/nope.jpg' },
      { id: 'nobucket', front: 's3://other/in/card-01_front.jpg', back },
      { id: 'empty', front: 's3://cards/in/empty_front.jpg', back },
      { id: 'big', front: 's3://cards/in/big_front.jpg', back },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n',
  );
  return file;
}

const EXPECTED_CODES = { ok: '', missing: 'INOCR003', nobucket: 'INOCR002', empty: 'INOCR008', big: 'INOCR005' };

describe('s3:// images (bin, local S3 GetObject)', () => {
  it('queue add + worker --s3-endpoint + export, and batch on the same manifest: the same rows', async () => {
    const input = manifest();
    const out = path.join(tmpDir(), 'queue.jsonl');
    const q = ['--redis', redis.url, '--queue', 's3test'];
    expect((await run(['queue', 'add', input, ...q])).code).toBe(0);
    const w = await run(['worker', ...q, '-j', '1', '--exit-when-idle', '--no-progress', '--s3-endpoint', s3.url]);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/worker read 5 card\(s\).*1 ok, 4 failed/);
    expect((await run(['queue', 'export', ...q, '-o', out])).code).toBe(0);
    const rows = rowsOf(out);
    expect(Object.fromEntries(rows.map((r) => [r['id'], r['errorCode']]))).toEqual(EXPECTED_CODES);
    const truth = (JSON.parse(readFileSync('samples/card-01.truth.json', 'utf8')) as { fields: Record<string, string> }).fields;
    const ok = rows.find((r) => r['id'] === 'ok')!;
    expect(ok).toMatchObject({ status: 'ok', front: 's3://cards/in/card-01_front.jpg', curp: truth['curp'], mz1: truth['mz1'] });
    // Signed with the environment's key, path-style, GET only.
    expect(s3.requests.length).toBeGreaterThan(0);
    expect(s3.requests.every((r) => r.method === 'GET' && r.credential.startsWith('test/'))).toBe(true);

    const batchOut = path.join(tmpDir(), 'batch.jsonl');
    const b = await run(['batch', input, '-o', batchOut, '-j', '1', '--no-progress', '--s3-endpoint', s3.url]);
    expect(b.code).toBe(1);
    const byId = new Map(rowsOf(batchOut).map((r) => [r['id'], r]));
    for (const r of rows) expect(byId.get(r['id']!), r['id']).toEqual(r);
  });

  it('credentials S3 refuses stop the run (exit 2) instead of failing every card', async () => {
    s3.fault = () => ({ status: 403, code: 'InvalidAccessKeyId' });
    try {
      const out = path.join(tmpDir(), 'out.jsonl');
      const r = await run(['batch', manifest(), '-o', out, '-j', '1', '--no-progress', '--s3-endpoint', s3.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/S3 refused to read s3:\/\/cards\/.*InvalidAccessKeyId/);
    } finally {
      s3.fault = undefined;
    }
  });
});
