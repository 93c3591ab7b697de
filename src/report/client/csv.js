/*
 * The review page's CSV writer: the corrected CSV must be byte for byte what `ine-ocr batch`
 * writes with csv-stringify (src/io/writers.ts: `escape_formulas`, `\n` row ends, RFC 4180
 * quoting, optional UTF-8 BOM), so a corrected file drops into whatever read the batch's.
 * test/report-csv.test.ts runs these very functions against csv-stringify on awkward values.
 *
 * A classic script (no import/export): the page inlines it before app.js, which calls it.
 */

/*
 * First characters csv-stringify's `escape_formulas` protects with a leading `'`: ASCII
 * = + - @, tab and CR, and the full-width = + - @ (csv-stringify 6.x, lib/api/index.js).
 */
const CSV_FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

/**
 * One cell as csv-stringify writes a string with `escape_formulas: true` and
 * `record_delimiter: 'unix'` and `quoted_match: /\r/` (as the batch's writer): quoted when it
 * holds `,`, `"`, LF or CR (decided on the value before the `'` is added), `"` doubled. A bare
 * CR quotes too, or a reader that ends records at CR would split the row.
 * @param {string} value
 * @returns {string}
 */
function csvCell(value) {
  if (value === '') return '';
  const quote = /[",\n\r]/.test(value);
  let out = CSV_FORMULA_STARTS.includes(value.charAt(0)) ? `'${value}` : value;
  out = out.replaceAll('"', '""');
  return quote ? `"${out}"` : out;
}

/**
 * The whole file: a header row, then one row per record, each ended by `\n`; a UTF-8 BOM
 * first when asked (for Excel).
 * @param {readonly string[]} header
 * @param {readonly (readonly string[])[]} rows
 * @param {boolean} bom
 * @returns {string}
 */
function csvText(header, rows, bom) {
  const lines = [header, ...rows].map((cells) => `${cells.map(csvCell).join(',')}\n`);
  return (bom ? '\uFEFF' : '') + lines.join('');
}
