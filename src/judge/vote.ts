/**
 * Several readings of one fact (the birth date in the MRZ, the CURP, the front and the clave;
 * the sex in four places): the value the most readings support, readings covered by a check
 * that passed weighing more. Named weights, one table.
 */
import { passed, type Candidate, type Witness } from '../evidence.ts';
import type { FieldSource } from '../record.ts';

/**
 * How much a reading counts in a vote: every reading that gives the value, and more for one
 * a check binds (a check digit that passed: an OCR misread would most likely have failed it).
 * With these weights one checked reading (2 + 3) outvotes two unchecked ones that disagree
 * with it only when a third reading sides with it, never alone against three.
 */
export const VOTE_WEIGHTS = {
  reading: 2,
  checked: 3,
} as const;

export interface VoteResult<T> {
  readonly value: T;
  readonly support: readonly Candidate<T>[];
  readonly dissent: readonly Candidate<T>[];
  /** `both` when front and back readings support it. */
  readonly source: FieldSource;
  /** A supporting reading passed a check. */
  readonly checked: boolean;
}

function score<T>(support: readonly Candidate<T>[]): number {
  return support.length * VOTE_WEIGHTS.reading + support.filter((s) => passed(s)).length * VOTE_WEIGHTS.checked;
}

/** The best-supported value (ties: the earlier candidate), or undefined with no candidate. */
export function vote<T>(candidates: readonly Candidate<T>[], same: (a: T, b: T) => boolean = (a, b) => a === b): VoteResult<T> | undefined {
  let best: { value: T; support: Candidate<T>[]; score: number } | undefined;
  for (const c of candidates) {
    const support = candidates.filter((o) => same(o.value, c.value));
    const s = score(support);
    if (!best || s > best.score) best = { value: c.value, support, score: s };
  }
  if (!best) return undefined;
  const { value, support } = best;
  const origins = new Set(support.map((s) => s.origin));
  return {
    value,
    support,
    dissent: candidates.filter((o) => !same(o.value, value)),
    source: origins.size === 2 ? 'both' : (support[0]?.origin ?? ''),
    checked: support.some((s) => passed(s)),
  };
}

/** The witnesses of some readings, for a disagreement note. */
export const witnesses = (cs: readonly Candidate<unknown>[]): Witness[] => cs.map((c) => c.witness);
