/**
 * Black-box: the built bin with --engine textract and hybrid against the local fake Textract,
 * with fake static credentials in the child's environment. The "done" line is the
 * first test: `batch samples/ --engine textract --textract-endpoint http://127.0.0.1:PORT`
 * gives the tesseract engine's fields. Then each fault's documented behaviour, end to end.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTextract, type FakeTextract } from '../scripts/fake-textract.ts';
import { FIELD_NAMES, type CardFields } from '../src/record.ts';
import { awsEnv } from './aws-env.ts';
import { tmpDir } from './helpers.ts';

const BIN = path.resolve('bin/ine-ocr.js');
const S = (name: string): string => path.join('samples', name);

async function run(args: string[], env: NodeJS.ProcessEnv = awsEnv({ AWS_MAX_ATTEMPTS: '2' })): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 300_000, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

type Row = Record<string, unknown> & CardFields & { id: string; status: string; errorCode: string; checks: Record<string, { verdict: string }> };
const rowsOf = (file: string): Row[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
const truth = (id: string): CardFields => (JSON.parse(readFileSync(S(`${id}.truth.json`), 'utf8')) as { fields: CardFields }).fields;
const fieldsOf = (r: Row): Record<string, string> => Object.fromEntries(FIELD_NAMES.map((f) => [f, r[f]]));

let fake: FakeTextract;
beforeAll(async () => {
  fake = await startFakeTextract();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

/** Engine flags for `extract`; `batch` adds --no-progress. */
const engine = (name = 'textract'): string[] => ['--engine', name, '--textract-endpoint', fake.url, '--textract-tps', '50'];
const textract = (...more: string[]): string[] => [...engine(), '--no-progress', ...more];

describe('ine-ocr batch --engine textract (bin, local fake Textract)', () => {
  it('samples/: the same fields as the tesseract engine, one call per side', async () => {
    const dir = tmpDir();
    const [tess, tx] = [path.join(dir, 'tesseract.jsonl'), path.join(dir, 'textract.jsonl')];
    const a = await run(['batch', 'samples/', '-o', tess, '-j', '2', '--no-progress', '--engine', 'tesseract']);
    const b = await run(['batch', 'samples/', '-o', tx, '-j', '2', ...textract()]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/4 ok( \(\d+ flagged for review\))?, 0 failed/);
    expect(b.stderr).toMatch(/textract: 8 call\(s\), 8 billed page\(s\)/);
    // The fixtures were built for the images the engine sends: if the reader's image preparation
    // changed, they no longer match (rebuild with `npm run textract-fixtures` and review the diff).
    expect(fake.requests.filter((q) => q.match === null), 'images sent that no fixture matches').toEqual([]);
    // One DetectDocumentText per side, each side once.
    expect(fake.requests).toHaveLength(8);
    expect(new Set(fake.requests.map((r) => r.match)).size).toBe(8);

    const byId = (rows: Row[]): Map<string, Row> => new Map(rows.map((r) => [r.id, r]));
    const [ta, tb] = [byId(rowsOf(tess)), byId(rowsOf(tx))];
    expect([...tb.keys()].sort()).toEqual(['card-01', 'card-02', 'card-03', 'card-04']);
    // The flat scans, straight and upside down: every field the same.
    for (const id of ['card-01', 'card-02', 'card-04']) expect(fieldsOf(tb.get(id)!), id).toEqual(fieldsOf(ta.get(id)!));
    // The phone photo: Textract reads it level, so it may read more than tesseract does, never
    // less: every field tesseract got right is the same, and nothing textract marks valid is wrong.
    const t = truth('card-03');
    const photoA = ta.get('card-03')!;
    const photoB = tb.get('card-03')!;
    for (const f of FIELD_NAMES) {
      if (f === 'cardModel') continue;
      if (photoA[f] === t[f]) expect(photoB[f], f).toBe(t[f]);
      if (photoB.checks[f]?.verdict === 'valid') expect(photoB[f], `${f} marked valid`).toBe(t[f]);
    }
  });

  it('hybrid: tesseract first, Textract only for the sides that fail validation; the summary counts the calls', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'hybrid.jsonl');
    const r = await run(['batch', 'samples/', '-o', out, '-j', '2', ...engine('hybrid'), '--no-progress']);
    expect(r.code).toBe(0);
    const calls = Number(/textract: (\d+) call\(s\)/.exec(r.stderr)?.[1]);
    expect(calls).toBe(fake.requests.length);
    // The flat scans pass every check with tesseract: only the photo may need the cloud.
    expect(calls).toBeLessThanOrEqual(2);
    expect(fake.requests.every((q) => q.match?.startsWith('card-03_'))).toBe(true);
    const rows = rowsOf(out);
    expect(rows.map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const t = truth('card-03');
    const photo = rows.find((x) => x.id === 'card-03')!;
    for (const f of FIELD_NAMES) if (photo.checks[f]?.verdict === 'valid') expect(photo[f], f).toBe(t[f]);
  });

  it('faults in a batch: throttled once → ok, 5xx on every attempt → INOCR007, cut-off JSON → INOCR009; no row lost, exit 1', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'rows.jsonl');
    fake.fault = ({ match, n }) => {
      if (match === 'card-01_back' && n === 1) return { kind: 'error', status: 400, type: 'ThrottlingException' };
      if (match === 'card-03_front') return { kind: 'error', status: 502, type: 'BadGateway' };
      if (match === 'card-02_back') return { kind: 'malformed' };
      return undefined;
    };
    const r = await run(['batch', 'samples/', '-o', out, '-j', '2', ...textract()]);
    expect(r.code).toBe(1);
    const rows = rowsOf(out);
    expect(rows.map((x) => x.id).sort()).toEqual(['card-01', 'card-02', 'card-03', 'card-04']);
    const code = (id: string): string => rows.find((x) => x.id === id)!.errorCode;
    expect([code('card-01'), code('card-02'), code('card-03'), code('card-04')]).toEqual(['', 'INOCR009', 'INOCR007', '']);
    expect(r.stderr).toMatch(/2 ok( \(\d+ flagged for review\))?, 2 failed \(INOCR007 ×1, INOCR009 ×1\)/);
    // AWS_MAX_ATTEMPTS=2: the 502 side was tried twice, the cut-off answer once (not retried).
    expect(fake.requests.filter((q) => q.match === 'card-03_front')).toHaveLength(2);
    expect(fake.requests.filter((q) => q.match === 'card-02_back')).toHaveLength(1);
    expect(fake.requests.filter((q) => q.match === 'card-01_back')).toHaveLength(2);
    // --resume reads again only the engine failures, and they pass now.
    fake.reset();
    const again = await run(['batch', 'samples/', '-o', out, '-j', '2', '--resume', ...textract()]);
    expect(again.code).toBe(0);
    expect(fake.requests.map((q) => q.match).sort()).toEqual(['card-02_back', 'card-02_front', 'card-03_back', 'card-03_front']);
    expect(rowsOf(out).map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('credentials refused: the run stops at the first card with exit 2 and one clear message; rows written so far are kept', async () => {
    const dir = tmpDir();
    for (const n of ['card-01', 'card-02', 'card-04']) {
      copyFileSync(S(`${n}_front.jpg`), path.join(dir, `${n}_front.jpg`));
      copyFileSync(S(`${n}_back.jpg`), path.join(dir, `${n}_back.jpg`));
    }
    copyFileSync(S('card-03_front.jpg'), path.join(dir, 'solo_front.jpg')); // no back: an INOCR003 row, written first
    const out = path.join(dir, 'rows.jsonl');
    fake.fault = () => ({ kind: 'error', status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    const r = await run(['batch', dir, '-o', out, '-j', '1', ...textract()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused the request: UnrecognizedClientException/);
    expect(r.stderr).toMatch(/rows written so far are in .*rows\.jsonl: --resume carries on/);
    expect(r.stderr.match(/UnrecognizedClientException/g)).toHaveLength(1);
    // Only the first card's sides were sent (each once), not one request per card.
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.length).toBeLessThanOrEqual(2);
    for (const q of fake.requests) expect(['card-01_back', 'card-01_front']).toContain(q.match);
    const rows = rowsOf(out);
    expect(rows.map((x) => x.errorCode)).toEqual(['INOCR003']);
  });

  it('no credentials at all: exit 2 before any request, saying where credentials come from', async () => {
    const r = await run(['batch', 'samples/', '-o', '-', ...textract()], awsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No AWS credentials were found/);
    expect(r.stderr).toMatch(/AWS_PROFILE/);
    expect(r.stdout).toBe('');
    expect(fake.requests).toHaveLength(0);
  });

  it('no region: exit 2; --textract-region supplies one', async () => {
    const env = awsEnv({ AWS_REGION: undefined });
    const r = await run(['batch', 'samples/', '-o', '-', ...textract()], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No AWS region/);
    const ok = await run(['extract', S('card-01_front.jpg'), S('card-01_back.jpg'), '--compact', '--textract-region', 'eu-west-1', ...engine()], env);
    expect(ok.code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.every((q) => q.credential.includes('/eu-west-1/textract/'))).toBe(true);
  });
});

describe('ine-ocr batch: Ctrl-C', () => {
  it('stops scheduling, writes the cards being read, prints the summary and exits (it used to hang)', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'rows.jsonl');
    fake.fault = () => ({ kind: 'slow', delayMs: 400 });
    const child = spawn(process.execPath, [BIN, 'batch', 'samples/', '-o', out, '-j', '1', ...textract()], { env: awsEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first card's row is on disk.
    for (let i = 0; i < 200 && !(existsSync(out) && readFileSync(out, 'utf8').includes('\n')); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(stderr).toMatch(/stopping after the cards being read/);
    expect(stderr).toMatch(/card\(s\) in .*rows in/);
    const rows = rowsOf(out);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThan(4);
  });
});

describe('ine-ocr extract --engine textract (bin)', () => {
  it('one card: the record on stdout, the calls it cost on stderr', async () => {
    const r = await run(['extract', S('card-02_front.jpg'), S('card-02_back.jpg'), '--compact', ...engine()]);
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout) as Row;
    expect(rec).toMatchObject({ id: 'card-02', status: 'ok' });
    expect(rec.curp).toBe(truth('card-02').curp);
    expect(r.stderr).toMatch(/textract: 2 call\(s\), 2 billed page\(s\)/);
  });

  it('refused credentials: exit 2 and the message, no record', async () => {
    fake.fault = () => ({ kind: 'error', status: 400, type: 'InvalidSignatureException', message: 'The request signature we calculated does not match' });
    const r = await run(['extract', S('card-02_front.jpg'), S('card-02_back.jpg'), ...engine()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/InvalidSignatureException/);
  });

  it('--help says which engines send images to AWS; bad Textract flags are usage errors', async () => {
    const help = await run(['batch', '--help']);
    expect(help.stdout).toMatch(/--engine <name>/);
    const flat = (s: string): string => s.replace(/\s+/g, ' ');
    expect(flat(help.stdout)).toMatch(/send card images \(personal data\) to AWS Textract/);
    expect(help.stdout).toMatch(/--textract-tps/);
    const main = await run(['--help']);
    expect(flat(main.stdout)).toMatch(/no image leaves this machine unless --engine textract or hybrid/);
    const extract = await run(['extract', '--help']);
    expect(flat(extract.stdout)).toMatch(/send card images \(personal data\) to AWS Textract/);
    for (const bad of [['--textract-tps', '0'], ['--textract-endpoint', 'not a url'], ['--engine', 'azure']]) {
      const r = await run(['batch', 'samples/', ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
    }
  });
});
