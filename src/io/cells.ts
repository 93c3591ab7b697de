/**
 * The record's structured columns as CSV cells, and back: `review`, `fieldBoxes`, `checks`,
 * `warnings`. The writer serialises with these; resume and the review page parse with them,
 * so a CSV row reads back into the record it was written from.
 */
import {
  FIELD_NAMES,
  type CardRecord,
  type CardSide,
  type FieldBox,
  type FieldBoxes,
  type FieldCheck,
  type FieldName,
  type FieldSource,
  type Pixel,
  type RecordNote,
  type Verdict,
} from '../record.ts';

const FIELD_SET: ReadonlySet<string> = new Set(FIELD_NAMES);
const isFieldName = (s: string): s is FieldName => FIELD_SET.has(s);
const isVerdict = (s: string): s is Verdict => s === 'valid' || s === 'invalid' || s === 'unverified';
const isSource = (s: string): s is FieldSource =>
  s === 'front' || s === 'back' || s === 'both' || s === 'derived' || s === '';
const isSide = (s: string): s is CardSide => s === 'front' || s === 'back';

// ---- checks

/**
 * `checks` in a CSV cell: `field=verdict/source` per field, joined with `;`, in FIELD_NAMES
 * order, e.g. `curp=valid/both;name=unverified/front`. An empty source gives `field=verdict/`.
 * Field names, verdicts and sources never contain `=`, `/` or `;`, so the cell parses back.
 */
export function serialiseChecks(checks: CardRecord['checks'] | undefined): string {
  if (!checks) return '';
  const parts: string[] = [];
  for (const field of FIELD_NAMES) {
    const check = checks[field];
    if (check) parts.push(`${field}=${check.verdict}/${check.source}`);
  }
  return parts.join(';');
}

/** Inverse of serialiseChecks; unknown fields and malformed parts are skipped. */
export function parseChecks(cell: string): CardRecord['checks'] {
  const checks: CardRecord['checks'] = {};
  for (const part of cell.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const field = part.slice(0, eq).trim();
    const [verdict = '', source = ''] = part.slice(eq + 1).split('/');
    if (!isFieldName(field) || !isVerdict(verdict) || !isSource(source)) continue;
    checks[field] = { verdict, source };
  }
  return checks;
}

/** Checks as an object with entries in FIELD_NAMES order (JSON output). */
export function orderedChecks(checks: CardRecord['checks'] | undefined): Record<string, FieldCheck> {
  const out: Record<string, FieldCheck> = {};
  for (const field of FIELD_NAMES) {
    const c = checks?.[field];
    if (c) out[field] = { verdict: c.verdict, source: c.source };
  }
  return out;
}

// ---- warnings and review reasons: lists of `code (message)` joined with ` | `

/** The separator between list items in a CSV cell. Codes and messages never contain it. */
export const WARNING_SEPARATOR = ' | ';

/**
 * `warnings` or `review` in a CSV cell: `code (message)` per note, joined with ` | `, e.g.
 * `mismatched-sides (the front and the back are of different cards) | poor-capture:back (blurry)`;
 * an empty list is an empty cell. Codes never contain a space, so the code is what comes before
 * the first one.
 */
export function serialiseNotes(notes: readonly RecordNote[] | undefined): string {
  return (notes ?? []).map((r) => (r.message ? `${r.code} (${r.message})` : r.code)).join(WARNING_SEPARATOR);
}

/** Inverse of serialiseNotes. */
export function parseNotes(cell: string): RecordNote[] {
  if (cell.trim() === '') return [];
  return cell.split(WARNING_SEPARATOR).map((part) => {
    const m = /^(\S+)(?: \((.*)\))?$/s.exec(part.trim());
    return { code: m?.[1] ?? part.trim(), message: m?.[2] ?? '' };
  });
}

/**
 * Notes from a JSON value: an array of `{code, message}`, a CSV cell string, or an array of
 * plain sentences (outputs written before notes had codes: code '').
 */
export function notesFromJson(value: unknown): RecordNote[] {
  if (typeof value === 'string') return parseNotes(value);
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): RecordNote[] => {
    if (typeof v === 'string') return [{ code: '', message: v }];
    if (typeof v !== 'object' || v === null) return [];
    const { code, message } = v as Record<string, unknown>;
    return typeof code === 'string' ? [{ code, message: typeof message === 'string' ? message : '' }] : [];
  });
}

export const serialiseWarnings = serialiseNotes;
export const parseWarnings = parseNotes;
export const serialiseReview = serialiseNotes;
export const parseReview = parseNotes;

// ---- field boxes

/**
 * `fieldBoxes` in a CSV cell: `field=side:x,y x,y x,y x,y` per field, joined with `;`, in
 * FIELD_NAMES order (corners TL TR BR BL, whole pixels), e.g.
 * `curp=front:812,401 1190,401 1190,432 812,432;mz1=back:60,512 1320,512 1320,560 60,560`.
 */
export function serialiseFieldBoxes(boxes: FieldBoxes | undefined): string {
  if (!boxes) return '';
  const parts: string[] = [];
  for (const field of FIELD_NAMES) {
    const b = boxes[field];
    if (b) parts.push(`${field}=${b.side}:${b.quad.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).join(' ')}`);
  }
  return parts.join(';');
}

/** Inverse of serialiseFieldBoxes; malformed parts are skipped. */
export function parseFieldBoxes(cell: string): FieldBoxes {
  const out: FieldBoxes = {};
  for (const part of cell.split(';')) {
    const m = /^\s*(\w+)=(front|back):(.*)$/.exec(part);
    if (!m || !isFieldName(m[1]!) || !isSide(m[2]!)) continue;
    const points = m[3]!.trim().split(/\s+/).map((p) => p.split(',').map(Number));
    const quad = toQuad(points);
    if (quad) out[m[1]] = { side: m[2], quad };
  }
  return out;
}

/** Field boxes from a JSON value (the object JSON output carries, or a CSV cell string). */
export function fieldBoxesFromJson(value: unknown): FieldBoxes {
  if (typeof value === 'string') return parseFieldBoxes(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: FieldBoxes = {};
  for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isFieldName(field) || typeof v !== 'object' || v === null) continue;
    const { side, quad } = v as Record<string, unknown>;
    const q = Array.isArray(quad) ? toQuad(quad) : undefined;
    if (typeof side === 'string' && isSide(side) && q) out[field] = { side, quad: q };
  }
  return out;
}

/** Field boxes as an object in FIELD_NAMES order (JSON output). */
export function orderedFieldBoxes(boxes: FieldBoxes | undefined): Record<string, FieldBox> {
  const out: Record<string, FieldBox> = {};
  for (const field of FIELD_NAMES) {
    const b = boxes?.[field];
    if (b) out[field] = { side: b.side, quad: b.quad.map(([x, y]) => [Math.round(x), Math.round(y)] as const) as unknown as FieldBox['quad'] };
  }
  return out;
}

function toQuad(points: readonly unknown[]): FieldBox['quad'] | undefined {
  if (points.length !== 4) return undefined;
  const ps: Pixel[] = [];
  for (const p of points) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
    ps.push([p[0] as number, p[1] as number]);
  }
  return [ps[0]!, ps[1]!, ps[2]!, ps[3]!];
}
