/**
 * The review page writes the corrected CSV itself (in the browser, without csv-stringify), so it
 * must write exactly what `ine-ocr batch` writes. These tests run the page's own script
 * (src/report/client/csv.js, loaded as the page loads it: a classic script) on awkward values and
 * compare bytes with the batch's writer and with csv-stringify.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { recordToCsvCells } from '../src/io/writers.ts';
import { newRecord, RECORD_COLUMNS, type CardRecord } from '../src/record.ts';
import { tmpDir } from './helpers.ts';
import { writeResults } from './report-fixtures.ts';

type CsvText = (header: readonly string[], rows: readonly (readonly string[])[], bom: boolean) => string;

function pageCsv(): { csvText: CsvText; csvCell: (v: string) => string } {
  const context = vm.createContext({});
  vm.runInContext(readFileSync('src/report/client/csv.js', 'utf8'), context);
  return context as unknown as { csvText: CsvText; csvCell: (v: string) => string };
}

/** Values a spreadsheet or a naive writer gets wrong. */
const AWKWARD = [
  '', 'plain', 'with, comma', 'with "quotes"', '"', '""', 'line\nbreak', 'carriage\rreturn', 'crlf\r\nend', '\r', '\rleading CR',
  '=SUM(A1:A9)', '+52 55 1234', '-12', '-', '@cmd', '\tTAB first', 'tab\tinside', "'=already", ' leading space', 'trailing space ',
  'ÑUÑEZ PEÑA', 'JOSÉ MARÍA', '😀 emoji', '＝full-width equals', '＋plus', '－minus', '＠at', '=1,"2"\n3', 'a | b', ';', 'x=valid/front;y',
];

describe("the page's CSV writer", () => {
  const { csvText, csvCell } = pageCsv();

  it("writes each awkward cell as csv-stringify does with escape_formulas and the batch's CR quoting", () => {
    for (const v of AWKWARD) {
      const expected = stringify([[v]], { escape_formulas: true, record_delimiter: 'unix', quoted_match: /\r/ });
      expect(`${csvCell(v)}\n`, JSON.stringify(v)).toBe(expected);
    }
  });

  it('writes byte for byte what ine-ocr batch writes for the same records, with and without BOM', async () => {
    const dir = tmpDir('ine-report-csv-');
    const records: CardRecord[] = AWKWARD.map((v, i) => ({
      ...newRecord(`id-${i}${v}`, `${v}_front.jpg`, 'b.jpg'),
      name: v,
      addressLine1: v,
      curp: `${v}${v}`,
      errorMessage: v,
      warnings: v === '' ? [] : [{ code: 'curp-repaired', message: v }, { code: 'x', message: `second ${v}` }],
      review: v === '' ? [] : [{ code: 'key-field-unverified:curp', message: v }],
      checks: { name: { verdict: 'unverified', source: 'front' } },
      fieldBoxes: { name: { side: 'front', quad: [[1, 2], [30, 2], [30, 9], [1, 9]] } },
    }));
    for (const bom of [false, true]) {
      const file = await writeResults(path.join(dir, `batch-${bom}.csv`), 'csv', records, bom);
      const batch = await readFile(file);
      const rows = records.map((r) => RECORD_COLUMNS.map((c) => recordToCsvCells(r)[c] ?? ''));
      const page = Buffer.from(csvText(RECORD_COLUMNS, rows, bom), 'utf8');
      expect(page.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bom);
      expect(page.equals(batch)).toBe(true);
    }
  });
});
