/**
 * OCR look-alikes: the one place that says which glyph an engine reads for which printed
 * character. Every parser that repairs by position type (MRZ, CURP, clave, the front's dates
 * and numbers) and every judge rule that accepts a letter for another takes them from here.
 *
 * Seen on the card's two typefaces: OCR-B in the MRZ, a sans-serif on the front (CURP,
 * clave, dates, codes), with tesseract and PP-OCR. A look-alike is only ever applied where the
 * position's type makes the character read impossible (a letter where only a digit can be),
 * or among candidates a check digit then arbitrates; it is never a guess on its own.
 */

/**
 * Read where a digit is printed → the digit.
 * - O, Q, D, U → 0: round closed shapes (D: the flat side is lost at low resolution; U: an
 *   open top on a small 0).
 * - I, L, |, !, [, ] → 1: a single vertical stroke (L: the foot of OCR-B's 1; `l` upper-cases
 *   to L; brackets: the serif foot of a sans 1 at small size).
 * - Z → 2, S → 5, G → 6, B → 8: the classic pairs cheminfo/mrz also corrects.
 * - A → 4: OCR-B's 4 has a closed, pointed top.
 * - ? → 7: a 7 whose stem is broken.
 * Deliberately absent: T → 1 / T → 7 (either is plausible, so neither is safe) and E → 3 / 8
 * (rare, and a check digit would have to arbitrate anyway).
 */
export const AS_DIGIT: Readonly<Record<string, string>> = {
  O: '0', Q: '0', D: '0', U: '0',
  I: '1', L: '1', '|': '1', '!': '1', '[': '1', ']': '1',
  Z: '2', A: '4', S: '5', G: '6', B: '8', '?': '7',
};

/**
 * Read where a letter is printed → the letter: the inverse shapes of AS_DIGIT where the letter
 * is the common one (0 → O rather than D or Q; 1 → I rather than L), and the symbols a sans
 * letter breaks into (`)`/`]` for J, `(`/`[`/`{` for C, `$` for S, `|`/`!` for I).
 * 7 → T is left out: it is as likely to be a stray mark, and names would absorb the guess.
 */
export const AS_LETTER: Readonly<Record<string, string>> = {
  '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '8': 'B',
  ')': 'J', ']': 'J', '|': 'I', '!': 'I', $: 'S', '(': 'C', '[': 'C', '{': 'C',
};

/** Read where the sex letter is printed: `4` for H (the crossbar and the right stem). */
export const AS_SEX: Readonly<Record<string, string>> = { '4': 'H' };

/**
 * Letters read for other letters (read → what may have been printed). Used only where
 * something else then confirms the letter: the CURP's check digit, letters the names give, a
 * second reading of the same name.
 * - I ↔ J, L, T: one stroke with or without a foot or a bar.
 * - O ↔ D, Q, C; G ↔ C: round shapes with or without a tail or a bar.
 * - U ↔ V, M ↔ N, N ↔ H, E ↔ F, B ↔ R, K ↔ X: a stroke lost or added.
 */
export const LETTER_CONFUSIONS: Readonly<Record<string, string>> = {
  I: 'JLT', J: 'I', L: 'I', T: 'I',
  O: 'DQC', D: 'O', Q: 'O', C: 'GO', G: 'C',
  U: 'V', V: 'U', M: 'N', N: 'MH', H: 'N', E: 'F', F: 'E', B: 'R', R: 'B', K: 'X', X: 'K',
};

/**
 * Digits read for other digits: alternatives only a check digit can decide between (each
 * pair symmetric): 3↔8, 5↔6, 1↔7, 0↔8, 6↔8, 0↔9.
 */
export const DIGIT_CONFUSIONS: Readonly<Record<string, readonly string[]>> = {
  '0': ['8', '9'],
  '1': ['7'],
  '3': ['8'],
  '5': ['6'],
  '6': ['5', '8'],
  '7': ['1'],
  '8': ['3', '0', '6'],
  '9': ['0'],
};

/**
 * Read for the OCR-B chevron `<` (ICAO 9303 Part 3 filler) and never a letter or a digit:
 * always safe to map to the filler where a filler may stand.
 */
export const FILLER_SYMBOLS: ReadonlySet<string> = new Set([
  '<', '«', '‹', '≪', '＜', '(', '{', '[', '‘', '`', 'ˆ', '^', '¢', '£', '€',
]);

/** Letters often read for `<` (K: two strokes; C: the open arc; L), mapped only where no letter can stand. */
export const FILLER_LETTERS: ReadonlySet<string> = new Set(['K', 'C', 'L']);

/** The characters of a table's keys as a regex character class body (escaped). */
export function classOf(keys: Iterable<string>): string {
  return [...keys].join('').replace(/[\\\]^[-]/g, '\\$&');
}

/** Letter `read` may stand for printed letter `printed`. */
export function mayBeLetter(read: string, printed: string): boolean {
  return read === printed || LETTER_CONFUSIONS[read]?.includes(printed) === true;
}
