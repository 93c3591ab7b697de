/**
 * The birth date and sex appear up to four times on a card — CURP (positions 5–10, 11),
 * clave de elector (7–12, 15), MRZ line 2 (0–5, 7) and the front (FECHA DE NACIMIENTO,
 * SEXO) — so each reading checks the others (SPEC "Facts the extractor relies on").
 * This module only compares: it names the sources that agree and disagree, never values.
 */
import { parseDdMmYyyy, toYymmdd } from './dates.ts';

export type IdentitySource = 'mrz' | 'curp' | 'clave' | 'front';

export interface IdentityReadings {
  /** CURP as read (18 characters). */
  readonly curp?: string;
  /** Clave de elector as read (18 characters). */
  readonly clave?: string;
  /** MRZ line 2 birth date, `YYMMDD`. */
  readonly mrzBirthDate?: string;
  readonly mrzSex?: string;
  /** FECHA DE NACIMIENTO, `DD/MM/YYYY`. */
  readonly frontBirthDate?: string;
  readonly frontSex?: string;
}

export interface Comparison {
  readonly a: IdentitySource;
  readonly b: IdentitySource;
  readonly agree: boolean;
}

export interface FieldCrossCheck {
  /** Sources that carried a well-formed reading. */
  readonly sources: readonly IdentitySource[];
  /** Every pair of those sources. */
  readonly comparisons: readonly Comparison[];
  /** All sources agree (true when fewer than two were read). */
  readonly agree: boolean;
  /** The largest group of sources that agree with each other (ties: the earlier group in source order). */
  readonly majority: readonly IdentitySource[];
}

export interface CrossCheckResult {
  readonly birthDate: FieldCrossCheck;
  readonly sex: FieldCrossCheck;
  /** One line per disagreeing pair, naming sources only. */
  readonly warnings: readonly string[];
}

interface Reading {
  readonly source: IdentitySource;
  /** Comparison key: `YYMMDD` for dates, the letter for sex. */
  readonly key: string;
  /** 1900 / 2000 when the source tells the century (CURP position 17, the front's year). */
  readonly century?: number;
}

function birthDateReadings(r: IdentityReadings): Reading[] {
  const out: Reading[] = [];
  if (r.mrzBirthDate && /^\d{6}$/.test(r.mrzBirthDate)) out.push({ source: 'mrz', key: r.mrzBirthDate });
  if (r.curp && r.curp.length === 18 && /^\d{6}$/.test(r.curp.slice(4, 10))) {
    const p17 = r.curp[16] ?? '';
    const century = /\d/.test(p17) ? 1900 : /[A-Z]/.test(p17) ? 2000 : undefined;
    out.push(century !== undefined ? { source: 'curp', key: r.curp.slice(4, 10), century } : { source: 'curp', key: r.curp.slice(4, 10) });
  }
  if (r.clave && r.clave.length === 18 && /^\d{6}$/.test(r.clave.slice(6, 12))) out.push({ source: 'clave', key: r.clave.slice(6, 12) });
  const front = r.frontBirthDate ? parseDdMmYyyy(r.frontBirthDate) : null;
  if (front) out.push({ source: 'front', key: toYymmdd(front), century: front.year < 2000 ? 1900 : 2000 });
  return out;
}

function sexReadings(r: IdentityReadings): Reading[] {
  const out: Reading[] = [];
  const add = (source: IdentitySource, v: string | undefined): void => {
    if (v !== undefined && /^[HMX]$/.test(v)) out.push({ source, key: v });
  };
  add('mrz', r.mrzSex);
  add('curp', r.curp && r.curp.length === 18 ? r.curp[10] : undefined);
  add('clave', r.clave && r.clave.length === 18 ? r.clave[14] : undefined);
  add('front', r.frontSex);
  return out;
}

const same = (x: Reading, y: Reading): boolean =>
  x.key === y.key && (x.century === undefined || y.century === undefined || x.century === y.century);

function compare(readings: readonly Reading[]): FieldCrossCheck {
  const comparisons: Comparison[] = [];
  for (let i = 0; i < readings.length; i++) {
    for (let j = i + 1; j < readings.length; j++) {
      const x = readings[i];
      const y = readings[j];
      if (x && y) comparisons.push({ a: x.source, b: y.source, agree: same(x, y) });
    }
  }
  let majority: IdentitySource[] = [];
  for (const x of readings) {
    const group = readings.filter((y) => same(x, y)).map((y) => y.source);
    if (group.length > majority.length) majority = group;
  }
  return { sources: readings.map((r) => r.source), comparisons, agree: comparisons.every((c) => c.agree), majority };
}

/** Compares birth date and sex across CURP, clave, MRZ and front. */
export function crossCheckIdentity(r: IdentityReadings): CrossCheckResult {
  const birthDate = compare(birthDateReadings(r));
  const sex = compare(sexReadings(r));
  const warnings = [
    ...birthDate.comparisons.filter((c) => !c.agree).map((c) => `birth date: ${c.a} and ${c.b} disagree`),
    ...sex.comparisons.filter((c) => !c.agree).map((c) => `sex: ${c.a} and ${c.b} disagree`),
  ];
  return { birthDate, sex, warnings };
}
