/** Batch manifests: CSV, JSON and JSONL; bad lines become INOCR006 entries, the rest go on. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/io/csv.ts';
import { readManifest } from '../src/io/manifest.ts';
import { tmpDir, writeFile } from './helpers.ts';

const dir = tmpDir('ine-ocr-manifest-');
const at = (p: string): string => path.join(dir, p);

describe('readCsv (RFC 4180, csv-parse) as manifests use it: unquoted fields trimmed', () => {
  it.each([
    { name: 'plain', text: 'a,b\n1,2\n', rows: [['a', 'b'], ['1', '2']], lines: [1, 2] },
    { name: 'CRLF, no final newline', text: 'a,b\r\n1,2', rows: [['a', 'b'], ['1', '2']], lines: [1, 2] },
    { name: 'quoted comma and quote', text: '"x, y","say ""hi"""\n', rows: [['x, y', 'say "hi"']], lines: [1] },
    { name: 'quoted newline keeps line count', text: '"a\nb",c\nd,e\n', rows: [['a\nb', 'c'], ['d', 'e']], lines: [1, 3] },
    { name: 'blank lines skipped', text: 'a\n\n\nb\n', rows: [['a'], ['b']], lines: [1, 4] },
    { name: 'spaces around unquoted fields trimmed', text: ' a , b \n', rows: [['a', 'b']], lines: [1] },
    { name: 'empty fields kept', text: 'a,,c\n', rows: [['a', '', 'c']], lines: [1] },
    { name: 'a record of empty fields is skipped like a blank line', text: 'a\n,,\nb\n', rows: [['a'], ['b']], lines: [1, 3] },
    { name: 'BOM, and a quoted CRLF counted once', text: '\uFEFFa\r\n"b\r\nc"\r\nd\r\n', rows: [['a'], ['b\r\nc'], ['d']], lines: [1, 2, 4] },
    { name: 'semicolons', text: 'a;b\n1;2\n', rows: [['a;b'], ['1;2']], lines: [1, 2] },
  ])('$name', ({ text, rows, lines }) => {
    const recs = readCsv(text, { trim: true }).records;
    expect(recs.map((r) => r.fields)).toStrictEqual(rows);
    expect(recs.map((r) => r.line)).toStrictEqual(lines);
  });

  it('the delimiter is the caller\'s: `;` and tab', () => {
    expect(readCsv('a;b\n1;2\n', { delimiter: ';' }).records.map((r) => r.fields)).toStrictEqual([['a', 'b'], ['1', '2']]);
    expect(readCsv('a\tb\n1\t2\n', { delimiter: '\t' }).records.map((r) => r.fields)).toStrictEqual([['a', 'b'], ['1', '2']]);
  });

  it('flags an unterminated quote with the line its record starts on; the records before it stand', () => {
    expect(readCsv('a,"b\n')).toStrictEqual({ records: [], end: 0, unterminated: 1 });
    const r = readCsv('x,y\n\n\n"open,z\nmore\n');
    expect(r.records.map((x) => x.fields)).toStrictEqual([['x', 'y']]);
    expect(r.unterminated).toBe(4);
  });

  it('a last record without a line break is read but not complete', () => {
    const r = readCsv('a,b\n1,2');
    expect(r.records.map((x) => x.complete)).toStrictEqual([true, false]);
    expect(r.end).toBe(4);
  });
});

describe('readManifest — CSV', () => {
  it.each([
    {
      name: 'front,back,id',
      text: 'front,back,id\nimgs/a_front.jpg,imgs/a_back.jpg,card-1\n',
      entries: [{ id: 'card-1', front: at('imgs/a_front.jpg'), back: at('imgs/a_back.jpg'), line: 2 }],
    },
    {
      name: 'any column order and case, BOM, CRLF',
      text: '\uFEFFID,Back,FRONT\r\ncard-1,b.jpg,f.jpg\r\n',
      entries: [{ id: 'card-1', front: at('f.jpg'), back: at('b.jpg'), line: 2 }],
    },
    {
      name: 'quoted fields with commas and quotes',
      text: 'front,back,id\n"fotos/Pérez, Juan front.jpg","fotos/Pérez, Juan back.jpg","Juan ""JP"" Pérez"\n',
      entries: [
        { id: 'Juan "JP" Pérez', front: at('fotos/Pérez, Juan front.jpg'), back: at('fotos/Pérez, Juan back.jpg'), line: 2 },
      ],
    },
    {
      name: 'missing id: derived from the front name',
      text: 'front,back\njuan_perez_anverso.jpg,juan_perez_reverso.jpg\nIMG_1234.jpg,IMG_1235.jpg\n',
      entries: [
        { id: 'juan_perez', front: at('juan_perez_anverso.jpg'), back: at('juan_perez_reverso.jpg'), line: 2 },
        { id: 'IMG_1234', front: at('IMG_1234.jpg'), back: at('IMG_1235.jpg'), line: 3 },
      ],
    },
    {
      name: 'semicolon-separated (Excel in Spanish)',
      text: 'front;back;id\na.jpg;b.jpg;x\n',
      entries: [{ id: 'x', front: at('a.jpg'), back: at('b.jpg'), line: 2 }],
    },
    {
      name: 'absolute paths kept, empty side left empty, blank lines skipped',
      text: 'front,back,id\n/data/f.jpg,,one\n\n,/data/b.jpg,two\n',
      entries: [
        { id: 'one', front: '/data/f.jpg', back: '', line: 2 },
        { id: 'two', front: '', back: '/data/b.jpg', line: 4 },
      ],
    },
    {
      name: 'duplicate ids get ~2; derived ids avoid explicit ones',
      text: 'front,back,id\na.jpg,b.jpg,x\nc.jpg,d.jpg,x\nx_front.jpg,x_back.jpg,\ne.jpg,f.jpg,x~2\n',
      entries: [
        { id: 'x', front: at('a.jpg'), back: at('b.jpg'), line: 2 },
        { id: 'x~3', front: at('c.jpg'), back: at('d.jpg'), line: 3 },
        { id: 'x~4', front: at('x_front.jpg'), back: at('x_back.jpg'), line: 4 },
        { id: 'x~2', front: at('e.jpg'), back: at('f.jpg'), line: 5 },
      ],
    },
  ])('$name', async ({ text, entries }) => {
    const file = writeFile(dir, 'm.csv', text);
    expect(await readManifest(file)).toStrictEqual({ entries, errors: [] });
  });

  it('an unterminated quote is an INOCR006 error entry for that line', async () => {
    const file = writeFile(dir, 'bad.csv', 'front,back\na.jpg,b.jpg\n"c.jpg,d.jpg\n');
    const r = await readManifest(file);
    expect(r.entries).toHaveLength(1);
    expect(r.errors).toStrictEqual([{ line: 3, id: 'line-3', code: 'INOCR006', message: expect.stringMatching(/line 3/) }]);
  });

  it.each([
    ['no header columns', 'a.jpg,b.jpg\n'],
    ['empty file', ''],
  ])('%s → throws INOCR006', async (_n, text) => {
    const file = writeFile(dir, 'nohead.csv', text);
    await expect(readManifest(file)).rejects.toMatchObject({ name: 'InocrError', code: 'INOCR006' });
  });
});

describe('readManifest — JSON and JSONL', () => {
  it.each([
    {
      name: 'array',
      file: 'm.json',
      text: JSON.stringify([{ front: 'a/f.jpg', back: 'a/b.jpg', id: 'one' }, { front: 'x_front.png', back: 'x_back.png' }]),
    },
    {
      name: '{cards: [...]}',
      file: 'm2.json',
      text: JSON.stringify({ cards: [{ front: 'a/f.jpg', back: 'a/b.jpg', id: 'one' }, { front: 'x_front.png', back: 'x_back.png' }] }),
    },
    {
      name: 'JSONL',
      file: 'm.jsonl',
      text: '{"front":"a/f.jpg","back":"a/b.jpg","id":"one"}\n\n{"front":"x_front.png","back":"x_back.png"}\n',
    },
  ])('$name', async ({ file, text }) => {
    const r = await readManifest(writeFile(dir, file, text));
    expect(r.errors).toStrictEqual([]);
    expect(r.entries.map(({ id, front, back }) => ({ id, front, back }))).toStrictEqual([
      { id: 'one', front: at('a/f.jpg'), back: at('a/b.jpg') },
      { id: 'x', front: at('x_front.png'), back: at('x_back.png') },
    ]);
  });

  it('JSONL with bad lines: INOCR006 with the line number, the others kept', async () => {
    const text = [
      '{"front":"1f.jpg","back":"1b.jpg","id":"a"}',
      '{"front":"2f.jpg","back":', // truncated
      '',
      '["not","an","object"]',
      '{"front":42,"back":"4b.jpg","id":"d"}',
      '{"front":"5f.jpg","id":"e"}', // no back: still an entry, the runner reports INOCR003
    ].join('\n');
    const r = await readManifest(writeFile(dir, 'bad.ndjson', text));
    expect(r.entries).toStrictEqual([
      { id: 'a', front: at('1f.jpg'), back: at('1b.jpg'), line: 1 },
      { id: 'e', front: at('5f.jpg'), back: '', line: 6 },
    ]);
    expect(r.errors).toStrictEqual([
      { line: 2, id: 'line-2', code: 'INOCR006', message: expect.stringMatching(/line 2/) },
      { line: 4, id: 'line-4', code: 'INOCR006', message: expect.stringMatching(/line 4: expected an object/) },
      { line: 5, id: 'd', code: 'INOCR006', message: expect.stringMatching(/line 5: front must be a string/) },
    ]);
  });

  it('paths resolve relative to the manifest folder, not the cwd', async () => {
    mkdirSync(at('nested/deeper'), { recursive: true });
    const file = writeFile(at('nested/deeper'), 'cards.json', JSON.stringify([{ front: '../f.jpg', back: 'b.jpg' }]));
    const r = await readManifest(path.relative(process.cwd(), file));
    expect(r.entries).toStrictEqual([{ id: 'f', front: at('nested/f.jpg'), back: at('nested/deeper/b.jpg'), line: 1 }]);
  });

  it.each([
    ['not JSON at all', 'm-bad.json', '{"front": "a.jpg", '],
    ['JSON but not a list of cards', 'm-obj.json', '{"front": "a.jpg"}'],
    ['missing file', 'does-not-exist.json', null],
  ])('%s → throws INOCR006', async (_n, name, text) => {
    const file = text === null ? at(name) : writeFile(dir, name, text);
    await expect(readManifest(file)).rejects.toMatchObject({ name: 'InocrError', code: 'INOCR006' });
  });
});
