/**
 * `ine-ocr report` and `batch --report`, black box (the built bin): exit codes, what is said on
 * stderr, and what is written. The page itself is tested in a browser (report-browser.test.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from './helpers.ts';
import { failedRecord, knownCards, truthRecord, writeResults } from './report-fixtures.ts';

const BIN = path.resolve('bin/ine-ocr.js');
const run = async (args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 120_000, ...(cwd ? { cwd } : {}) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

describe('ine-ocr report (bin)', () => {
  let dir: string;
  let results: string;

  beforeAll(async () => {
    dir = tmpDir('ine-report-cli-');
    const cards = await knownCards(dir, 2);
    const records = [truthRecord(cards[0]!), truthRecord(cards[1]!, { review: [{ code: 'mismatched-sides', message: 'the front and the back are of different cards' }] }), failedRecord('x', 'x_front.jpg', '', 'INOCR003', 'The back side of the document is required.')];
    results = await writeResults(path.join(dir, 'cards.csv'), 'csv', records);
  });

  it('writes the page and says what it holds, and that it is personal data', async () => {
    const out = path.join(dir, 'review');
    const r = await run(['report', results, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/review page for 3 card\(s\) \(1 ok, 1 flagged, 1 failed\) in .*index\.html: \d+ file\(s\), [\d.]+ MB, [\d.]+ s\. It contains personal data\./);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(readdirSync(path.join(out, 'img')).sort()).toEqual(['0', '1']);
  });

  it('exits 2 with a message for results it cannot use or a folder it must not touch', async () => {
    const missing = await run(['report', path.join(dir, 'nope.csv'), '-o', path.join(dir, 'r1')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the results file/);
    const noOut = await run(['report', results]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--output/);
    const busy = path.join(dir, 'busy');
    await mkdir(busy);
    await writeFile(path.join(busy, 'mine.txt'), 'x');
    const refused = await run(['report', results, '-o', busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds other files \(mine\.txt\)/);
  });

  it('batch --report needs an output file, and a usable folder before it reads any card', async () => {
    const toStdout = await run(['batch', dir, '--report', path.join(dir, 'r2')]);
    expect(toStdout.code).toBe(2);
    expect(toStdout.stderr).toMatch(/--report reads the rows back: it needs an output file/);
    const busy = path.join(dir, 'busy2');
    await mkdir(busy);
    await writeFile(path.join(busy, 'mine.txt'), 'x');
    const out = path.join(dir, 'never.csv');
    const refused = await run(['batch', dir, '-o', out, '--report', busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds other files/);
    expect(existsSync(out)).toBe(false);
  });
});
