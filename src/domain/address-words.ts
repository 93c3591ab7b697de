/**
 * Words of Mexican addresses as INE cards print them, for telling a middle initial from a
 * number: streets and colonias named after people keep their initial as a lone letter
 * (FRANCISCO I MADERO, GUSTAVO A MADERO, JUAN B CEBALLOS), and OCR reads a lone I as 1. A lone
 * 1 stays a number after a street or colonia type (AV 1, SECTOR 1), before a word that follows
 * numbers (1 DE MAYO, 1 SUR, 1 BIS), and beside anything that is not a word of letters. The
 * colonia's line ends with the five-digit postal code (colonyLine); the last line with the
 * state's abbreviation (placeLine).
 */
import { STATES } from './states.ts';

/** Types and parts of an address that a number follows (street, colonia, lot, building, km). */
export const NUMBERED_AFTER: ReadonlySet<string> = new Set([
  'C', 'CALLE', 'AV', 'AVE', 'AVENIDA', 'PRIV', 'PRIVADA', 'CDA', 'CERRADA', 'AND', 'ANDADOR', 'BLVD', 'CALZ', 'PROL', 'CJON', 'CALLEJON', 'RET', 'RETORNO',
  'CIRC', 'CTO', 'CIRCUITO', 'CARR', 'CARRETERA', 'KM', 'COL', 'FRACC', 'BARRIO', 'HAB', 'PUEBLO', 'EJ', 'EJIDO', 'RES', 'CONJ', 'SECTOR', 'SECC', 'ZONA',
  'MZ', 'MZA', 'LT', 'LOTE', 'EDIF', 'DEPTO', 'DPTO', 'INT', 'EXT', 'NUM', 'NO', 'NORTE', 'SUR', 'ORIENTE', 'PONIENTE', 'NTE', 'OTE', 'PTE', 'ETAPA', 'SEGUNDA',
]);

/**
 * Words that follow a number: in street and colonia names (dates), and after a house number;
 * the words of NUMBERED_AFTER count too (1 SUR, HIDALGO 1 INT 3).
 */
export const AFTER_NUMBER: ReadonlySet<string> = new Set(['DE', 'DEL', 'BIS', 'LOCAL', 'ALTOS', 'PISO', 'CASA', 'TORRE', 'BODEGA', 'ENTRADA', 'PB']);

/**
 * Words of NUMBERED_AFTER that also follow a house number (HIDALGO 84 INT 1, 12 MZ 4): a
 * number read glued to one of these (84INT) is two words. None is an ordinal's ending (2DA,
 * 3RA, 1A, 1ER stay as printed).
 */
const AFTER_HOUSE_NUMBER: ReadonlySet<string> = new Set(['INT', 'EXT', 'MZ', 'MZA', 'LT', 'LOTE', 'EDIF', 'DEPTO', 'DPTO']);

/**
 * An address line with each designator read glued to its number (INT9, COL20, MZ4; a detector
 * that runs words together, or a gap a blur filled) as the two words INE prints, with a number
 * glued to a designator that follows it (84INT), and two designators glued at a period
 * (NO.EXT). Only words of NUMBERED_AFTER of two letters or more split: a lone letter and
 * a digit (DEPTO A1, C5) may be printed so.
 */
export function numberWords(line: string): string {
  return line
    .split(' ')
    .map((w) => {
      const before = /^([A-Z]{2,})(\d+[A-Z]?)$/.exec(w);
      if (before && NUMBERED_AFTER.has(before[1]!)) return `${before[1]} ${before[2]}`;
      const after = /^(\d+)([A-Z]{2,})$/.exec(w);
      if (after && AFTER_HOUSE_NUMBER.has(after[2]!)) return `${after[1]} ${after[2]}`;
      const dotted = /^([A-Z]{2,})\.([A-Z]{2,})$/.exec(w);
      if (dotted && NUMBERED_AFTER.has(dotted[1]!) && NUMBERED_AFTER.has(dotted[2]!)) return `${dotted[1]}. ${dotted[2]}`;
      return w;
    })
    .join(' ');
}

const NAME_WORD = /^[A-ZÁÉÍÓÚÜÑ]{3,}$/;

/** An address line with each lone `1` between two words of a name read as the initial `I`. */
export function middleInitials(line: string): string {
  const words = line.split(' ');
  return words
    .map((w, i) => {
      if (w !== '1') return w;
      const before = words[i - 1] ?? '';
      const after = words[i + 1] ?? '';
      return NAME_WORD.test(before) && NAME_WORD.test(after) && !NUMBERED_AFTER.has(before) && !AFTER_NUMBER.has(after) && !NUMBERED_AFTER.has(after) ? 'I' : w;
    })
    .join(' ');
}

/**
 * `S/N` (sin número) as OCR reads it at the end of a street line: its slash taken for an I
 * (`SIN`; a 1 between letters is read I before this) or its S for a 5 (`5/N`), or run into
 * the word before it (`BLVD 10S/N`). A line ending in the word SIN has no other reading: a
 * street named SIN NOMBRE ends in NOMBRE.
 */
export function withoutNumber(line: string): string {
  return line.replace(/(?<=\S) (?:SIN|5\/N)$/, ' S/N').replace(/(?<=[0-9A-Z])S\/N$/, ' S/N');
}

/** The state abbreviations that end the last address line, by their letters (S.L.P. → SLP), longest first. */
const PLACE_ABBRS: readonly { letters: string; abbr: string }[] = STATES.map((s) => ({ letters: s.abbr.replace(/[^A-Z]/g, ''), abbr: s.abbr })).sort(
  (a, b) => b.letters.length - a.letters.length,
);

/** The letters a character read in a state abbreviation may stand for (Q. ROO read O. ROO or 0. ROO). */
const PLACE_LOOKALIKE: Readonly<Record<string, string>> = { O: 'Q', '0': 'OQ' };

/**
 * The last address line (`MUNICIPIO, ESTADO-ABBR`) with its state abbreviation as printed, when
 * the line ends in one read with its periods, spaces or comma lost or misread (S.L. P., VER,
 * O. ROO, TECOMAN,COL, MANZANILLO. COL.): the abbreviation from the table (its letters decide,
 * Q/O and O/0 alike), after `, `. A line that ends otherwise (D.F., a word, digits) is as read.
 */
export function placeLine(line: string): string {
  const s = line.trim();
  for (const { letters, abbr } of PLACE_ABBRS) {
    // Walk back from the end over the abbreviation's letters, its periods and spaces skipped.
    let i = s.length - 1;
    let k = letters.length - 1;
    while (i >= 0 && k >= 0) {
      const c = s[i]!;
      if (c === '.' || (c === ' ' && k < letters.length - 1)) {
        i--;
        continue;
      }
      if (c !== letters[k] && !PLACE_LOOKALIKE[c]?.includes(letters[k]!)) break;
      i--;
      k--;
    }
    if (k >= 0) continue;
    // Before it: a separator of spaces and at most one comma or period, after the place's last letter.
    const m = /^(.*[A-ZÁÉÍÓÚÜÑ])([ ,.]+)$/.exec(s.slice(0, i + 1));
    if (!m || (m[2]!.match(/[,.]/g) ?? []).length > 1) return line;
    // A period after a short word of the place is that word's own (EDO. MEX.), not a comma.
    if (m[2]!.includes('.') && /(^|[ ,])[A-Z]{1,3}$/.test(m[1]!)) return line;
    return `${m[1]}, ${abbr}`;
  }
  return line;
}

/** The postal code's digits: INE prints the colonia's line ending in them (SEPOMEX codes are five digits). */
const POSTAL_DIGITS = 5;
const POSTAL_CODE = new RegExp(`^\\d{${POSTAL_DIGITS}}$`);
const GLUED_POSTAL_CODE = new RegExp(`^([A-ZÁÉÍÓÚÜÑ]{3,})(\\d{${POSTAL_DIGITS}})$`);
/** The last postal code standing as a number of its own in a text. */
const LAST_POSTAL_CODE = new RegExp(`\\b(\\d{${POSTAL_DIGITS}})\\b(?!.*\\b\\d{${POSTAL_DIGITS}}\\b)`);

/** The postal code a text holds: its last number of exactly POSTAL_DIGITS digits; '' when none. */
export function postalCodeOf(text: string): string {
  return LAST_POSTAL_CODE.exec(text)?.[1] ?? '';
}

/**
 * The colonia's line with its postal code as printed, when the line was read without a
 * five-digit code at its end but with one there glued to the colonia's last word
 * (BUENAVISTA83226), broken into pieces (6327 8: a narrow 1 read as a word gap), followed by a
 * scrap of one or two letters (98229 NE: a mark beside the line), or by a period or comma (INE
 * prints none after the code; a recogniser may add one). Anything else is as read.
 */
export function colonyLine(line: string): string {
  const unpunctuated = line.trim().replace(/(\d)[.,]$/, '$1');
  const words = unpunctuated.split(/\s+/);
  const n = words.length;
  if (POSTAL_CODE.test(words[n - 1] ?? '')) return unpunctuated;
  // A scrap after the code.
  if (/^[A-Z]{1,2}$/.test(words[n - 1] ?? '') && POSTAL_CODE.test(words[n - 2] ?? '')) return words.slice(0, -1).join(' ');
  // The code glued to the word before it.
  const glued = GLUED_POSTAL_CODE.exec(words[n - 1] ?? '');
  if (glued) return [...words.slice(0, -1), glued[1], glued[2]].join(' ');
  // The code in pieces: the last words all digits, five of them together.
  let digits = '';
  for (let k = n - 1; k >= 1 && /^\d+$/.test(words[k]!); k--) {
    digits = words[k]! + digits;
    if (digits.length === POSTAL_DIGITS) return k < n - 1 ? [...words.slice(0, k), digits].join(' ') : unpunctuated;
    if (digits.length > POSTAL_DIGITS) break;
  }
  return line;
}
