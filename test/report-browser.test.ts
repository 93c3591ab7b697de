/**
 * The review page in a real browser (headless Chromium, test/browser.ts), opened from file://
 * as a back office would open it. The batch is real: generated cards — good ones, a front and a
 * back of different cards, an image without its partner, an empty file — read by
 * `ine-ocr batch … --report`. Two pages are checked the same way:
 * - the page of that batch as it is: every assertion depends on what the reader and the judge
 *   put in the rows (field boxes, review reasons), and fails if they put nothing;
 * - the page of the same rows with each card's true field boxes added from the generator
 *   (src/synth/flat.ts), so crops are checked against known geometry whatever the reader does.
 * Checked: the counts shown equal the results'; "flagged" shows exactly the flagged ids; every
 * crop loads (as many crops as boxes, and more than none); an edit, then "Download corrected
 * CSV", parsed: the value and the `corrected` column are right and every other cell is the
 * batch's; the edit survives a reload; no request leaves file://. Screenshots are saved.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExisting } from '../src/io/resume.ts';
import type { CardRecord, FieldBox, FieldName } from '../src/record.ts';
import { writeFlatCard, type FlatCard } from '../src/synth/flat.ts';
import { openBrowser, type Chromium } from '../scripts/chromium.ts';
import { tmpDir } from './helpers.ts';
import { writeResults } from './report-fixtures.ts';

const BIN = path.resolve('bin/ine-ocr.js');
/** Where the screenshots go (gitignored). */
const SCREENSHOTS = path.resolve('.vitest/screenshots');
const node = async (args: string[]): Promise<{ code: number; stderr: string }> => {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 300_000 });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? '' };
  }
};

/** The corpus: card id → the flat cards whose boxes hold for its front and its back. */
interface Corpus {
  readonly dir: string;
  readonly truth: Map<string, { front: FlatCard; back: FlatCard }>;
}

async function makeCorpus(dir: string): Promise<Corpus> {
  const gen = path.join(dir, 'gen');
  const cards = path.join(dir, 'cards');
  mkdirSync(cards, { recursive: true });
  const flat: FlatCard[] = [];
  for (const [i, model] of (['E', 'G', 'H', 'F', 'G', 'E'] as const).entries()) {
    flat.push(await writeFlatCard({ seed: 41, index: i, model, outDir: gen, id: `g${i}` }));
  }
  const truth = new Map<string, { front: FlatCard; back: FlatCard }>();
  const put = (id: string, front: FlatCard | undefined, back: FlatCard | undefined): void => {
    if (front) copyFileSync(front.frontPath, path.join(cards, `${id}_front.jpg`));
    if (back) copyFileSync(back.backPath, path.join(cards, `${id}_back.jpg`));
    if (front && back) truth.set(id, { front, back });
  };
  put('good-1', flat[0], flat[0]);
  put('good-2', flat[1], flat[1]);
  put('good-3', flat[2], flat[2]);
  put('mixed-up', flat[3], flat[4]); // a front and a back of two different people
  put('lonely', flat[5], undefined); // no back: INOCR003
  writeFileSync(path.join(cards, 'empty_front.jpg'), ''); // 0 bytes: INOCR008
  copyFileSync(flat[5]!.backPath, path.join(cards, 'empty_back.jpg'));
  return { dir: cards, truth };
}

/**
 * The rows with each card's true boxes (for the fields it read: front values on the front, MRZ
 * values on the back), and the mixed-up pair flagged as what it is if the judge did not say so.
 */
function withKnownBoxes(rows: readonly CardRecord[], truth: Corpus['truth']): CardRecord[] {
  return rows.map((r) => {
    const t = truth.get(r.id);
    if (!t || r.status !== 'ok') return r;
    const boxes: Partial<Record<FieldName, FieldBox>> = {};
    for (const [f, v] of Object.entries(r) as [FieldName, unknown][]) {
      if (typeof v !== 'string' || v === '') continue;
      const box = t.front.boxes[f] ?? t.back.boxes[f];
      if (box) boxes[f] = box;
    }
    const review = r.id === 'mixed-up' && r.review.length === 0 ? [{ code: 'mismatched-sides', message: 'the front and the back are of different cards' }] : r.review;
    return { ...r, fieldBoxes: boxes, review };
  });
}

const isFlagged = (r: CardRecord): boolean => r.status === 'ok' && r.review.length > 0;

async function open(page: Page, index: string): Promise<void> {
  await page.goto(pathToFileURL(index).href);
  await page.waitForSelector('body[data-ready="true"]');
}

const listIds = (page: Page): Promise<string[]> => page.$$eval('#list-items button .id', (els) => els.map((e) => e.textContent ?? ''));

/**
 * The little of the page's DOM the functions run in the page use: they are sent as source, so
 * they are self-contained; the tests compile without the DOM types, so it is typed here.
 */
interface InPage {
  document: {
    querySelectorAll(selector: string): ArrayLike<{ complete: boolean; naturalWidth: number; labels?: ArrayLike<unknown> | null; id: string; getAttribute(name: string): string | null }>;
    documentElement: { scrollWidth: number };
  };
}

/** Every card in turn (keyboard only): its crops once loaded, how many loaded, how many boxes. */
async function visitAll(page: Page, n: number): Promise<{ crops: number; loaded: number }> {
  await page.keyboard.press('Home');
  let crops = 0;
  let loaded = 0;
  for (let i = 0; i < n; i++) {
    await page.locator('article.card').waitFor();
    await page.waitForFunction(() => Array.from((globalThis as unknown as InPage).document.querySelectorAll('td.crop img')).every((img) => img.complete));
    const sizes = await page.evaluate(() => Array.from((globalThis as unknown as InPage).document.querySelectorAll('td.crop img')).map((img) => img.naturalWidth));
    crops += sizes.length;
    loaded += sizes.filter((w) => w > 0).length;
    await page.keyboard.press('j');
  }
  return { crops, loaded };
}

/** The counts shown are the results'. */
async function checkCounts(page: Page, rows: readonly CardRecord[]): Promise<void> {
  const shown = async (id: string): Promise<number> => Number(await page.textContent(`#${id}`));
  expect(await shown('n-cards')).toBe(rows.length);
  expect(await shown('n-failed')).toBe(rows.filter((r) => r.status !== 'ok').length);
  expect(await shown('n-flagged')).toBe(rows.filter(isFlagged).length);
  expect(await shown('n-ok')).toBe(rows.filter((r) => r.status === 'ok' && !isFlagged(r)).length);
  for (const code of new Set(rows.filter((r) => r.status !== 'ok').map((r) => r.errorCode))) {
    expect(Number(await page.textContent(`#failed-codes tr[data-code="${code}"] td.num`)), code).toBe(rows.filter((r) => r.errorCode === code).length);
  }
}

/** "Flagged" (key 2) shows exactly the flagged cards, "failed" (key 3) the failed ones, "all" (1) every card. */
async function checkFilters(page: Page, rows: readonly CardRecord[]): Promise<void> {
  const flagged = rows.filter(isFlagged).map((r) => r.id).sort();
  expect(flagged.length, 'the batch flags the mixed-up pair').toBeGreaterThan(0);
  await page.keyboard.press('2');
  expect((await listIds(page)).sort()).toEqual(flagged);
  await page.keyboard.press('3');
  expect((await listIds(page)).sort()).toEqual(rows.filter((r) => r.status !== 'ok').map((r) => r.id).sort());
  await page.keyboard.press('1');
  expect(await listIds(page)).toHaveLength(rows.length);
}

/** Usable at 1280×800: nothing wider than the window; every control has a label. */
async function checkUsable(page: Page): Promise<void> {
  await page.keyboard.press('Home');
  expect(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  const unlabelled = await page.evaluate(() =>
    Array.from((globalThis as unknown as InPage).document.querySelectorAll('input, select, button'))
      .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !(el as unknown as { textContent: string }).textContent.trim())
      .map((el) => el.id),
  );
  expect(unlabelled).toEqual([]);
}

interface Edit {
  readonly id: string;
  readonly field: FieldName;
  readonly value: string;
}

/** A correction made with the keyboard only: `/` the card's id, Enter, `e`, type, Enter. */
async function editValue(page: Page, rows: readonly CardRecord[], screenshot: string): Promise<Edit> {
  const target = rows.find((r) => r.status === 'ok' && !isFlagged(r)) ?? rows.find((r) => r.status === 'ok')!;
  await page.keyboard.press('/');
  await page.keyboard.type(target.id);
  await page.keyboard.press('Enter');
  expect(await listIds(page)).toEqual([target.id]);
  await page.keyboard.press('e');
  const field = (await page.evaluate('document.activeElement?.dataset.field')) as FieldName;
  expect(field in target).toBe(true);
  const value = 'CORREGIDO, "CON COMILLAS"';
  await page.keyboard.press('Control+A');
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
  await page.evaluate("document.getElementById('review').scrollIntoView()");
  await page.screenshot({ path: screenshot });
  expect(await page.textContent('#list-items')).toContain('edited');
  return { id: target.id, field, value };
}

/** "Download corrected CSV" (key d), parsed: the value, the `corrected` column, every other cell as batch wrote it. */
async function checkDownload(page: Page, results: string, edit: Edit): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('d')]);
  const got = parse(readFileSync((await download.path())!, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  const batch = parse(readFileSync(results, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  expect(got).toHaveLength(batch.length);
  got.forEach((row, i) => {
    const { corrected, ...cells } = row;
    const edited = batch[i]!['id'] === edit.id;
    expect(corrected).toBe(edited ? edit.field : '');
    expect(cells).toEqual(edited ? { ...batch[i], [edit.field]: edit.value } : batch[i]);
  });
}

/** The correction is kept in this browser: after a reload, "edited by you" (key 7) shows the card with its value. */
async function checkKept(page: Page, edit: Edit): Promise<void> {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.keyboard.press('7');
  expect(await listIds(page)).toEqual([edit.id]);
  expect(await page.inputValue(`#in-${edit.field}`)).toBe(edit.value);
}

/** The checks both pages get. `name` labels the screenshots. */
async function checkPage(browser: Chromium, index: string, results: string, rows: readonly CardRecord[], name: string): Promise<void> {
  const requests: string[] = [];
  const errors: string[] = [];
  const page = await browser.context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, index);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-summary.png`) });
  await checkCounts(page, rows);
  await checkFilters(page, rows);
  // Every card's crops, counted now and asserted last, so the rest is checked even without boxes.
  const { crops, loaded } = await visitAll(page, rows.length);
  await checkUsable(page);
  const edit = await editValue(page, rows, path.join(SCREENSHOTS, `${name}-card.png`));
  await checkDownload(page, results, edit);
  await checkKept(page, edit);
  await page.close();

  expect(errors).toEqual([]);
  expect(requests.filter((u) => !/^(file|blob|data):/.test(u))).toEqual([]);
  expect(requests.filter((u) => u.startsWith('file:')).length).toBeGreaterThan(crops);
  // Every box has its crop, every crop loads, and there are crops to load.
  const boxes = rows.reduce((n, r) => n + Object.keys(r.fieldBoxes).length, 0);
  expect(boxes, 'field boxes in the rows').toBeGreaterThan(0);
  expect(crops).toBe(boxes);
  expect(loaded).toBe(crops);
}

describe('the review page in Chromium', () => {
  let dir: string;
  let corpus: Corpus;
  let browser: Chromium;
  let results: string;
  let rows: CardRecord[];

  beforeAll(async () => {
    dir = tmpDir('ine-report-browser-');
    mkdirSync(SCREENSHOTS, { recursive: true });
    corpus = await makeCorpus(dir);
    results = path.join(dir, 'results.csv');
    const batch = await node(['batch', corpus.dir, '-o', results, '-j', '2', '--no-progress', '--report', path.join(dir, 'review')]);
    expect(batch.stderr).toMatch(/review page for 6 card\(s\)/);
    expect(batch.code).toBe(1); // two cards failed
    rows = (await readExisting(results, 'csv')).rows;
    browser = await openBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('of a real batch, as the reader and the judge filled it', async () => {
    expect(rows.map((r) => r.id).sort()).toEqual(['empty', 'good-1', 'good-2', 'good-3', 'lonely', 'mixed-up']);
    await checkPage(browser, path.join(dir, 'review', 'index.html'), results, rows, 'batch');
  });

  it('of the same batch with the true field boxes', async () => {
    const known = withKnownBoxes(rows, corpus.truth);
    const file = await writeResults(path.join(dir, 'known.jsonl'), 'jsonl', known);
    const made = await node(['report', file, '-o', path.join(dir, 'review-known')]);
    expect(made.code).toBe(0);
    // The download is compared with the same rows as CSV, the batch's other format.
    const asCsv = await writeResults(path.join(dir, 'known.csv'), 'csv', known);
    await checkPage(browser, path.join(dir, 'review-known', 'index.html'), asCsv, known, 'known-boxes');
  });
});
