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

import { AS_DIGIT, AS_LETTER, DIGIT_CONFUSIONS, FILLER_LETTERS, FILLER_SYMBOLS } from '../domain/lookalikes.ts';
import type { CheckId, Repair, RepairKind } from '../evidence.ts';

export type { Repair, RepairKind } from '../evidence.ts';

/** The MRZ filler (ICAO 9303 Part 3 §4.3). */
export const FILLER = '<';

/** The type a position of a fixed-layout string demands. */
export type PositionClass =
  | 'digit'
  | 'letter'
  | 'filler'
  | 'letterOrFiller'
  | 'digitOrFiller'
  | 'alnum'
  | { readonly fixed: string }
  | { readonly oneOf: string; readonly map?: Readonly<Record<string, string>>; readonly kind?: RepairKind };

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

/** Repairs one character for one class; returns the replacement and its kind, or null when none applies. */
function repairChar(ch: string, cls: PositionClass): { to: string; kind: RepairKind } | 'ok' | null {
  if (typeof cls === 'object') {
    if ('fixed' in cls) return ch === cls.fixed ? 'ok' : { to: cls.fixed, kind: 'fixed-misread' };
    if (cls.oneOf.includes(ch)) return 'ok';
    const to = cls.map?.[ch];
    return to !== undefined ? { to, kind: cls.kind ?? 'fixed-misread' } : null;
  }
  switch (cls) {
    case 'digit': {
      if (isDigit(ch)) return 'ok';
      const to = AS_DIGIT[ch];
      return to !== undefined ? { to, kind: 'letter-as-digit' } : null;
    }
    case 'letter': {
      if (isLetter(ch)) return 'ok';
      const to = AS_LETTER[ch];
      return to !== undefined ? { to, kind: 'digit-as-letter' } : null;
    }
    case 'filler':
      if (ch === FILLER) return 'ok';
      return FILLER_SYMBOLS.has(ch) || FILLER_LETTERS.has(ch)
        ? { to: FILLER, kind: 'filler-misread' }
        : null;
    case 'letterOrFiller': {
      if (isLetter(ch) || ch === FILLER) return 'ok';
      if (FILLER_SYMBOLS.has(ch)) return { to: FILLER, kind: 'filler-misread' };
      const to = AS_LETTER[ch];
      return to !== undefined ? { to, kind: 'digit-as-letter' } : null;
    }
    case 'digitOrFiller': {
      if (isDigit(ch) || ch === FILLER) return 'ok';
      if (FILLER_SYMBOLS.has(ch) || FILLER_LETTERS.has(ch)) {
        return { to: FILLER, kind: 'filler-misread' };
      }
      const to = AS_DIGIT[ch];
      return to !== undefined ? { to, kind: 'letter-as-digit' } : null;
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
      repairs.push({ position: i + offset, from: ch, to: r.to, kind: r.kind });
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
    /** The check digit that will choose among the candidates (recorded on each change). */
    readonly check?: CheckId;
  } = {},
): Candidate[] {
  const maxChanges = options.maxChanges ?? 1;
  const alternativesFor = options.alternativesFor ?? ((ch: string) => DIGIT_CONFUSIONS[ch] ?? []);
  const chosenBy = options.check === undefined ? {} : { check: options.check };
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
        changes.push({ position: pos, from, to, kind: 'by-check-digit', ...chosenBy });
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
