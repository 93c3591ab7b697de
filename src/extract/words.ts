/**
 * Spatial helpers over OCR words: label finding by approximate match, and the words to the
 * right of or below a label. Nothing here knows pixel positions of any card model: every
 * distance is relative to the label's own text height.
 */
import type { BBox, OcrResult, OcrWord } from '../engines/types.ts';

/** Upper case, accents removed (Ñ → N), for comparing labels. */
export function foldForMatch(s: string): string {
  return s
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

export interface Word extends OcrWord {
  /** Index in the flattened word list. */
  readonly index: number;
}

export function wordsOf(ocr: OcrResult): Word[] {
  const out: Word[] = [];
  for (const line of ocr.lines) {
    for (const w of line.words) out.push({ ...w, index: out.length });
  }
  return out;
}

export const height = (b: BBox): number => Math.max(1, b.y1 - b.y0);
const cy = (b: BBox): number => (b.y0 + b.y1) / 2;

/**
 * Smallest edit distance between `pattern` and any substring of `text` (Sellers 1980),
 * with the substring's [start, end).
 */
export function approxFind(pattern: string, text: string): { dist: number; start: number; end: number } {
  const m = pattern.length;
  const n = text.length;
  // d[i][j]: distance between pattern[0..i) and a substring of text ending at j.
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => new Array<number>(n + 1).fill(i));
  const row0 = d[0]!;
  for (let j = 0; j <= n; j++) row0[j] = 0;
  for (let i = 1; i <= m; i++) {
    const prev = d[i - 1]!;
    const cur = d[i]!;
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1]! + (pattern[i - 1] === text[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
  }
  let best = Number.POSITIVE_INFINITY;
  let end = 0;
  const last = d[m]!;
  for (let j = 0; j <= n; j++) {
    if (last[j]! < best) {
      best = last[j]!;
      end = j;
    }
  }
  // Walk back to the start of the best substring.
  let i = m;
  let j = end;
  while (i > 0 && j > 0) {
    const cur = d[i]![j]!;
    if (cur === d[i - 1]![j - 1]! + (pattern[i - 1] === text[j - 1] ? 0 : 1)) {
      i--;
      j--;
    } else if (cur === d[i - 1]![j]! + 1) {
      i--;
    } else {
      j--;
    }
  }
  return { dist: best, start: j, end };
}

/** Plain edit distance. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Edit distance tolerated for a label of this many letters. */
function tolerance(len: number): number {
  // Short labels (CURP, SEXO) get one edit too: a label only counts when a value of its
  // field's type is found beside it, which keeps false hits out.
  if (len <= 3) return 0;
  if (len <= 4) return 1;
  if (len <= 8) return 1;
  // Long labels printed small (LOCALIDAD, MUNICIPIO) come back with several letters wrong.
  return len >= 9 ? 3 : 2;
}

export interface LabelHit {
  readonly key: string;
  /** Words the label occupies (the last may also hold the start of the value). */
  readonly words: readonly Word[];
  /** Letters of the last word that follow the label (label and value merged by the OCR). */
  readonly tail: string;
  readonly bbox: BBox;
  readonly dist: number;
}

export interface LabelSpec {
  readonly key: string;
  /** Printed forms, any of which may match. */
  readonly forms: readonly string[];
}

/**
 * Finds every occurrence of a label in reading rows of words. Labels are matched on letters
 * only (spaces, punctuation and accents ignored), so `CLAVEDE ELECTOR`, `ANO DE REGISTRO`
 * and `SECCI0N` are found; the match must start at a word boundary.
 */
export function findLabels(words: readonly Word[], specs: readonly LabelSpec[]): LabelHit[] {
  const rows = groupRows(words);
  const hits: LabelHit[] = [];
  for (const row of rows) {
    // Letters of the row, with the word each letter belongs to.
    let flat = '';
    const owner: number[] = [];
    const offset: number[] = [];
    row.forEach((w, wi) => {
      const letters = foldForMatch(w.text).replace(/[^A-Z0-9]/g, '');
      for (let k = 0; k < letters.length; k++) {
        flat += letters[k];
        owner.push(wi);
        offset.push(k);
      }
    });
    for (const spec of specs) {
      for (const form of spec.forms) {
        const pat = foldForMatch(form).replace(/[^A-Z0-9]/g, '');
        let searchFrom = 0;
        while (searchFrom < flat.length) {
          const sub = flat.slice(searchFrom);
          const found = approxFind(pat, sub);
          if (found.dist > tolerance(pat.length) || found.end - found.start < Math.max(3, pat.length - tolerance(pat.length))) break;
          const start = searchFrom + found.start;
          let end = searchFrom + found.end;
          // `CURRP` holds CURP with one edit either as `CUR` or as the whole word: prefer the
          // match that ends where the word ends, so no label letters are left on the value.
          for (let e = end + 1; e <= Math.min(flat.length, end + 3); e++) {
            if (owner[e - 1] !== owner[end - 1]) break;
            if ((e === flat.length || offset[e] === 0) && levenshtein(pat, flat.slice(start, e)) <= found.dist) {
              end = e;
              break;
            }
          }
          if (offset[start] === 0) {
            const firstWord = owner[start]!;
            const lastWord = owner[end - 1]!;
            const ws = row.slice(firstWord, lastWord + 1);
            const lastLetters = foldForMatch(row[lastWord]!.text).replace(/[^A-Z0-9]/g, '');
            const usedInLast = offset[end - 1]! + 1;
            const tailRaw = lastLetters.slice(usedInLast);
            hits.push({
              key: spec.key,
              words: ws,
              tail: tailRaw,
              bbox: labelBox(ws, lastLetters.length, usedInLast),
              dist: found.dist,
            });
          }
          searchFrom = end;
        }
      }
    }
  }
  return dedupeHits(hits);
}

/** Box of the label's words; when the value is glued to the label, cut the last word proportionally. */
function labelBox(ws: readonly Word[], lastLen: number, usedInLast: number): BBox {
  const first = ws[0]!;
  const last = ws[ws.length - 1]!;
  const frac = lastLen > 0 ? usedInLast / lastLen : 1;
  const x1 = last.bbox.x0 + (last.bbox.x1 - last.bbox.x0) * frac;
  return {
    x0: first.bbox.x0,
    x1,
    y0: Math.min(...ws.map((w) => w.bbox.y0)),
    y1: Math.max(...ws.map((w) => w.bbox.y1)),
  };
}

/** Where two hits claim the same first word, keep the closer and longer one. */
function dedupeHits(hits: LabelHit[]): LabelHit[] {
  const byWord = new Map<number, LabelHit>();
  for (const h of hits) {
    const k = h.words[0]!.index;
    const prev = byWord.get(k);
    if (!prev || h.dist < prev.dist || (h.dist === prev.dist && h.words.length > prev.words.length)) byWord.set(k, h);
  }
  return [...byWord.values()];
}

/**
 * Words grouped into reading rows by vertical overlap, each row sorted left to right. A word
 * far taller than the text (a scrap of the photo or guilloche, a smear) would bridge two rows:
 * such words join the row they overlap most afterwards, without widening it.
 */
export function groupRows(words: readonly Word[]): Word[][] {
  const hs = words.filter((w) => w.text.length >= 2).map((w) => height(w.bbox)).sort((a, b) => a - b);
  const typical = hs[Math.floor(hs.length / 2)] ?? 0;
  const tall = (w: Word): boolean => typical > 0 && height(w.bbox) > 2.5 * typical;
  const sorted = words.filter((w) => !tall(w)).sort((a, b) => cy(a.bbox) - cy(b.bbox));
  const rows: { words: Word[]; y0: number; y1: number }[] = [];
  // A row's centre line: the middle of its extent, or of its words' centres (one word boxed
  // taller than its text moves the first, a slanted row the second).
  const centre = (r: { words: Word[] }): number => {
    const cs = r.words.map((x) => cy(x.bbox)).sort((a, b) => a - b);
    return cs[Math.floor(cs.length / 2)]!;
  };
  for (const w of sorted) {
    const h = height(w.bbox);
    const row = rows.find((r) => {
      const overlap = Math.min(r.y1, w.bbox.y1) - Math.max(r.y0, w.bbox.y0);
      const near = (c: number): boolean => Math.abs(cy(w.bbox) - c) < 0.6 * h;
      return overlap > 0.5 * Math.min(h, r.y1 - r.y0) && (near((r.y0 + r.y1) / 2) || near(centre(r)));
    });
    if (row) {
      row.words.push(w);
      row.y0 = Math.min(row.y0, w.bbox.y0);
      row.y1 = Math.max(row.y1, w.bbox.y1);
    } else {
      rows.push({ words: [w], y0: w.bbox.y0, y1: w.bbox.y1 });
    }
  }
  for (const w of words.filter(tall)) {
    const overlap = (r: { y0: number; y1: number }): number => Math.min(r.y1, w.bbox.y1) - Math.max(r.y0, w.bbox.y0);
    const best = rows.reduce<(typeof rows)[number] | undefined>((b, r) => (overlap(r) > 0 && (!b || overlap(r) > overlap(b)) ? r : b), undefined);
    if (best) best.words.push(w);
    else rows.push({ words: [w], y0: w.bbox.y0, y1: w.bbox.y1 });
  }
  return rows
    .sort((a, b) => a.y0 - b.y0)
    .map((r) => r.words.sort((a, b) => a.bbox.x0 - b.bbox.x0));
}

/**
 * Words on the label's row, to its right, up to the first gap wider than `maxGap` text heights
 * or the first word that belongs to another label.
 */
export function wordsRightOf(hit: LabelHit, words: readonly Word[], labelWords: ReadonlySet<number>, maxGap = 4): Word[] {
  const h = height(hit.bbox);
  const own = new Set(hit.words.map((w) => w.index));
  const candidates = words
    .filter((w) => !own.has(w.index))
    .filter((w) => w.bbox.x0 >= hit.bbox.x1 - 0.3 * h)
    .filter((w) => Math.abs(cy(w.bbox) - cy(hit.bbox)) < 0.6 * h)
    .sort((a, b) => a.bbox.x0 - b.bbox.x0);
  const out: Word[] = [];
  let x = hit.bbox.x1;
  for (const w of candidates) {
    if (labelWords.has(w.index)) break;
    if (w.bbox.x0 - x > maxGap * h) break;
    out.push(w);
    x = w.bbox.x1;
  }
  return out;
}

/**
 * Rows of words below the label, in its column: each row's run of words starting near the
 * label's left edge, stopping at a wide gap or another label's word. Rows are taken while
 * they follow each other closely (at most `maxRows`).
 */
export function rowsBelow(
  hit: LabelHit,
  words: readonly Word[],
  labelWords: ReadonlySet<number>,
  maxRows: number,
  opts: { maxGap?: number; startSlack?: number } = {},
): Word[][] {
  const h = height(hit.bbox);
  const maxGap = opts.maxGap ?? 3;
  const startSlack = opts.startSlack ?? 2;
  const below = words.filter(
    (w) => w.bbox.y0 >= hit.bbox.y1 - 0.25 * h && w.bbox.x1 > hit.bbox.x0 - startSlack * h,
  );
  const rows = groupRows(below);
  const out: Word[][] = [];
  let lastBottom = hit.bbox.y1;
  for (const row of rows) {
    const rowTop = Math.min(...row.map((w) => w.bbox.y0));
    const rowH = Math.max(...row.map((w) => height(w.bbox)));
    if (rowTop - lastBottom > 1.6 * Math.max(h, rowH)) break;
    const startIdx = row.findIndex((w) => w.bbox.x0 >= hit.bbox.x0 - startSlack * h);
    if (startIdx < 0) continue;
    const first = row[startIdx]!;
    if (first.bbox.x0 > hit.bbox.x0 + 3 * h) {
      lastBottom = Math.max(lastBottom, rowTop + rowH);
      continue;
    }
    if (labelWords.has(first.index)) break;
    const seg: Word[] = [];
    let x = first.bbox.x0;
    for (const w of row.slice(startIdx)) {
      if (labelWords.has(w.index)) break;
      if (w.bbox.x0 - x > maxGap * rowH) break;
      seg.push(w);
      x = w.bbox.x1;
    }
    if (seg.length > 0) out.push(seg);
    lastBottom = rowTop + rowH;
    if (out.length >= maxRows) break;
  }
  return out;
}
