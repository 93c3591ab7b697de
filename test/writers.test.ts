/**
 * Batch output: rows streamed to CSV / JSON / JSONL as each card finishes, read back to resume.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_COLUMNS, emptyCapture, emptyFields, type CardRecord } from '../src/record.ts';
import {
  formatFromPath,
  openSink,
  readDoneRows,
  serialiseChecks,
  serialiseWarnings,
  parseChecks,
  parseFieldBoxes,
  parseReview,
  parseWarnings,
  serialiseFieldBoxes,
  serialiseReview,
  type OutputFormat,
} from '../src/io/writers.ts';
import { parseCsv, recoverJsonArray } from '../src/io/resume.ts';

const dir = mkdtempSync(join(tmpdir(), 'ine-ocr-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const out = (ext: string): string => join(dir, `out-${++seq}.${ext}`);

function card(id: string, over: Partial<CardRecord> = {}): CardRecord {
  return {
    ...emptyFields(),
    ...emptyCapture(),
    id,
    front: `in/${id}-front.jpg`,
    back: `in/${id}-back.jpg`,
    status: 'ok',
    errorCode: '',
    errorMessage: '',
    name: 'JUAN CARLOS',
    firstLastName: 'PEREZ',
    curp: 'PELJ900315HDFRPN09',
    review: [],
    fieldBoxes: {},
    checks: { curp: { verdict: 'valid', source: 'both' }, name: { verdict: 'unverified', source: 'front' } },
    warnings: [],
    ...over,
  };
}

const errorCard = (id: string): CardRecord =>
  card(id, {
    status: 'error',
    errorCode: 'INOCR004',
    errorMessage: 'the image is not an INE/IFE card',
    name: '',
    firstLastName: '',
    curp: '',
    checks: {},
  });

const read = (p: string): string => readFileSync(p, 'utf8');

async function writeAll(path: string, format: OutputFormat, rows: CardRecord[], bom?: boolean): Promise<void> {
  const sink = await openSink(path, { format, bom });
  for (const r of rows) await sink.write(r);
  await sink.close();
}

describe('formatFromPath', () => {
  it.each([
    ['out.csv', 'csv'],
    ['dir/OUT.CSV', 'csv'],
    ['out.json', 'json'],
    ['out.jsonl', 'jsonl'],
    ['out.ndjson', 'jsonl'],
    ['out.txt', undefined],
    ['-', undefined],
    ['csv', undefined],
  ])('%s → %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });
});

describe('CSV', () => {
  it.each([
    ['a double quote', 'O"BRIEN', '"O""BRIEN"'],
    ['a comma', 'CALLE 5, NUM 3', '"CALLE 5, NUM 3"'],
    ['a newline', 'LINEA 1\nLINEA 2', '"LINEA 1\nLINEA 2"'],
    ['a CRLF', 'LINEA 1\r\nLINEA 2', '"LINEA 1\r\nLINEA 2"'],
    ['accents', 'NUÑEZ MÉNDEZ', 'NUÑEZ MÉNDEZ'],
    ['a leading =', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['a leading +', '+52 55 1234', "'+52 55 1234"],
    ['a leading -', '-1+1', "'-1+1"],
    ['a leading @', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\tX', "'\tX"],
  ])('escapes %s and reads it back', async (_what, value, cell) => {
    const path = out('csv');
    await writeAll(path, 'csv', [card('c1', { addressLine1: value })]);
    const text = read(path);
    const [, row] = text.split(/\n(?=c1,)/);
    const cells = parseCsv(text).records[1] ?? [];
    expect(row).toContain(cell);
    expect(cells[RECORD_COLUMNS.indexOf('addressLine1')]).toBe(cell.replace(/^"|"$/g, '').replaceAll('""', '"'));
    const { rows } = await readDoneRows(path, 'csv');
    expect(rows[0]?.addressLine1).toBe(value);
  });

  it.each([
    [true, true],
    [false, false],
    [undefined, false],
  ])('bom: %s → BOM present: %s', async (bom, present) => {
    const path = out('csv');
    await writeAll(path, 'csv', [card('b1')], bom);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(present);
    expect((await readDoneRows(path, 'csv')).rows.map((r) => r.id)).toEqual(['b1']);
  });

  it('has a header of RECORD_COLUMNS, in order, and UTF-8 text', async () => {
    const path = out('csv');
    await writeAll(path, 'csv', [card('h1', { name: 'ÑANDÚ' })], true);
    const { records } = parseCsv(read(path));
    expect(records[0]).toEqual([...RECORD_COLUMNS]);
    expect(records[1]?.[RECORD_COLUMNS.indexOf('name')]).toBe('ÑANDÚ');
    expect(records[1]).toHaveLength(RECORD_COLUMNS.length);
  });

  it('writes just the header for an empty batch', async () => {
    const path = out('csv');
    await writeAll(path, 'csv', []);
    expect(read(path)).toBe(`${RECORD_COLUMNS.join(',')}\n`);
  });

  it('serialises checks and warnings compactly, and parses them back', async () => {
    const rec = card('s1', {
      warnings: [
        { code: 'curp-check-digit', message: 'CURP check digit fails' },
        { code: 'names-from-mrz:given', message: 'name repaired from the front' },
      ],
      checks: {
        name: { verdict: 'unverified', source: 'front' },
        curp: { verdict: 'invalid', source: 'back' },
        section: { verdict: 'valid', source: '' },
      },
    });
    // FIELD_NAMES order, not insertion order.
    expect(serialiseChecks(rec.checks)).toBe('name=unverified/front;curp=invalid/back;section=valid/');
    expect(serialiseWarnings(rec.warnings)).toBe('curp-check-digit (CURP check digit fails) | names-from-mrz:given (name repaired from the front)');
    expect(parseChecks(serialiseChecks(rec.checks))).toEqual(rec.checks);
    expect(parseWarnings(serialiseWarnings(rec.warnings))).toEqual(rec.warnings);
    expect(parseWarnings('')).toEqual([]);

    const path = out('csv');
    await writeAll(path, 'csv', [rec]);
    const row = parseCsv(read(path)).records[1] ?? [];
    expect(row[RECORD_COLUMNS.indexOf('checks')]).toBe('name=unverified/front;curp=invalid/back;section=valid/');
    expect(row[RECORD_COLUMNS.indexOf('warnings')]).toBe('curp-check-digit (CURP check digit fails) | names-from-mrz:given (name repaired from the front)');
  });

  it('serialises review reasons and field boxes, and every format reads them back unchanged', async () => {
    const rec = card('b1', {
      review: [
        { code: 'mismatched-sides', message: 'the front and the back are of different cards' },
        { code: 'key-field-unverified:curp', message: '' },
      ],
      fieldBoxes: {
        mz1: { side: 'back', quad: [[60, 512], [1320, 512], [1320, 560], [60, 560]] },
        curp: { side: 'front', quad: [[812.4, 401], [1190, 401.6], [1190, 432], [812, 432]] },
      },
    });
    expect(serialiseReview(rec.review)).toBe('mismatched-sides (the front and the back are of different cards) | key-field-unverified:curp');
    // FIELD_NAMES order, whole pixels.
    expect(serialiseFieldBoxes(rec.fieldBoxes)).toBe('curp=front:812,401 1190,402 1190,432 812,432;mz1=back:60,512 1320,512 1320,560 60,560');
    expect(parseReview(serialiseReview(rec.review))).toEqual(rec.review);
    expect(parseReview('')).toEqual([]);
    const rounded = { ...rec, fieldBoxes: parseFieldBoxes(serialiseFieldBoxes(rec.fieldBoxes)) };
    expect(rounded.fieldBoxes.curp?.quad[0]).toEqual([812, 401]);
    for (const format of ['csv', 'json', 'jsonl'] as const) {
      const path = out(format);
      await writeAll(path, format, [rec, errorCard('b2')]);
      const done = await readDoneRows(path, format);
      expect(done.rows, format).toEqual([rounded, errorCard('b2')]);
    }
  });

  it('round-trips through readDoneRows: same ids, status, fields, checks, warnings', async () => {
    const rows = [
      card('r1', { warnings: [{ code: 'x', message: 'a (nested) note' }] }),
      errorCard('r2'),
      card('-r3', { front: '=front.jpg', errorMessage: 'dice "hola", y\nadiós' }),
    ];
    const path = out('csv');
    await writeAll(path, 'csv', rows, true);
    const done = await readDoneRows(path, 'csv');
    expect([...done.ids]).toEqual(['r1', 'r2', '-r3']);
    expect(done.rows.map((r) => r.status)).toEqual(['ok', 'error', 'ok']);
    expect(done.rows).toEqual(rows);
  });

  it('appends without a second header, cutting off a truncated last row first', async () => {
    const path = out('csv');
    const sink = await openSink(path, { format: 'csv', bom: true });
    await sink.write(card('a1'));
    await sink.write(card('a2'));
    // A crash mid-row: a quoted cell cut inside its line break.
    appendFileSync(path, 'a3,in/a3-front.jpg,in/a3-back.jpg,ok,,,"CALLE\n');
    expect((await readDoneRows(path, 'csv')).rows.map((r) => r.id)).toEqual(['a1', 'a2']);

    const again = await openSink(path, { format: 'csv', bom: true, append: true });
    await again.write(card('a3'));
    await again.close();
    const text = read(path);
    expect(text.split(RECORD_COLUMNS.join(',')).length).toBe(2); // one header
    expect(text.indexOf('\uFEFF')).toBe(0);
    expect(text.lastIndexOf('\uFEFF')).toBe(0);
    expect(text).not.toContain('"CALLE\n');
    expect((await readDoneRows(path, 'csv')).rows.map((r) => r.id)).toEqual(['a1', 'a2', 'a3']);
    await sink.abort?.(); // the "crashed" sink's handle
  });

  it('appending to a missing or empty file writes the header', async () => {
    for (const setup of [() => {}, (p: string) => writeFileSync(p, ''), (p: string) => writeFileSync(p, 'id,fro')]) {
      const path = out('csv');
      setup(path);
      const sink = await openSink(path, { format: 'csv', append: true });
      await sink.write(card('e1'));
      await sink.close();
      const { records } = parseCsv(read(path));
      expect(records[0]).toEqual([...RECORD_COLUMNS]);
      expect(records.map((r) => r[0])).toEqual(['id', 'e1']);
    }
  });

  it('CRLF rows and quoted line breaks parse; an unterminated record does not count', () => {
    const parsed = parseCsv('a,b\r\n"1\r\n2",x\r\n3,"y""z"\r\n4,"open');
    expect(parsed.records).toEqual([
      ['a', 'b'],
      ['1\r\n2', 'x'],
      ['3', 'y"z'],
    ]);
    expect(parsed.end).toBe('a,b\r\n"1\r\n2",x\r\n3,"y""z"\r\n'.length);
  });
});

describe('JSON and JSONL', () => {
  it.each(['json', 'jsonl'] as const)('%s objects have keys in RECORD_COLUMNS order', async (format) => {
    const path = out(format);
    await writeAll(path, format, [card('k1'), errorCard('k2')]);
    const text = read(path);
    const objects: Record<string, unknown>[] =
      format === 'json' ? JSON.parse(text) : text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(objects).toHaveLength(2);
    for (const o of objects) expect(Object.keys(o)).toEqual([...RECORD_COLUMNS]);
    expect(objects[0]?.['checks']).toEqual({
      name: { verdict: 'unverified', source: 'front' },
      curp: { verdict: 'valid', source: 'both' },
    });
    expect(objects[1]?.['warnings']).toEqual([]);
  });

  it('a JSON array is valid after close, written via .partial', async () => {
    const path = out('json');
    const sink = await openSink(path, { format: 'json' });
    await sink.write(card('j1'));
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(true);
    await sink.write(card('j2'));
    await sink.close();
    expect(existsSync(`${path}.partial`)).toBe(false);
    const text = read(path);
    expect(text.startsWith('[\n{')).toBe(true);
    expect(text.endsWith('}\n]\n')).toBe(true);
    expect(text).toContain('},\n{');
    expect(JSON.parse(text).map((r: CardRecord) => r.id)).toEqual(['j1', 'j2']);
  });

  it('an empty JSON batch is an empty array', async () => {
    const path = out('json');
    await writeAll(path, 'json', []);
    expect(JSON.parse(read(path))).toEqual([]);
  });

  it('a crashed JSON run is recovered from .partial, even cut mid-row, and resumed', async () => {
    const path = out('json');
    const sink = await openSink(path, { format: 'json' });
    for (const id of ['x1', 'x2', 'x3']) await sink.write(card(id));
    // No close: the process dies here.
    let done = await readDoneRows(path, 'json');
    expect(done.rows).toHaveLength(3);
    expect([...done.ids]).toEqual(['x1', 'x2', 'x3']);
    expect(done.rows[2]).toEqual(card('x3'));

    appendFileSync(`${path}.partial`, ',\n{"id":"x4","front":"in/x4-fr');
    done = await readDoneRows(path, 'json');
    expect([...done.ids]).toEqual(['x1', 'x2', 'x3']);

    const again = await openSink(path, { format: 'json', append: true });
    await again.write(card('x4'));
    await again.close();
    expect(JSON.parse(read(path)).map((r: CardRecord) => r.id)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(existsSync(`${path}.partial`)).toBe(false);
    expect((await readDoneRows(path, 'json')).rows).toHaveLength(4);
    await sink.abort?.(); // the "crashed" sink's handle: its .partial was replaced
    expect(JSON.parse(read(path))).toHaveLength(4);
  });

  it('abort leaves a valid JSON .partial and no <out>', async () => {
    const path = out('json');
    const sink = await openSink(path, { format: 'json' });
    await sink.write(card('ab1'));
    await sink.abort?.();
    expect(existsSync(path)).toBe(false);
    expect(JSON.parse(read(`${path}.partial`)).map((r: CardRecord) => r.id)).toEqual(['ab1']);
    expect([...(await readDoneRows(path, 'json')).ids]).toEqual(['ab1']);
  });

  it('recoverJsonArray keeps every complete element', () => {
    expect(recoverJsonArray('[\n{"a":"}]\\""},\n{"b":[1,{"c":2}]},\n{"d":').values).toEqual([
      { a: '}]"' },
      { b: [1, { c: 2 }] },
    ]);
    expect(recoverJsonArray('  [ {"a":1} , {"b":2} ]').closed).toBe(true);
    expect(recoverJsonArray('').values).toEqual([]);
  });

  it('JSONL: a truncated last line is ignored on resume and cut on append', async () => {
    const path = out('jsonl');
    const sink = await openSink(path, { format: 'jsonl' });
    await sink.write(card('l1'));
    await sink.write(errorCard('l2'));
    appendFileSync(path, '{"id":"l3","front":"in/');
    const done = await readDoneRows(path, 'jsonl');
    expect([...done.ids]).toEqual(['l1', 'l2']);
    expect(done.rows.map((r) => r.status)).toEqual(['ok', 'error']);

    const again = await openSink(path, { format: 'jsonl', append: true });
    await again.write(card('l3'));
    await again.close();
    const lines = read(path).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(['l1', 'l2', 'l3']);
    await sink.abort?.(); // the "crashed" sink's handle
  });
});

describe('streaming and resume', () => {
  it.each([
    ['csv', ''],
    ['jsonl', ''],
    ['json', '.partial'],
  ] as const)('%s: a row is on disk as soon as write() resolves', async (format, suffix) => {
    const path = out(format);
    const sink = await openSink(path, { format });
    const file = `${path}${suffix}`;
    expect(read(file)).not.toContain('st1');
    await sink.write(card('st1', { name: 'PRIMERA' }));
    expect(read(file)).toContain('PRIMERA');
    await sink.write(card('st2', { name: 'SEGUNDA' }));
    expect(read(file)).toContain('SEGUNDA');
    expect([...(await readDoneRows(path, format)).ids]).toEqual(['st1', 'st2']);
    await sink.close();
  });

  it('concurrent writes keep every row whole', async () => {
    const path = out('jsonl');
    const sink = await openSink(path, { format: 'jsonl' });
    const ids = Array.from({ length: 50 }, (_, k) => `p${k}`);
    await Promise.all(ids.map((id) => sink.write(card(id))));
    await sink.close();
    expect([...(await readDoneRows(path, 'jsonl')).ids].sort()).toEqual([...ids].sort());
  });

  it.each(['csv', 'json', 'jsonl'] as const)('%s: a missing output has no done rows', async (format) => {
    const done = await readDoneRows(join(dir, `missing.${format}`), format);
    expect(done.rows).toEqual([]);
    expect(done.ids.size).toBe(0);
  });

  it.each(['csv', 'json', 'jsonl'] as const)('%s: keep drops rows to redo before appending', async (format) => {
    const path = out(format);
    await writeAll(path, format, [card('q1'), errorCard('q2'), card('q3')]);
    const sink = await openSink(path, { format, append: true, keep: (r) => r.status === 'ok' });
    await sink.write(card('q2'));
    await sink.close();
    const done = await readDoneRows(path, format);
    expect(done.rows.map((r) => `${r.id}:${r.status}`)).toEqual(['q1:ok', 'q3:ok', 'q2:ok']);
  });

  it('write after close rejects', async () => {
    const path = out('csv');
    const sink = await openSink(path, { format: 'csv' });
    await sink.close();
    await expect(sink.write(card('late'))).rejects.toThrow(/closed/);
  });
});
