/**
 * The front without its labels. On a small or blurred photo the labels (small, pale print)
 * are often lost while the values (large, dark) are still read. Every INE front since model
 * E prints its values in the same order: the NOMBRE block, the DOMICILIO block, the CLAVE DE
 * ELECTOR row, the CURP row (with AÑO DE REGISTRO), then the number rows. So the values are
 * found from the rows whose content identifies them — the clave and the CURP by their
 * structure, a date, runs of digits of the right lengths — and from that order, never from
 * pixel positions. Labels print smaller than values, so a row of small text separates blocks.
 *
 * Used only for what the labels did not give; merge cross-checks every value it can.
 */
import { INEGI_STATE_CODES } from '../domain/states.ts';
import { asDigits, codeLookalikes, DIGITISH_TOKEN, parseDateText, yearRange } from './front-values.ts';
import { foldForMatch, groupRows, height, type Word } from './words.ts';

export interface RowValues {
  nameLines?: string[];
  addressLines?: string[];
  /** The words of each name and address line, for where the blocks are (the reader re-reads them). */
  nameRows?: readonly (readonly Word[])[];
  addressRows?: readonly (readonly Word[])[];
  dateOfBirth?: string;
  sex?: string;
  section?: string;
  validFrom?: string;
  validTo?: string;
  registrationYear?: string;
  issueNumber?: string;
  stateCode?: string;
  municipalityCode?: string;
  localityCode?: string;
  emissionYear?: string;
  /**
   * The words of each number row below the codes whose run of codes was not made out (labels
   * read glued to their values, a code misread): what the judge places by the sección the
   * MRZ vouches for (`codesBySection`).
   */
  codeRows?: (readonly string[])[];
}

const compact = (ws: readonly Word[]): string => codeLookalikes(foldForMatch(ws.map((w) => w.text).join(''))).replace(/[^A-Z0-9]/g, '');
const rowTop = (r: readonly Word[]): number => Math.min(...r.map((w) => w.bbox.y0));
const rowBottom = (r: readonly Word[]): number => Math.max(...r.map((w) => w.bbox.y1));
/**
 * A row's text height: the upper quartile of its words' heights, so one tall scrap does not
 * make a label row a value row, and labels interleaved with values (ESTADO 30 MUNICIPIO 018)
 * do not make a value row a label row.
 */
const rowHeight = (r: readonly Word[]): number => {
  const hs = r.map((w) => height(w.bbox)).sort((a, b) => a - b);
  return hs[Math.floor(0.75 * (hs.length - 1))] ?? 0;
};

/** The end of the CLAVE DE ELECTOR label, which survives where its value does not (CUMDELECTOR MDFR I S). */
const CLAVE_LABEL_TAIL = /ELECTOR(?!AL)/;

/** Card header words: the blocks above the name stop there. */
const HEADER = /INSTITUTO|ELECTORAL|CREDENCIAL|VOTAR|MEXICO/;

/** A token that is (mostly) digits: at least 80% real digits, the rest look-alikes. */
function digitToken(text: string): string | undefined {
  const t = foldForMatch(text).replace(/[.,:;'"`]/g, '');
  if (t.length === 0) return undefined;
  const real = [...t].filter((c) => c >= '0' && c <= '9').length;
  if (real / t.length < 0.8) return undefined;
  const d = asDigits(t);
  return d.length === t.length ? d : undefined;
}

/** A word with what is glued before its digits dropped (the end of a label read with its value: E24, #117, ANODEA02009). */
const unglued = (text: string): string => foldForMatch(text).replace(/^[^0-9]+(?=[0-9])/, '');

/** The digits a word ends with: its value, with the label glued before it dropped (TA027 for ESTADO 27, SCC10N5309). */
const trailingDigits = (text: string): string => /\d*$/.exec(foldForMatch(text).replace(/[.,:;'"`]/g, ''))![0];

function valueHeight(ws: readonly Word[]): number {
  const hs = ws
    .filter((w) => w.text.length >= 2 && w.text.length <= 8)
    .map((w) => height(w.bbox))
    .sort((a, b) => a - b);
  return hs[Math.floor(0.75 * (hs.length - 1))] ?? 20;
}

/**
 * A short code in the number rows, look-alikes allowed throughout (`O6`, `OOOL` for 0001): only
 * used where the row's run of 2-, 3-, 4- and 4-digit codes confirms what each token is.
 */
function codeToken(text: string): string | undefined {
  const t = foldForMatch(text).replace(/[.,:;'"`]/g, '');
  if (t.length < 2 || t.length > 5 || !DIGITISH_TOKEN.test(t)) return undefined;
  return asDigits(t);
}

/** A word this short read at less than this confidence (PP-OCR's mean character probability × 100) is a scrap, not a value. */
const SCRAP = { confidence: 30, length: 4 } as const;

/**
 * A CURP's first eleven characters — four letters, the date of birth (YYMMDD), the sex — which no
 * other front value holds (the clave has six letters before its date, and its state after it):
 * the CURP's row when the rest of the code was lost (hard eval, sheen: a glare over the codes'
 * tails left `MEFA991216HGRD` and the clave's first four letters, and no label read).
 */
const CURP_HEAD = /[A-Z]{4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[HM]/;

const isYear = (d: string): boolean => /^(19|20)\d\d$/.test(d);

/** The most lines a name or address block prints (paterno, materno, given names; street, colonia, place). */
const BLOCK_LINES = 3;

/** Rows further apart than this many value heights are in different blocks. */
const BLOCK_GAP = 1.2;

/** A row's confidence: its words' mean. */
const rowConfidence = (r: readonly Word[]): number => r.reduce((s, w) => s + w.confidence, 0) / Math.max(1, r.length);

/**
 * Both blocks closed by their line count (no label row or gap between them or above the names)
 * and value rows right above the name block, up to the header: more rows than the blocks
 * print, so a label was read at value size (motion blur spreads a small label's ink: NOMBRE read
 * `NOHERE`, DOMICILIO `DOvO`, the latter then taken for a name line and the names shifted by
 * one). Where a label can be is the card's order: NOMBRE heads the rows, DOMICILIO follows the
 * name block's three lines. With two rows too many both places go; with one, of the two the
 * one read with less confidence. Any other count is left as found (a block closed by a label
 * row needs nothing: its lines are the three nearest it). `overflow`: the rows the walk up had
 * begun a third block with; `from`: the row it stopped at.
 */
function settleOverfull(
  blocks: Word[][][],
  overflow: readonly Word[][],
  rows: readonly (readonly Word[])[],
  from: number,
  row: { isValueRow: (r: readonly Word[]) => boolean; columnSegment: (r: readonly Word[]) => Word[]; hv: number },
): void {
  if (blocks.length < 2 || overflow.length === 0) return;
  const extra: Word[][] = [...overflow];
  let lastTop = rowTop(extra[0]!);
  for (let k = from; k >= 0; k--) {
    const r = rows[k]!;
    if (HEADER.test(compact(r))) break;
    const seg = row.columnSegment(r);
    if (seg.length === 0 || !row.isValueRow(seg) || lastTop - rowBottom(r) > BLOCK_GAP * row.hv) break;
    extra.unshift(seg);
    lastTop = rowTop(r);
  }
  // In the rows without NOMBRE, DOMICILIO's place: right after the name block's lines.
  const all = [...extra, ...blocks[1]!, ...blocks[0]!];
  let kept: Word[][];
  if (all.length === 2 * BLOCK_LINES + 2) {
    kept = all.slice(1).filter((_, k) => k !== BLOCK_LINES);
  } else if (all.length === 2 * BLOCK_LINES + 1) {
    const drop = rowConfidence(all[0]!) < rowConfidence(all[BLOCK_LINES]!) ? 0 : BLOCK_LINES;
    kept = all.filter((_, k) => k !== drop);
  } else {
    return;
  }
  blocks[1] = kept.slice(0, BLOCK_LINES);
  blocks[0] = kept.slice(BLOCK_LINES);
}

/**
 * @param words every word the OCR read on the front
 * @param codes the clave and CURP as read (windows of the OCR text), to find their rows
 * @param blockLabels indexes of the words read as a block label (NOMBRE, DOMICILIO): a row of
 *   nothing else separates blocks, however large the OCR boxed it
 */
export function valuesFromRows(words: readonly Word[], codes: { clave: string; curp: string }, blockLabels: ReadonlySet<number> = new Set()): RowValues {
  // Every word counts for finding rows (a blurred code may be read with low confidence);
  // short low-confidence scraps (photo, guilloche, a label read as nonsense: DOMICILIO read
  // MaUD at confidence 19 and boxed at value size, hard eval seed 31, jpeg) are left out of
  // the values, and a row of nothing else separates blocks as a label row does.
  const rows = groupRows(words.filter((w) => /[A-Z0-9ÁÉÍÓÚÑ]/i.test(w.text)));
  const scrap = (w: Word): boolean => w.confidence < SCRAP.confidence && w.text.length <= SCRAP.length;
  const rowOf = (code: string): number => {
    const key = foldForMatch(code).replace(/[^A-Z0-9]/g, '').slice(0, 12);
    return key.length < 12 ? -1 : rows.findIndex((r) => compact(r).includes(key));
  };
  const claveRow = rowOf(codes.clave);
  let curpRow = rowOf(codes.curp);
  let curpSeen = codes.curp;
  // Neither code read whole (a glare over their tails): the CURP's row by its head.
  for (let i = 0; claveRow < 0 && curpRow < 0 && i < rows.length; i++) {
    const head = CURP_HEAD.exec(compact(rows[i]!));
    if (head) [curpRow, curpSeen] = [i, head[0]];
  }
  const anchor = claveRow >= 0 ? claveRow : curpRow;
  if (anchor < 0) return {};
  // Value text height: values print larger than labels, and short words' boxes are not
  // inflated by a slanted baseline, so the upper quartile of short words' heights.
  const hv = valueHeight(rows.flat());
  const isValueRow = (r: readonly Word[]): boolean => rowHeight(r) >= 0.7 * hv && !r.every((w) => blockLabels.has(w.index));
  // The text column: where most value rows above the codes start (names and address lines
  // are left-aligned), searched no further left than a long label's width from the codes.
  // Where each code's own word starts (its row may begin with a scrap of the photo).
  const codeLeft = (i: number, code: string): number => {
    const key = foldForMatch(code).replace(/[^A-Z0-9]/g, '').slice(0, 6);
    const w = key.length === 6 ? rows[i]!.find((x) => compact([x]).includes(key)) : undefined;
    return (w ?? rows[i]![0]!).bbox.x0;
  };
  const codesLeft = Math.min(...([[claveRow, codes.clave], [curpRow, curpSeen]] as const).filter(([i]) => i >= 0).map(([i, c]) => codeLeft(i, c)));
  const starts = rows
    .slice(0, anchor)
    .filter(isValueRow)
    .map((r) => r.find((w) => w.bbox.x0 >= codesLeft - 8 * hv && height(w.bbox) >= 0.7 * hv)?.bbox.x0)
    .filter((x): x is number => x !== undefined);
  const support = (x: number): number => starts.filter((o) => Math.abs(o - x) <= hv).length;
  const aligned = starts.reduce<number | undefined>((best, x) => (best === undefined || support(x) > support(best) || (support(x) === support(best) && x < best) ? x : best), undefined);
  const colLeft = (aligned !== undefined && support(aligned) >= 2 ? Math.min(aligned, codesLeft) : codesLeft) - 0.6 * hv;
  /** The row's words in the text column, up to the first wide gap (a value printed further right). */
  const columnSegment = (r: readonly Word[]): Word[] => {
    const seg: Word[] = [];
    for (const w of r) {
      if (w.bbox.x0 < colLeft || scrap(w)) continue;
      if (seg.length > 0 && w.bbox.x0 - seg[seg.length - 1]!.bbox.x1 > 2.5 * hv) break;
      seg.push(w);
    }
    return seg;
  };
  const line = (ws: readonly Word[]): string => ws.map((w) => w.text).join(' ');

  // Blocks above the codes: DOMICILIO directly above, NOMBRE above that, a label row or a
  // wider gap between them.
  const blocks: Word[][][] = [];
  let current: Word[][] = [];
  let lastTop = rowTop(rows[anchor]!);
  // Without the clave's row, the CURP's row anchors: the clave row above it (its value
  // garbled, a long run of letters and digits, or cut short after its label) is skipped.
  let skipCode = claveRow < 0;
  const byCount: boolean[] = [];
  let i = anchor - 1;
  for (; i >= 0 && blocks.length < 2; i--) {
    const r = rows[i]!;
    if (HEADER.test(compact(r))) break;
    if (skipCode && (r.some((w) => w.text.replace(/[^A-Za-z0-9]/g, '').length >= 12) || CLAVE_LABEL_TAIL.test(compact(r)))) {
      skipCode = false;
      lastTop = rowTop(r);
      continue;
    }
    const seg = columnSegment(r);
    const gap = lastTop - rowBottom(r);
    // A row's size is its words' in the text column: the sex printed beside the first surname,
    // smaller, made that surname's row a label row (hard eval, sheen: MEDINA H).
    if (seg.length === 0 || !isValueRow(seg)) {
      if (current.length > 0) {
        byCount.push(false);
        blocks.push(current);
        current = [];
      }
      lastTop = rowTop(r);
      continue;
    }
    if (current.length > 0 && (gap > BLOCK_GAP * hv || current.length === BLOCK_LINES)) {
      // A block closed by its line count alone, not by a label row or a gap.
      byCount.push(gap <= BLOCK_GAP * hv);
      blocks.push(current);
      current = [];
    }
    current.unshift(seg);
    lastTop = rowTop(r);
  }
  // Both blocks closed by their line count and rows begun as a third: more value rows than
  // two blocks print.
  const overflow = blocks.length === 2 && byCount[0] && byCount[1] ? current : [];
  if (current.length > 0 && blocks.length < 2) blocks.push(current);
  settleOverfull(blocks, overflow, rows, i, { isValueRow, columnSegment, hv });
  const out: RowValues = {};
  // Directly above the clave: the address (when the block has 2–3 lines; a single line there
  // may be the address of a card without street, so it is kept too). Above it: the name.
  if (blocks[0]) {
    out.addressLines = blocks[0].map(line);
    out.addressRows = blocks[0];
  }
  if (blocks[1]) {
    out.nameLines = blocks[1].map(line);
    out.nameRows = blocks[1];
  }

  // Sex: a lone H or M in value size beside the name block.
  for (let i = 0; i < anchor; i++) {
    const lone = rows[i]!.find((w) => /^[HM]$/.test(foldForMatch(w.text)) && height(w.bbox) >= 0.7 * hv && w.bbox.x0 > colLeft + 6 * hv);
    if (lone) {
      out.sex = foldForMatch(lone.text);
      break;
    }
  }

  // AÑO DE REGISTRO on the CURP row, after the CURP: a year, then the 2-digit emission number
  // (glued to it, or on a row of its own just below when the photo's slant split the row).
  for (const ri of curpRow >= 0 ? [curpRow, curpRow + 1] : []) {
    const row = rows[ri];
    if (!row || out.registrationYear !== undefined) break;
    if (ri !== curpRow && row.some((w) => parseDateText(w.text) !== undefined)) break;
    // As read, then unglued (AÑO DE REGISTRO read ANODEA02009: a mark left before the year),
    // then the digits a word ends with (ANOD0ST201101: a look-alike in the label's tail).
    for (const toks of [row.map((w) => digitToken(w.text) ?? ''), row.map((w) => digitToken(unglued(w.text)) ?? ''), row.map((w) => trailingDigits(w.text))]) {
      for (let k = 0; k < toks.length && out.registrationYear === undefined; k++) {
        const t = toks[k]!;
        const next = toks[k + 1] ?? '';
        if (isYear(t) && next.length === 2) [out.registrationYear, out.issueNumber] = [t, next];
        else if (t.length === 6 && isYear(t.slice(0, 4))) [out.registrationYear, out.issueNumber] = [t.slice(0, 4), t.slice(4)];
        else if (t.length === 5 && isYear(t.slice(1)) && next.length === 2) [out.registrationYear, out.issueNumber] = [t.slice(1), next];
      }
    }
  }

  // The number rows below the codes.
  const below = rows.slice(Math.max(claveRow, curpRow) + 1).filter(isValueRow).slice(0, 3);
  for (const r of below) {
    const date = r.map((w) => parseDateText(w.text)).find((d) => d !== undefined);
    const tokens = r.map((w) => digitToken(w.text));
    if (date) {
      // G/H: FECHA DE NACIMIENTO, SECCIÓN, VIGENCIA from–to.
      out.dateOfBirth ??= date;
      // After the date: the 4-digit sección, then the VIGENCIA range.
      const di = r.findIndex((w) => parseDateText(w.text) !== undefined);
      const rest = r.slice(di + 1);
      const sectionAt = rest.findIndex((w) => digitToken(w.text)?.length === 4);
      const range = sectionAt >= 0 ? yearRange(rest.slice(sectionAt + 1).map((w) => w.text).join(' ')) : undefined;
      if (sectionAt >= 0 && range?.from) {
        out.section = digitToken(rest[sectionAt]!.text)!;
        out.validFrom = range.from;
        out.validTo = range.to;
      }
      continue;
    }
    // E/F: ESTADO, MUNICIPIO, SECCIÓN, LOCALIDAD — four codes of 2, 3, 4 and 4 digits in a row,
    // whatever the labels between them were read as.
    // The last may carry a mark glued before it (the end of its label): 5 characters, last 4 kept.
    // Failing that, with what is glued before a word's digits dropped (the end of a label read
    // with its value: `E24` for ESTADO 24, `#117` for MUNICIPIO 117); and failing that, the first
    // three codes when the fourth was misread (LOCALIDAD 0360 read 060: left unread).
    const codesOf = (texts: readonly string[]): string[] => texts.map(codeToken).filter((d): d is string => d !== undefined);
    const run = (codes: readonly string[], pattern: RegExp, n: number): string[] | undefined => {
      const at = codes.findIndex((_, k) => pattern.test(codes.slice(k, k + n).map((d) => d.length).join(',')));
      return at >= 0 ? codes.slice(at, at + n) : undefined;
    };
    const asRead = codesOf(r.map((w) => w.text));
    const loose = codesOf(r.map((w) => unglued(w.text)));
    const four = run(asRead, /^2,3,4,[45]$/, 4) ?? run(loose, /^2,3,4,[45]$/, 4) ?? run(loose, /^2,3,4$/, 3);
    if (four && out.stateCode === undefined) {
      [out.stateCode, out.municipalityCode, out.section] = four as [string, string, string];
      if (four[3]) out.localityCode = four[3].slice(-4);
      continue;
    }
    // Not a row with two years (G/H's SECCIÓN and VIGENCIA range split from the birth date, or
    // E/F's EMISIÓN and VIGENCIA): a year there is no code.
    const twoYears = !!yearRange(r.map((w) => w.text).join(' '))?.from;
    if (out.stateCode === undefined && !twoYears && r.some((w) => /\d/.test(w.text))) (out.codeRows ??= []).push(r.map((w) => w.text));
    // A stray mark glued before a year (the end of EMISIÓN read as 1: `12019`) is dropped; then
    // as unglued (EMISIÓN 2016 VIGENCIA 2026 read MN2016 NCA2026).
    const yearsOf = (ts: readonly (string | undefined)[]): string[] =>
      ts.flatMap((d) => (d === undefined || d.length < 2 ? [] : d.length <= 4 ? [d] : d.length <= 6 && isYear(d.slice(-4)) ? [d.slice(-4)] : []));
    for (const years of [yearsOf(tokens), yearsOf(r.map((w) => digitToken(unglued(w.text))))]) {
      if (years.length === 2 && isYear(years[0]!) && isYear(years[1]!) && out.emissionYear === undefined) {
        // E/F: EMISIÓN and VIGENCIA (the year it expires).
        out.emissionYear = years[0]!;
        out.validTo = years[1]!;
      }
    }
  }
  // A date elsewhere (E/F print FECHA DE NACIMIENTO at the top right).
  if (!out.dateOfBirth) {
    for (const r of rows) {
      const d = parseDateText(r.map((w) => w.text).join(' '));
      if (d) {
        out.dateOfBirth = d;
        break;
      }
    }
  }
  return out;
}

/** How many digits each E/F code prints. */
const EF_CODE = { state: 2, municipality: 3, section: 4, locality: 4 } as const;

export interface SectionCodes {
  stateCode?: string;
  municipalityCode?: string;
  localityCode?: string;
}

/**
 * E/F's number row — ESTADO, MUNICIPIO, SECCIÓN, LOCALIDAD — made out by the sección another
 * reading vouches for (the MRZ's, by its check digit): the one row with a word ending in it.
 * Each code is the last digits of its word, as many as the card prints, with at most a 0 before
 * them (a label glued before its value ends in O, read 0: `TA027`, `MCP0090`). The word before
 * the sección is MUNICIPIO's when it has its three digits, and ESTADO's is before that; a word
 * of one digit there is a municipality misread, ESTADO still before it; with two digits it
 * could be either, and neither is taken. LOCALIDAD is the word after. Words without digits
 * (labels) are skipped.
 */
export function codesBySection(rows: readonly (readonly string[])[], section: string): SectionCodes {
  if (!/^\d{4}$/.test(section)) return {};
  // At most one digit more than the code prints, a 0: the label's last letter (ESTADO's and
  // MUNICIPIO's O, LOCALIDAD's D) read as one. Anything else is a smear (966666) or a misread.
  const last = (d: string | undefined, n: number): string | undefined => (d !== undefined && (d.length === n || (d.length === n + 1 && d[0] === '0')) ? d.slice(-n) : undefined);
  const found = rows
    .map((r) => r.map(trailingDigits).filter((d) => d.length > 0))
    .map((ds) => ({ ds, at: ds.findIndex((d) => last(d, EF_CODE.section) === section) }))
    .filter((r) => r.at >= 0);
  if (found.length !== 1) return {};
  const { ds, at } = found[0]!;
  const out: SectionCodes = {};
  const before = ds[at - 1];
  const municipality = last(before, EF_CODE.municipality);
  const stateWord = municipality !== undefined || before?.length === 1 ? ds[at - 2] : undefined;
  const state = last(stateWord, EF_CODE.state);
  if (municipality) out.municipalityCode = municipality;
  if (state && INEGI_STATE_CODES.has(state)) out.stateCode = state;
  const locality = last(ds[at + 1], EF_CODE.locality);
  if (locality) out.localityCode = locality;
  return out;
}
