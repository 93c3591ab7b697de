/**
 * Position-typed repair of OCR confusions, shared by the MRZ, CURP and clave parsers.
 *
 * The idea is cheminfo/mrz's `autoCorrection.ts`: a character is only changed when the
 * position's type makes the character read impossible (a letter where only a digit can
 * be, a digit in a name), and every change is recorded. Digit-for-digit misreads
 * (8 read as 3) cannot be seen this way; for those `singleSwapCandidates` enumerates a
 * bounded set of alternatives and the caller keeps the one candidate its check digit
 * accepts — and only when exactly one does (`pickUnique`).
 *
 * All positions are 0-based.
 */

/** One recorded change. `reason` describes the kind of change, never the field value. */
export interface Repair {
  readonly position: number;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** The MRZ filler (ICAO 9303 Part 3 §4.3). */
export const FILLER = '<';

/**
 * Letters read where a digit must be, and the digit each most plausibly was.
 * Each pair is a shape confusion of tesseract on OCR-B and on the card's sans-serif print:
 * - O, Q, D → 0: round closed shapes (D: the flat side is often lost at low resolution).
 * - I, L, | , ! → 1: single vertical stroke (L: the foot of OCR-B's 1; `l` upper-cases to L).
 * - Z → 2, S → 5, G → 6, B → 8: the classic pairs cheminfo/mrz also corrects (B↔8, and the
 *   S/Z/G analogues).
 * - A → 4: OCR-B's 4 has a closed, pointed top; `4` for `H` in the sex position is the
 *   reverse confusion seen on INE backs.
 * Deliberately absent: T → 1 / T → 7 (either is plausible, so neither is safe) and E → 3 / 8
 * (rare, and the check digit would then have to arbitrate anyway).
 */
export const LETTER_TO_DIGIT: Readonly<Record<string, string>> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  L: '1',
  '|': '1',
  '!': '1',
  Z: '2',
  A: '4',
  S: '5',
  G: '6',
  B: '8',
};

/**
 * Digits read where a letter must be: the inverse shapes of `LETTER_TO_DIGIT` where the
 * letter is the common one (0 → O rather than D or Q; 1 → I rather than L). 7 → T is left
 * out: it is as likely to be a stray mark, and names would absorb the guess unchecked.
 */
export const DIGIT_TO_LETTER: Readonly<Record<string, string>> = {
  '0': 'O',
  '1': 'I',
  '2': 'Z',
  '4': 'A',
  '5': 'S',
  '6': 'G',
  '8': 'B',
};

/**
 * Characters tesseract produces for the OCR-B chevron `<` that can never be a letter or a
 * digit: always safe to map to the filler where a filler may stand. The letters K, C and L
 * are also frequent misreads of `<` but are real letters, so they are only mapped where a
 * position cannot hold a letter (see `FILLER_LETTER_MISREADS`).
 */
export const FILLER_SYMBOL_MISREADS: ReadonlySet<string> = new Set([
  '<', '«', '‹', '≪', '＜', '(', '{', '[', '‘', '`', 'ˆ', '^', '¢', '£', '€',
]);

/** Letters that are common misreads of `<` (K: two strokes; C and `(`: the open arc; L). */
export const FILLER_LETTER_MISREADS: ReadonlySet<string> = new Set(['K', 'C', 'L']);

/**
 * Visually confusable digits, used to enumerate alternatives that only a check digit can
 * decide between (each pair is symmetric): 3↔8, 5↔6, 1↔7, 0↔8, 6↔8, 0↔9.
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

/** The type a position of a fixed-layout string demands. */
export type PositionClass =
  | 'digit'
  | 'letter'
  | 'filler'
  | 'letterOrFiller'
  | 'digitOrFiller'
  | 'alnum'
  | { readonly fixed: string }
  | { readonly oneOf: string; readonly map?: Readonly<Record<string, string>>; readonly reason?: string };

export interface CoerceResult {
  /** The repaired string (same length as the input). */
  readonly value: string;
  readonly repairs: Repair[];
  /** Positions whose character does not fit the class and could not be repaired. */
  readonly unrepaired: number[];
}

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isLetter = (ch: string): boolean => ch >= 'A' && ch <= 'Z';

/** Expands a compact pattern: `'L'` letter, `'9'` digit, `'<'` filler, `'F'` letter-or-filler, `'#'` digit-or-filler, `'A'` alnum. */
export function patternOf(spec: string): PositionClass[] {
  const byCode: Record<string, PositionClass> = {
    L: 'letter',
    '9': 'digit',
    '<': 'filler',
    F: 'letterOrFiller',
    '#': 'digitOrFiller',
    A: 'alnum',
  };
  return [...spec].map((c) => byCode[c] ?? { fixed: c });
}

/** Repairs one character for one class; returns the replacement and reason, or null when none applies. */
function repairChar(ch: string, cls: PositionClass): { to: string; reason: string } | 'ok' | null {
  if (typeof cls === 'object') {
    if ('fixed' in cls) return ch === cls.fixed ? 'ok' : { to: cls.fixed, reason: 'fixed character misread' };
    if (cls.oneOf.includes(ch)) return 'ok';
    const to = cls.map?.[ch];
    return to !== undefined ? { to, reason: cls.reason ?? 'character misread' } : null;
  }
  switch (cls) {
    case 'digit': {
      if (isDigit(ch)) return 'ok';
      const to = LETTER_TO_DIGIT[ch];
      return to !== undefined ? { to, reason: 'letter read in a digit position' } : null;
    }
    case 'letter': {
      if (isLetter(ch)) return 'ok';
      const to = DIGIT_TO_LETTER[ch];
      return to !== undefined ? { to, reason: 'digit read in a letter position' } : null;
    }
    case 'filler':
      if (ch === FILLER) return 'ok';
      return FILLER_SYMBOL_MISREADS.has(ch) || FILLER_LETTER_MISREADS.has(ch)
        ? { to: FILLER, reason: 'filler misread' }
        : null;
    case 'letterOrFiller': {
      if (isLetter(ch) || ch === FILLER) return 'ok';
      if (FILLER_SYMBOL_MISREADS.has(ch)) return { to: FILLER, reason: 'filler misread' };
      const to = DIGIT_TO_LETTER[ch];
      return to !== undefined ? { to, reason: 'digit read in a letter position' } : null;
    }
    case 'digitOrFiller': {
      if (isDigit(ch) || ch === FILLER) return 'ok';
      if (FILLER_SYMBOL_MISREADS.has(ch) || FILLER_LETTER_MISREADS.has(ch)) {
        return { to: FILLER, reason: 'filler misread' };
      }
      const to = LETTER_TO_DIGIT[ch];
      return to !== undefined ? { to, reason: 'letter read in a digit position' } : null;
    }
    case 'alnum':
      return isDigit(ch) || isLetter(ch) ? 'ok' : null;
  }
}

/**
 * Coerces `input` to `pattern`, position by position. Characters that fit are kept;
 * characters with a known confusion for the position's class are replaced and recorded;
 * the rest are kept as read and listed in `unrepaired`. Positions beyond the pattern are
 * left alone. `offset` is added to every recorded position (for substrings of a line).
 */
export function coerceToPattern(input: string, pattern: readonly PositionClass[], offset = 0): CoerceResult {
  const out: string[] = [];
  const repairs: Repair[] = [];
  const unrepaired: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    const cls = pattern[i];
    if (cls === undefined) {
      out.push(ch);
      continue;
    }
    const r = repairChar(ch, cls);
    if (r === 'ok') out.push(ch);
    else if (r === null) {
      out.push(ch);
      unrepaired.push(i + offset);
    } else {
      out.push(r.to);
      repairs.push({ position: i + offset, from: ch, to: r.to, reason: r.reason });
    }
  }
  return { value: out.join(''), repairs, unrepaired };
}

/** A string that differs from the one read in a few positions, with the changes that made it. */
export interface Candidate {
  readonly value: string;
  readonly changes: Repair[];
}

/**
 * Every string obtained by changing 1..`maxChanges` of `positions` to one of the
 * alternatives `alternativesFor` gives for the character there (by default the
 * confusable digits). The string as read is not included. Bounded: positions × alternatives
 * grows combinatorially with `maxChanges`, so callers keep it at 1 or 2.
 */
export function singleSwapCandidates(
  value: string,
  positions: readonly number[],
  options: {
    readonly maxChanges?: number;
    readonly alternativesFor?: (ch: string, position: number) => readonly string[];
    readonly reason?: string;
  } = {},
): Candidate[] {
  const maxChanges = options.maxChanges ?? 1;
  const alternativesFor = options.alternativesFor ?? ((ch: string) => DIGIT_CONFUSIONS[ch] ?? []);
  const reason = options.reason ?? 'confusable digit chosen by check digit';
  const out: Candidate[] = [];
  const walk = (start: number, chars: string[], changes: Repair[]): void => {
    if (changes.length > 0) out.push({ value: chars.join(''), changes: [...changes] });
    if (changes.length >= maxChanges) return;
    for (let k = start; k < positions.length; k++) {
      const pos = positions[k];
      if (pos === undefined) continue;
      const from = chars[pos];
      if (from === undefined) continue;
      for (const to of alternativesFor(from, pos)) {
        if (to === from) continue;
        chars[pos] = to;
        changes.push({ position: pos, from, to, reason });
        walk(k + 1, chars, changes);
        changes.pop();
        chars[pos] = from;
      }
    }
  };
  walk(0, [...value], []);
  return out;
}

/** The only element satisfying `accept`, or null when none or several do. */
export function pickUnique<T>(items: Iterable<T>, accept: (item: T) => boolean): T | null {
  let found: T | null = null;
  let count = 0;
  for (const item of items) {
    if (!accept(item)) continue;
    count++;
    if (count > 1) return null;
    found = item;
  }
  return found;
}

/** The cartesian product of several lists (used to combine candidates of independent fields). */
export function product<T>(lists: readonly (readonly T[])[]): T[][] {
  let acc: T[][] = [[]];
  for (const list of lists) {
    const next: T[][] = [];
    for (const prefix of acc) for (const item of list) next.push([...prefix, item]);
    acc = next;
  }
  return acc;
}

/**
 * The best window of `length` characters in OCR text (each line, and the whole text, with
 * spaces removed), by `score` (lower is better; null rejects the window). Returns the window
 * as read, or null. Serves findCurp and findClave.
 */
export function bestWindow(text: string, length: number, score: (raw: string) => number | null): string | null {
  const upper = text.toUpperCase();
  const sources = [...upper.split(/\r?\n|\r/).map((l) => l.replace(/\s+/g, '')), upper.replace(/\s+/g, '')];
  let best: { raw: string; score: number } | null = null;
  for (const s of sources) {
    for (let i = 0; i + length <= s.length; i++) {
      const raw = s.slice(i, i + length);
      const sc = score(raw);
      if (sc !== null && (!best || sc < best.score)) best = { raw, score: sc };
    }
  }
  return best?.raw ?? null;
}
