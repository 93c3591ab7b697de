/**
 * Spreadsheet formula escaping of CSV cells, both ways. A cell that starts with `=`, `+`, `-`,
 * `@`, tab or CR (or their full-width forms) would run as a formula when a spreadsheet opens
 * the file ("CSV injection", OWASP): it gets a leading `'`, shown as text. So that every cell
 * reads back exactly (`--resume` matches rows by id), a cell that itself starts with `'` gets
 * one more: reading removes one leading `'` exactly where writing added one.
 */

/** The characters csv-stringify's `escape_formulas` guards against, and their full-width forms. */
const FORMULA_STARTS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

const QUOTE = "'";

/** The cell as written: `'` in front of a formula start or of a leading `'`. */
export function escapeFormula(cell: string): string {
  const first = cell.charAt(0);
  return first === QUOTE || FORMULA_STARTS.has(first) ? QUOTE + cell : cell;
}

/** The value a written cell stands for (the inverse of escapeFormula). */
export function unescapeFormula(cell: string): string {
  const second = cell.charAt(1);
  return cell.startsWith(QUOTE) && (second === QUOTE || FORMULA_STARTS.has(second)) ? cell.slice(1) : cell;
}
