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
  /** Flagged cards per review reason code. */
  readonly reviewByCode: Record<string, number>;
  /** The words of each review reason code (the first card's). */
  readonly reviewWords: Record<string, string>;
  readonly fields: Record<FieldName, FieldTally>;
  /** Poor captures per side and problem: `{ front: { blurry: 3 } }`. */
  readonly capture: { front: Record<string, number>; back: Record<string, number> };
  /** Sides reported poor, per side. */
  readonly poorSides: { front: number; back: number };
  readonly run?: RunInfo;
}

const emptyTally = (): FieldTally => ({ valid: 0, unverified: 0, invalid: 0, unchecked: 0, missing: 0 });

export function newSummary(run?: RunInfo): ReportSummary {
  return {
    cards: 0,
    kinds: { flagged: 0, failed: 0, ok: 0 },
    failedByCode: {},
    reviewByCode: {},
    reviewWords: {},
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
    for (const code of new Set(r.review.map((x) => x.code))) bump(s.reviewByCode, code);
    for (const x of r.review) s.reviewWords[x.code] ??= x.message;
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
