/**
 * The figures at the top of the review page: how many cards are fine, flagged or failed (by
 * INOCR code), how each field fared, which captures were poor, and the run's speed when the
 * batch that made the results is the one asking. Pure; counted one record at a time so the
 * builder need not keep the records.
 */
import { FIELD_NAMES, type CardRecord, type FieldName, type Verdict } from '../record.ts';
import { captureProblems, cardKind, type CardKind } from './model.ts';

/** What the batch knew about its own run (`batch --report`); absent for `ine-ocr report`. */
export interface RunInfo {
  /** Cards read by this run (not those kept from an earlier run by --resume). */
  readonly cards: number;
  readonly elapsedMs: number;
  readonly cardsPerMinute: number;
}

/** Per field, over the cards that were read: how many of each verdict, and how many without the field. */
export type FieldTally = Record<Verdict | 'unchecked' | 'missing', number>;

export interface ReportSummary {
  readonly cards: number;
  readonly kinds: Record<CardKind, number>;
  /** Failed cards per INOCR code (an empty code counts as ''). */
  readonly failedByCode: Record<string, number>;
  /**
   * Flagged cards per kind of review reason (the code before `:`), with the subjects named
   * (`key-field-invalid:curp` → kind `key-field-invalid`, subject `curp`) and the words of the
   * first reason of that kind.
   */
  readonly review: Record<string, ReviewTally>;
  readonly fields: Record<FieldName, FieldTally>;
  /** Poor captures per side and problem: `{ front: { blurry: 3 } }`. */
  readonly capture: { front: Record<string, number>; back: Record<string, number> };
  /** Sides reported poor, per side. */
  readonly poorSides: { front: number; back: number };
  readonly run?: RunInfo;
}

export interface ReviewTally {
  cards: number;
  subjects: Record<string, number>;
  words: string;
}

const emptyTally = (): FieldTally => ({ valid: 0, unverified: 0, invalid: 0, unchecked: 0, missing: 0 });

export function newSummary(run?: RunInfo): ReportSummary {
  return {
    cards: 0,
    kinds: { flagged: 0, failed: 0, ok: 0 },
    failedByCode: {},
    review: {},
    fields: Object.fromEntries(FIELD_NAMES.map((f) => [f, emptyTally()])) as Record<FieldName, FieldTally>,
    capture: { front: {}, back: {} },
    poorSides: { front: 0, back: 0 },
    ...(run ? { run } : {}),
  };
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

/** Counts one record into `s` (mutates it). */
export function countRecord(s: ReportSummary, r: CardRecord): void {
  (s as { cards: number }).cards++;
  const kind = cardKind(r);
  s.kinds[kind]++;
  if (kind === 'failed') bump(s.failedByCode, r.errorCode);
  if (kind === 'flagged') {
    const kinds = new Set<string>();
    for (const x of r.review) {
      const [kind = '', subject] = x.code.split(':', 2);
      const t = (s.review[kind] ??= { cards: 0, subjects: {}, words: x.message });
      if (!kinds.has(kind)) t.cards++;
      kinds.add(kind);
      if (subject !== undefined) bump(t.subjects, subject);
    }
  }
  for (const [side, cell] of [['front', r.frontQuality], ['back', r.backQuality]] as const) {
    const problems = captureProblems(cell);
    if (problems.length > 0) s.poorSides[side]++;
    for (const p of problems) bump(s.capture[side], p);
  }
  if (r.status !== 'ok') return;
  for (const f of FIELD_NAMES) {
    const tally = s.fields[f];
    const verdict = r.checks[f]?.verdict;
    if (verdict) tally[verdict]++;
    else if (r[f] !== '') tally.unchecked++;
    else tally.missing++;
  }
}

/** Fields some card had (a value or a verdict): the rest are left out of the chart. */
export function fieldsSeen(s: ReportSummary): FieldName[] {
  return FIELD_NAMES.filter((f) => s.fields[f].missing < s.kinds.ok + s.kinds.flagged);
}
