/**
 * Black-box tests of the built bin (run `npm run build` first; `npm test` does): real
 * process, real exit codes, JSON on stdout, messages on stderr.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tmpDir, writeFile } from './helpers.ts';

const BIN = path.resolve('bin/ine-ocr.js');
const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

describe('ine-ocr (bin)', () => {
  it('is built', () => {
    expect(existsSync('dist/src/cli/main.js')).toBe(true);
  });

  it('--help explains the commands and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: ine-ocr/);
    expect(r.stdout).toMatch(/extract/);
    const sub = await run(['extract', '--help']);
    expect(sub.stdout).toMatch(/Exit status/);
    expect(sub.stdout).toMatch(/--engine/);
  });

  it('bad usage exits 2 with a message on stderr', async () => {
    const r = await run(['extract', 'only-one.jpg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
    const e = await run(['extract', 'a.jpg', 'b.jpg', '--engine', 'nope']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/Allowed choices/);
  });

  it('reads a sample card: exit 0 and the record on stdout', async () => {
    const r = await run(['extract', 'samples/card-01_front.jpg', 'samples/card-01_back.jpg', '--compact']);
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(rec).toMatchObject({ id: 'card-01', status: 'ok', errorCode: '' });
    expect(rec['mz1']).toMatch(/^IDMEX\d{10}<<\d{13}$/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('a failed card exits 1: the record carries the code, stderr says why', async () => {
    const dir = tmpDir();
    const empty = writeFile(dir, 'front.jpg', Buffer.alloc(0));
    const r = await run(['extract', empty, 'samples/card-01_back.jpg']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', errorCode: 'INOCR008' });
    expect(r.stderr).toMatch(/INOCR008/);
    const missing = await run(['extract', 'samples/card-01_front.jpg', path.join(dir, 'nope.jpg')]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ errorCode: 'INOCR003' });
  });

  it.each([
    // One rule with the manifest's (src/io/pairing.ts deriveId): the front's name without its side word.
    ['fotos/IMG_1234.jpg', 'fotos/IMG_1235.jpg', 'IMG_1234'],
    ['x/juan_perez_anverso.jpg', 'x/juan_perez_reverso.jpg', 'juan_perez'],
    ['cliente 7 - a.jpg', 'cliente 7 - b.jpg', 'cliente 7'],
  ])('extract %s %s: the id is derived as a manifest derives it (%s)', async (front, back, id) => {
    const dir = tmpDir();
    // Files that do not exist: the record is an error row at once, no OCR, and still carries the id.
    const r = await run(['extract', path.join(dir, front), path.join(dir, back), '--compact']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ id, errorCode: 'INOCR002' });
  });
});
