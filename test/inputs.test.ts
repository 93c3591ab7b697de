/**
 * Every kind of bad input gets its INOCR code and a message a back-office user understands,
 * through the real reader (real tesseract.js where OCR is reached).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardReader } from '../src/pipeline/reader.ts';
import { checkImageBytes } from '../src/pipeline/image.ts';
import { blankPng, textImage, tmpDir, writeFile } from './helpers.ts';

const SAMPLE_FRONT = path.join('samples', 'card-01_front.jpg');
const SAMPLE_BACK = path.join('samples', 'card-01_back.jpg');

describe('image checks (no OCR)', () => {
  it.each([
    ['PDF', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'INOCR014', /PDF/],
    ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'), 'INOCR014', /GIF/],
    ['plain text', Buffer.from('hello, this is not an image'), 'INOCR014', /not a recognised image/],
    ['empty', Buffer.alloc(0), 'INOCR008', /empty/],
  ])('%s → %s', async (_name, bytes, code, message) => {
    await expect(checkImageBytes(bytes, 'front')).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('accepts JPEG and PNG by content whatever the extension', async () => {
    const png = await blankPng();
    await expect(checkImageBytes(png, 'back')).resolves.toMatchObject({ format: 'png' });
    await expect(checkImageBytes(readFileSync(SAMPLE_FRONT), 'front')).resolves.toMatchObject({ format: 'jpeg' });
  });

  it('refuses a file over the size limit', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048)]);
    await expect(checkImageBytes(big, 'front', 1024)).rejects.toMatchObject({ code: 'INOCR005' });
  });
});

describe('CardReader on bad inputs', () => {
  let reader: CardReader;
  let dir: string;
  beforeAll(async () => {
    reader = await CardReader.create({ engine: 'tesseract', workers: 2, maxBytes: 5 * 1024 * 1024 });
    dir = tmpDir();
  });
  afterAll(async () => {
    await reader.close();
  });

  const read = (front: string, back: string) => reader.read({ id: 'x', front, back });

  it('missing front → INOCR002, missing back → INOCR003', async () => {
    const r1 = await read(path.join(dir, 'nope_front.jpg'), SAMPLE_BACK);
    expect(r1).toMatchObject({ status: 'error', errorCode: 'INOCR002' });
    const r2 = await read(SAMPLE_FRONT, path.join(dir, 'nope_back.jpg'));
    expect(r2).toMatchObject({ status: 'error', errorCode: 'INOCR003' });
    expect(r2.errorMessage).toMatch(/back image was not found/);
  });

  it('empty file → INOCR008', async () => {
    const empty = writeFile(dir, 'empty.jpg', Buffer.alloc(0));
    expect(await read(empty, SAMPLE_BACK)).toMatchObject({ status: 'error', errorCode: 'INOCR008' });
  });

  it('over the size limit → INOCR005', async () => {
    const small = await CardReader.create({ engine: 'tesseract', workers: 1, maxBytes: 10_000 });
    try {
      const r = await small.read({ id: 'x', front: SAMPLE_FRONT, back: SAMPLE_BACK });
      expect(r).toMatchObject({ status: 'error', errorCode: 'INOCR005' });
      expect(r.errorMessage).toMatch(/over the 0\.0 MB limit|over the/);
    } finally {
      await small.close();
    }
  });

  it('a PDF renamed .jpg → INOCR014', async () => {
    const pdf = writeFile(dir, 'scan.jpg', '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    expect(await read(pdf, SAMPLE_BACK)).toMatchObject({ status: 'error', errorCode: 'INOCR014' });
  });

  it('a truncated JPEG → INOCR015', async () => {
    const bytes = readFileSync(SAMPLE_FRONT);
    const cut = writeFile(dir, 'cut.jpg', bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await read(cut, SAMPLE_BACK)).toMatchObject({ status: 'error', errorCode: 'INOCR015' });
  });

  it('blank images on both sides → INOCR012', async () => {
    const blank = writeFile(dir, 'blank.png', await blankPng());
    expect(await read(blank, blank)).toMatchObject({ status: 'error', errorCode: 'INOCR012' });
  });

  it('readable text that is not an INE card → INOCR004', async () => {
    const letter = writeFile(dir, 'letter.png', textImage(['INVOICE NUMBER 4471', 'Total due: 1,250.00 MXN', 'Thank you for your business']));
    writeFileSync(path.join(dir, 'letter2.png'), textImage(['MENU DEL DIA', 'Sopa de lentejas', 'Agua fresca']));
    const r = await read(letter, path.join(dir, 'letter2.png'));
    expect(r).toMatchObject({ status: 'error', errorCode: 'INOCR004' });
  });
});
