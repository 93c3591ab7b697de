/**
 * The review page at scale: a report of 10,000 cards — time to build it, its size on disk, and
 * how soon it is usable in Chromium (page ready, a filter applied, the next card shown).
 *
 *   npm run report-bench                          10,000 cards (a few minutes)
 *   npm run report-bench -- --cards 500 --distinct 4
 *   npm run report-bench -- --cards 40 --distinct 4 --screenshot docs/report.png   (the README's picture)
 *
 * The rows are synthesised, not read by OCR: `--distinct` flat generated cards (with their true
 * values and field boxes, src/synth/flat.ts) repeated under different ids until `--cards` rows,
 * every 7th flagged, every 13th failed (its back missing), every 11th with a poor capture, every
 * 5th with an invalid CURP. The same images repeated cost the builder the same as different ones
 * (each card's images are decoded and cut again), so build time and size are representative;
 * the images are only as varied as `--distinct`.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openSink } from '../src/io/writers.ts';
import { newRecord, type CardRecord } from '../src/record.ts';
import { buildReport } from '../src/report/build.ts';
import type { CardModel } from '../src/synth/identity.ts';
import { truthRecord, writeFlatCard, type FlatCard } from '../src/synth/flat.ts';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { openBrowser } from './chromium.ts';

const { values } = parseArgs({
  options: {
    cards: { type: 'string', default: '10000' },
    distinct: { type: 'string', default: '8' },
    jobs: { type: 'string', default: String(Math.max(1, os.availableParallelism())) },
    out: { type: 'string', default: '.bench/report' },
    screenshot: { type: 'string' },
  },
});
const CARDS = Number(values.cards);
const DISTINCT = Number(values.distinct);
const JOBS = Number(values.jobs);
const OUT = path.resolve(values.out);
const MODELS: readonly CardModel[] = ['E', 'G', 'F', 'H'];

/** Row i: a copy of one of the flat cards under its own id, flagged / failed / poor / invalid by turns. */
function row(i: number, card: FlatCard): CardRecord {
  const id = `card-${String(i + 1).padStart(5, '0')}`;
  if (i % 13 === 12) return { ...newRecord(id, path.basename(card.frontPath), ''), status: 'error', errorCode: 'INOCR003', errorMessage: 'The back side of the document is required.' };
  const r = truthRecord(card, {
    ...(i % 7 === 6 ? { review: [{ code: 'mismatched-sides', message: 'the front and the back are of different cards' }] } : {}),
    ...(i % 5 === 4 ? { verdicts: { curp: 'invalid' } } : {}),
    ...(i % 11 === 10 ? { frontQuality: 'poor: blurry; sharpness 0.12, glare 0.00, card 1012 px, outline found' } : {}),
  });
  return { ...r, id };
}

/** Files and bytes on disk: the page, the thumbnails (front.jpg, back.jpg) and the crops. */
function diskUsage(dir: string): Record<'page' | 'thumbs' | 'crops', { files: number; bytes: number }> {
  const out = { page: { files: 0, bytes: 0 }, thumbs: { files: 0, bytes: 0 }, crops: { files: 0, bytes: 0 } };
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const kind = e.name === 'index.html' ? 'page' : e.name === 'front.jpg' || e.name === 'back.jpg' ? 'thumbs' : 'crops';
    out[kind].files++;
    out[kind].bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return out;
}

/** The first flagged card with its crops, as a reviewer sees it at 1280×800; a small palette PNG. */
async function screenshot(page: Page, file: string): Promise<void> {
  await page.keyboard.press('2');
  await page.keyboard.press('Home');
  // Run in the page, sent as source (so self-contained; typed here: scripts compile without the DOM types).
  type InPage = { document: { getElementById(id: string): { scrollIntoView(): void }; querySelectorAll(s: string): ArrayLike<{ complete: boolean }> } };
  await page.evaluate(() => (globalThis as unknown as InPage).document.getElementById('review').scrollIntoView());
  await page.waitForFunction(() => Array.from((globalThis as unknown as InPage).document.querySelectorAll('td.crop img')).every((i) => i.complete));
  const png = await page.screenshot();
  await sharp(png).png({ palette: true, quality: 90, compressionLevel: 9 }).toFile(file);
}

const mb = (bytes: number): number => Number((bytes / 1024 / 1024).toFixed(1));
const kb = (bytes: number): number => Number((bytes / 1024).toFixed(1));

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  const cardsDir = path.join(OUT, 'cards');
  mkdirSync(cardsDir, { recursive: true });
  const flat: FlatCard[] = [];
  for (let i = 0; i < DISTINCT; i++) flat.push(await writeFlatCard({ seed: 77, index: i, model: MODELS[i % 4]!, outDir: cardsDir, id: `flat-${i}` }));
  const results = path.join(cardsDir, 'results.jsonl');
  const sink = await openSink(results, { format: 'jsonl' });
  for (let i = 0; i < CARDS; i++) await sink.write(row(i, flat[i % DISTINCT]!));
  await sink.close();
  process.stderr.write(`${CARDS} rows written (${DISTINCT} distinct cards); building the report with -j ${JOBS} ...\n`);

  const reportDir = path.join(OUT, 'review');
  const t0 = Date.now();
  await buildReport({ results, outDir: reportDir, jobs: JOBS });
  const buildS = (Date.now() - t0) / 1000;
  const disk = diskUsage(reportDir);

  const browser = await openBrowser();
  try {
    const page = await browser.context.newPage();
    const t1 = Date.now();
    await page.goto(pathToFileURL(path.join(reportDir, 'index.html')).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    const usableS = (Date.now() - t1) / 1000;
    const scriptMs = Number(await page.getAttribute('body', 'data-ready-ms'));
    const timed = async (key: string, until: string): Promise<number> => {
      const t = Date.now();
      await page.keyboard.press(key);
      await page.waitForSelector(until);
      return Date.now() - t;
    };
    const flaggedMs = await timed('2', '#shown:has-text(" of ")');
    const shownFlagged = await page.textContent('#shown');
    const nextMs = await timed('j', '.where:has-text("2 of")');
    const allMs = await timed('1', `#shown:has-text("${CARDS} of ${CARDS}")`);
    const endMs = await timed('End', `.where:has-text("${CARDS} of ${CARDS}")`);
    const summary = {
      cards: CARDS,
      distinctImages: DISTINCT,
      jobs: JOBS,
      buildSeconds: Number(buildS.toFixed(1)),
      cardsPerSecond: Number((CARDS / buildS).toFixed(1)),
      files: disk.page.files + disk.thumbs.files + disk.crops.files,
      diskMB: mb(disk.page.bytes + disk.thumbs.bytes + disk.crops.bytes),
      indexHtmlMB: mb(disk.page.bytes),
      thumbnails: disk.thumbs.files,
      thumbnailKBMean: kb(disk.thumbs.bytes / Math.max(1, disk.thumbs.files)),
      crops: disk.crops.files,
      cropKBMean: kb(disk.crops.bytes / Math.max(1, disk.crops.files)),
      usableSeconds: Number(usableS.toFixed(2)),
      scriptMs,
      filterFlaggedMs: flaggedMs,
      shownFlagged,
      nextCardMs: nextMs,
      filterAllMs: allMs,
      lastCardMs: endMs,
    };
    writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify(summary, null, 2) + '\n');
    if (values.screenshot) await screenshot(page, values.screenshot);
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } finally {
    await browser.close();
  }
}

await main();
