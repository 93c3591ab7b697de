/**
 * Front side: labels found by approximate match on OCR words, each value looked for to the
 * right of its label and then below it, and accepted only when it fits the field's type.
 * Values are raw (cleaned, digit-typed); CURP/clave validation and repair happen in merge.
 */
import { middleInitials, numberWords, withoutNumber } from '../domain/address-words.ts';
import { AS_LETTER } from '../domain/lookalikes.ts';
import type { BBox, OcrResult } from '../engines/types.ts';
import { findClave, parseClave } from './clave.ts';
import { findCurp, parseCurp } from './curp.ts';
import { valuesFromRows } from './front-rows.ts';
import { asDigits, code18, codeLookalikes, DIGITISH_TOKEN, parseDateText, yearRange } from './front-values.ts';
import { findLabels, foldForMatch, levenshtein, rowsBelow, wordsOf, wordsRightOf, type LabelHit, type LabelSpec, type Word } from './words.ts';

export const FRONT_LABELS: readonly LabelSpec[] = [
  { key: 'nombre', forms: ['NOMBRE'] },
  { key: 'domicilio', forms: ['DOMICILIO'] },
  { key: 'clave', forms: ['CLAVE DE ELECTOR'] },
  { key: 'curp', forms: ['CURP'] },
  { key: 'registro', forms: ['AÑO DE REGISTRO', 'ANO DE REGISTRO'] },
  { key: 'nacimiento', forms: ['FECHA DE NACIMIENTO'] },
  { key: 'seccion', forms: ['SECCIÓN'] },
  { key: 'vigencia', forms: ['VIGENCIA'] },
  { key: 'sexo', forms: ['SEXO'] },
  { key: 'estado', forms: ['ESTADO'] },
  { key: 'municipio', forms: ['MUNICIPIO'] },
  { key: 'localidad', forms: ['LOCALIDAD'] },
  { key: 'emision', forms: ['EMISIÓN'] },
  { key: 'edad', forms: ['EDAD'] },
];

/** Words that mark an INE/IFE card even when no field label was read. */
const CARD_MARKERS: readonly LabelSpec[] = [
  { key: 'ine', forms: ['INSTITUTO NACIONAL ELECTORAL'] },
  { key: 'ife', forms: ['INSTITUTO FEDERAL ELECTORAL'] },
  { key: 'credencial', forms: ['CREDENCIAL PARA VOTAR'] },
];

export interface FrontReading {
  /** Label keys found on the image (and card markers such as `credencial`). */
  readonly labels: readonly string[];
  /** Name lines under NOMBRE as printed: usually paterno, materno, given names. */
  readonly nameLines: readonly string[];
  readonly addressLines: readonly string[];
  readonly clave: string;
  readonly curp: string;
  /** DD/MM/YYYY. */
  readonly dateOfBirth: string;
  readonly sex: string;
  readonly section: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly registrationYear: string;
  readonly issueNumber: string;
  readonly stateCode: string;
  readonly municipalityCode: string;
  readonly localityCode: string;
  readonly emissionYear: string;
  /** E/F number rows whose codes were not made out, word by word, for the judge to place by the sección (`codesBySection`). */
  readonly codeRows: readonly (readonly string[])[];
  /** Mean OCR confidence of the words each value came from (0–100), by field. */
  readonly confidence: Readonly<Record<string, number>>;
  /**
   * Boxes in the OCR image: the words each code was read from (label words excluded), for
   * zone re-reads; the name and address blocks with their labels, which anchor the photo.
   */
  readonly zones: Readonly<Partial<Record<'curp' | 'clave' | 'name' | 'address', BBox>>>;
  /**
   * Where each value was read, in the OCR image: the words of a labelled value (date, sex,
   * sección, vigencia, registro, the E/F codes), and one box per name and address line.
   */
  readonly boxes: FrontBoxes;
}

/** Boxes of a front's values: by the record field they fill, and per printed line of the two blocks. */
export interface FrontBoxes {
  readonly fields: Readonly<Partial<Record<FrontBoxField, BBox>>>;
  readonly nameLines: readonly BBox[];
  readonly addressLines: readonly BBox[];
}

/** Fields a front value fills directly (the codes' boxes are in `zones`). */
export type FrontBoxField = 'dateOfBirth' | 'sex' | 'section' | 'expirationDate' | 'validFrom' | 'registrationYear' | 'issueNumber' | 'stateCode' | 'municipalityCode' | 'localityCode' | 'emissionYear';

const textOf = (ws: readonly Word[]): string => ws.map((w) => w.text).join(' ');
const meanConf = (ws: readonly Word[]): number =>
  ws.length === 0 ? 0 : ws.reduce((s, w) => s + w.confidence, 0) / ws.length;

interface Candidate {
  readonly text: string;
  readonly words: readonly Word[];
}

/** Text right of the label (plus letters glued to it), then each row below in its column. */
function candidatesFor(hit: LabelHit, words: readonly Word[], labelWords: ReadonlySet<number>, rowsDown: number): Candidate[] {
  const out: Candidate[] = [];
  const right = wordsRightOf(hit, words, labelWords);
  if (hit.tail || right.length > 0) out.push({ text: [hit.tail, textOf(right)].filter(Boolean).join(' '), words: [...hit.words.slice(-1), ...right] });
  for (const row of rowsBelow(hit, words, labelWords, rowsDown)) out.push({ text: textOf(row), words: row });
  return out;
}

function firstMatch<T>(cands: readonly Candidate[], parse: (text: string) => T | undefined): { value: T; conf: number; words: readonly Word[] } | undefined {
  for (const c of cands) {
    const v = parse(c.text);
    if (v !== undefined) return { value: v, conf: meanConf(c.words), words: c.words };
  }
  return undefined;
}

/**
 * A word shaped like the clave or the CURP, which no address or name holds: letters, the six
 * digits of a birth date, six more characters (a run-together address line, COLSECTOR325673,
 * ends at its postal code).
 */
const CODE_LIKE = /[A-Z]{4}\d{6}[A-Z0-9]{6}/;

function unionBox(ws: readonly Word[]): BBox | undefined {
  if (ws.length === 0) return undefined;
  return {
    x0: Math.min(...ws.map((w) => w.bbox.x0)),
    y0: Math.min(...ws.map((w) => w.bbox.y0)),
    x1: Math.max(...ws.map((w) => w.bbox.x1)),
    y1: Math.max(...ws.map((w) => w.bbox.y1)),
  };
}

/** N digits, reading letter look-alikes as digits; the first run of exactly N. */
function digitsField(n: number): (t: string) => string | undefined {
  return (t) => {
    for (const tok of t.split(/\s+/)) {
      const d = asDigits(tok);
      if (d.length === n && DIGITISH_TOKEN.test(foldForMatch(tok).replace(/[.,:;'"`-]/g, ''))) return d;
    }
    const all = asDigits(t);
    return all.length === n ? all : undefined;
  };
}

/** Where `code` (letters and digits) lies in `text`, spaces and punctuation between its characters allowed. */
function compactIndex(text: string, code: string): { start: number; end: number } | undefined {
  const up = foldForMatch(text);
  for (let start = 0; start < up.length; start++) {
    if (up[start] !== code[0]) continue;
    let k = 0;
    let i = start;
    for (; i < up.length && k < code.length; i++) {
      if (up[i] === code[k]) k++;
      else if (/[A-Z0-9]/.test(up[i]!)) break;
    }
    if (k === code.length) return { start, end: i };
  }
  return undefined;
}

function sexField(t: string): string | undefined {
  const tok = foldForMatch(t).replace(/[^A-Z0-9]/g, '');
  if (tok === 'H' || tok === 'M' || tok === 'X') return tok;
  if (tok === 'HI' || tok === 'IH' || tok === 'HL') return 'H';
  if (tok.length > 0 && tok.length <= 2 && /^[HM]/.test(tok)) return tok[0];
  return undefined;
}

function registration(t: string): { year: string; issue: string } | undefined {
  // A year and its two-digit issue as words of their own, whatever is before them (REGISTRO's
  // last letter read as a 0 of its own: `0 2016 02`).
  const words = t.trim().split(/\s+/).map(asDigits);
  for (let k = 0; k + 1 < words.length; k++) {
    if (/^(19|20)\d\d$/.test(words[k]!) && /^\d\d$/.test(words[k + 1]!)) return { year: words[k]!, issue: words[k + 1]! };
  }
  const all = asDigits(t);
  if (all.length === 6 && /^(19|20)\d\d/.test(all)) return { year: all.slice(0, 4), issue: all.slice(4) };
  if (all.length === 4 && /^(19|20)\d\d/.test(all)) return { year: all, issue: '' };
  return undefined;
}

/** Cleans a printed name or address line: upper case, letters/digits/common punctuation. */
/** A digit read between two letters of a word is the letter it looks like (R0SARIO → ROSARIO); numbers stay numbers. */
const DIGIT_IN_WORD = /(?<=[A-ZÁÉÍÓÚÜÑ])[0-9](?=[A-ZÁÉÍÓÚÜÑ])/g;
/**
 * A 0 ending a word of three letters or more is its O (MADER0, HIDALG0, FRANCISC0: washed out
 * under a glare): a number run into a word (INT 10, LOTE 3) ends in two digits or none is 0.
 */
const ZERO_ENDING_WORD = /(?<=[A-ZÁÉÍÓÚÜÑ]{3})0(?![0-9A-ZÁÉÍÓÚÜÑ])/g;

function cleanLine(t: string, keepDigits: boolean): string {
  let s = t
    .toUpperCase()
    .replace(/[^A-ZÁÉÍÓÚÜÑ0-9 .,#\-/]/g, ' ')
    .replace(DIGIT_IN_WORD, (d) => AS_LETTER[d] ?? d)
    .replace(ZERO_ENDING_WORD, 'O');
  if (!keepDigits) s = s.replace(/[0-9]/g, ' ').replace(/[.,#/]/g, ' ');
  s = s.replace(/\s+/g, ' ').replace(/^[\s\-.,]+|[\s\-,]+$/g, '').trim();
  return keepDigits ? withoutNumber(middleInitials(numberWords(s))) : s;
}

/** A name or address line as the record carries it: upper case, printed characters only, no accents (Ñ kept). */
export function printedLine(t: string, keepDigits: boolean): string {
  return stripAccents(cleanLine(t, keepDigits));
}

function stripAccents(s: string): string {
  return s.replace(/[ÁÉÍÓÚÜ]/g, (c) => ({ Á: 'A', É: 'E', Í: 'I', Ó: 'O', Ú: 'U', Ü: 'U' })[c] ?? c);
}

/** The last word of each front label, folded: what a value's digits get glued to. */
const LABEL_TAILS: ReadonlySet<string> = new Set(FRONT_LABELS.flatMap((l) => l.forms.map((f) => foldForMatch(f).split(' ').pop()!)));

/**
 * A label's last word read glued to the digits after it (`ESTAD009`, `REGISTR02006`,
 * `EMISI0N2019`: a detector that runs words together, its O read as 0) as two words, the box
 * divided by characters. The word must be the label exactly once its 0s are read as O.
 */
export function splitGluedLabels(words: readonly Word[]): Word[] {
  const out: Word[] = [];
  for (const w of words) {
    const text = foldForMatch(w.text);
    let split: [string, string] | undefined;
    for (let k = text.length - 2; k >= Math.max(3, text.length - 4) && !split; k--) {
      const [head, tail] = [text.slice(0, k), text.slice(k)];
      if (/^\d+$/.test(tail) && LABEL_TAILS.has(head.replace(/0/g, 'O'))) split = [head.replace(/0/g, 'O'), tail];
    }
    if (!split) {
      out.push({ ...w, index: out.length });
      continue;
    }
    const { x0, x1 } = w.bbox;
    const cut = x0 + ((x1 - x0) * split[0].length) / text.length;
    out.push({ ...w, text: split[0], bbox: { ...w.bbox, x1: cut }, index: out.length });
    out.push({ ...w, text: split[1], bbox: { ...w.bbox, x0: cut }, index: out.length });
  }
  return out;
}

export function extractFront(ocr: OcrResult): FrontReading {
  const words = splitGluedLabels(wordsOf(ocr));
  const hits = findLabels(words, FRONT_LABELS);
  const markers = findLabels(words, CARD_MARKERS);
  const labelWords = new Set(hits.flatMap((h) => h.words.map((w) => w.index)));
  const byKey = (key: string): LabelHit[] => hits.filter((h) => h.key === key).sort((a, b) => a.bbox.y0 - b.bbox.y0);
  const conf: Record<string, number> = {};
  const zones: Partial<Record<'curp' | 'clave' | 'name' | 'address', BBox>> = {};
  // A word that looks like a label is one only when its value was found (ESTADO in
  // "COL ESTADO DE MEXICO" is part of an address): blocks stop at accepted labels only.
  const accepted = new Set<number>(
    hits.filter((h) => h.key === 'nombre' || h.key === 'domicilio').flatMap((h) => h.words.map((w) => w.index)),
  );

  const boxes: Partial<Record<FrontBoxField, BBox>> = {};
  const typed = <T>(key: string, rowsDown: number, parse: (t: string) => T | undefined, confKey = key, boxFor: readonly FrontBoxField[] = []): T | undefined => {
    for (const hit of byKey(key)) {
      const found = firstMatch(candidatesFor(hit, words, labelWords, rowsDown), parse);
      if (found) {
        conf[confKey] = found.conf;
        const own = new Set(hit.words.map((w) => w.index));
        const valueBox = unionBox(found.words.filter((w) => !own.has(w.index))) ?? unionBox(found.words);
        if (valueBox) for (const f of boxFor) boxes[f] = valueBox;
        if (key === 'curp' || key === 'clave') {
          const own = new Set(hit.words.map((w) => w.index));
          // A value glued to its label keeps the label's last word: the re-read box then includes it.
          const box = unionBox(found.words.filter((w) => !own.has(w.index) || hit.tail !== ''));
          if (box) zones[key] = box;
        }
        for (const w of hit.words) accepted.add(w.index);
        return found.value;
      }
    }
    return undefined;
  };

  // The codes have a strong structure: when their label was not read, look for them anywhere
  // (the clave not inside the CURP's text: a mangled CURP can look like a clave).
  const text = codeLookalikes(ocr.text);
  const curp = typed('curp', 1, code18) ?? findCurp(text) ?? '';
  const curpAt = curp ? compactIndex(text, curp) : undefined;
  const withoutCurp = curpAt ? text.slice(0, curpAt.start) + ' ' + text.slice(curpAt.end) : text;
  let clave = typed('clave', 1, code18) ?? findClave(withoutCurp) ?? '';
  // The clave label's value looked for on the row below found the CURP (its own label lost).
  if (clave && curp && levenshtein(clave.slice(0, 18), curp.slice(0, 18)) <= 6) {
    clave = findClave(withoutCurp) ?? '';
    delete zones.clave;
  }
  // A code label read without its value (blur, glare on the value): the zone right of the
  // label, for the reader to re-read closely.
  for (const key of ['curp', 'clave'] as const) {
    const hit = byKey(key)[0];
    if (zones[key] || !hit) continue;
    const h = hit.bbox.y1 - hit.bbox.y0;
    const cy = (hit.bbox.y0 + hit.bbox.y1) / 2;
    zones[key] = { x0: hit.bbox.x1, y0: cy - 1.1 * h, x1: Math.min(ocr.width || Number.POSITIVE_INFINITY, hit.bbox.x1 + 30 * h), y1: cy + 1.1 * h };
  }
  const dateOfBirth = typed('nacimiento', 2, parseDateText, 'nacimiento', ['dateOfBirth']) ?? '';
  const sex = typed('sexo', 1, sexField, 'sexo', ['sex']) ?? '';
  const section = typed('seccion', 2, digitsField(4), 'seccion', ['section']) ?? '';
  const vig = typed('vigencia', 2, yearRange, 'vigencia', ['expirationDate', 'validFrom']);
  const reg = typed('registro', 1, registration, 'registro', ['registrationYear', 'issueNumber']);
  const stateCode = typed('estado', 1, digitsField(2), 'estado', ['stateCode']) ?? '';
  const municipalityCode = typed('municipio', 1, digitsField(3), 'municipio', ['municipalityCode']) ?? '';
  const localityCode = typed('localidad', 1, digitsField(4), 'localidad', ['localityCode']) ?? '';
  const emissionYear = typed('emision', 1, digitsField(4), 'emision', ['emissionYear']) ?? '';

  const lineBoxes: Record<'name' | 'address', BBox[]> = { name: [], address: [] };
  const block = (key: string, zone: 'name' | 'address', maxRows: number, keepDigits: boolean): string[] => {
    const hit = byKey(key)[0];
    if (!hit) return [];
    // A block ends before a row holding a code (the clave's row taken for an address line when
    // a skewed photo merged two address rows into one: CLAVEDE RILL5108… ELECTOR RVLPLT5108…).
    const all = rowsBelow(hit, words, accepted, maxRows, { maxGap: 3.5 });
    const coded = all.findIndex((r) => r.some((w) => CODE_LIKE.test(w.text.toUpperCase().replace(/[^A-Z0-9]/g, ''))));
    const rows = coded >= 0 ? all.slice(0, coded) : all;
    const kept = rows.map((r) => ({ line: cleanLine(textOf(r), keepDigits), box: unionBox(r) })).filter((k) => k.line.length > 0);
    lineBoxes[zone] = kept.flatMap((k) => (k.box ? [k.box] : []));
    const used = rows.flat();
    if (used.length > 0) conf[key] = meanConf(used);
    zones[zone] = unionBox([...hit.words, ...used]);
    return kept.map((k) => k.line);
  };
  let nameLines = block('nombre', 'name', 3, false).map(stripAccents);
  let addressLines = block('domicilio', 'address', 3, true).map(stripAccents);

  // What the labels did not give, from the order of the rows (small faint labels lost).
  const rows = valuesFromRows(words, { clave, curp }, accepted);
  // Their zones from the rows' own words, so the blocks are re-read as when labelled.
  const fromRows = (zone: 'name' | 'address', lines: readonly string[], rowWords: readonly (readonly Word[])[], keepDigits: boolean): string[] => {
    const kept = lines.map((l, k) => ({ line: stripAccents(cleanLine(l, keepDigits)), box: unionBox(rowWords[k] ?? []) })).filter((k) => k.line.length > 0);
    lineBoxes[zone] = kept.flatMap((k) => (k.box ? [k.box] : []));
    const box = unionBox(rowWords.flat());
    if (box && kept.length > 0) zones[zone] = box;
    return kept.map((k) => k.line);
  };
  if (nameLines.length === 0 && rows.nameLines) nameLines = fromRows('name', rows.nameLines, rows.nameRows ?? [], false);
  if (addressLines.length === 0 && rows.addressLines) addressLines = fromRows('address', rows.addressLines, rows.addressRows ?? [], true);

  return {
    // Labels whose value was found (or blocks), and card markers: what says "this is an INE card".
    labels: [...new Set([...hits.filter((h) => h.words.every((w) => accepted.has(w.index))).map((h) => h.key), ...markers.map((h) => h.key)])],
    nameLines,
    addressLines,
    clave,
    curp,
    dateOfBirth: dateOfBirth || (rows.dateOfBirth ?? ''),
    sex: sex || (rows.sex ?? ''),
    section: section || (rows.section ?? ''),
    validFrom: vig?.from || (rows.validFrom ?? ''),
    validTo: vig?.to || (rows.validTo ?? ''),
    registrationYear: reg?.year || (rows.registrationYear ?? ''),
    issueNumber: reg?.issue || (rows.issueNumber ?? ''),
    stateCode: stateCode || (rows.stateCode ?? ''),
    municipalityCode: municipalityCode || (rows.municipalityCode ?? ''),
    localityCode: localityCode || (rows.localityCode ?? ''),
    emissionYear: emissionYear || (rows.emissionYear ?? ''),
    codeRows: rows.codeRows ?? [],
    confidence: conf,
    zones,
    boxes: {
      fields: boxes,
      nameLines: lineBoxes.name.length === nameLines.length ? lineBoxes.name : [],
      addressLines: lineBoxes.address.length === addressLines.length ? lineBoxes.address : [],
    },
  };
}

/**
 * How much of a card a front reading found, one weight per piece of evidence: each label read,
 * and the values that identify a card. The reader compares orientations and captures with it
 * (and stops looking at 5); a reading of the wrong way up scores near 0.
 */
const FRONT_SCORE_WEIGHTS = { label: 1, curp: 2, clave: 2, dateOfBirth: 1, names: 1 } as const;

export function frontScore(r: FrontReading): number {
  const w = FRONT_SCORE_WEIGHTS;
  return (
    w.label * r.labels.length +
    (r.curp ? w.curp : 0) +
    (r.clave ? w.clave : 0) +
    (r.dateOfBirth ? w.dateOfBirth : 0) +
    (r.nameLines.length > 0 ? w.names : 0)
  );
}

/** The codes of a front reading that pass their own checks (CURP: RENAPO structure and check digit; clave: structure): 0–2. */
export function validCodes(r: FrontReading): number {
  return (parseCurp(r.curp.slice(0, 18)).valid ? 1 : 0) + (parseClave(r.clave.slice(0, 18)).valid ? 1 : 0);
}
