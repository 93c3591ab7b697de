/**
 * Dates as the card carries them: `YYMMDD` in the MRZ, CURP and clave de elector, and
 * `DD/MM/YYYY` printed on the front (FECHA DE NACIMIENTO). Pure; "today" is injectable.
 */

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A real calendar date (Gregorian), year 1800–2199. */
export function isValidDate(p: DateParts): boolean {
  return (
    Number.isInteger(p.year) &&
    Number.isInteger(p.month) &&
    Number.isInteger(p.day) &&
    p.year >= 1800 &&
    p.year < 2200 &&
    p.month >= 1 &&
    p.month <= 12 &&
    p.day >= 1 &&
    p.day <= daysInMonth(p.year, p.month)
  );
}

/**
 * `YYMMDD` is six digits naming a real month and day. Without a century, 29 February is
 * accepted (it exists in one of the two candidate centuries unless YY = 00, where 2000 is leap).
 */
export function isValidYymmdd(s: string, century?: number): boolean {
  if (!/^\d{6}$/.test(s)) return false;
  const yy = Number(s.slice(0, 2));
  const month = Number(s.slice(2, 4));
  const day = Number(s.slice(4, 6));
  if (century !== undefined) return isValidDate({ year: century + yy, month, day });
  return isValidDate({ year: 2000 + yy, month, day }) || isValidDate({ year: 1900 + yy, month, day });
}

const twoDigitYear = (today: Date): number => today.getFullYear() % 100;

export interface BirthCenturyOptions {
  /**
   * CURP position 17 (the homonymy differentiator): a digit for people born before 2000,
   * a letter from 2000 on (RENAPO; ine-formats.md §3).
   */
  readonly curpPosition17?: string;
  /** Defaults to now. */
  readonly today?: Date;
}

/**
 * Full year of a birth date given as `YYMMDD`: from CURP position 17 when given, otherwise
 * the latest year not in the future (YY greater than this year's two digits → 19YY).
 */
export function resolveBirthYear(yymmdd: string, options: BirthCenturyOptions = {}): number | null {
  if (!/^\d{2}/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const p17 = options.curpPosition17;
  if (p17 !== undefined && /^[0-9]$/.test(p17)) return 1900 + yy;
  if (p17 !== undefined && /^[A-Z]$/.test(p17)) return 2000 + yy;
  return yy > twoDigitYear(options.today ?? new Date()) ? 1900 + yy : 2000 + yy;
}

/** Birth date parts from `YYMMDD`, or null when not a real date. */
export function resolveBirthDate(yymmdd: string, options: BirthCenturyOptions = {}): DateParts | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = resolveBirthYear(yymmdd, options);
  if (year === null) return null;
  const p = { year, month: Number(yymmdd.slice(2, 4)), day: Number(yymmdd.slice(4, 6)) };
  return isValidDate(p) ? p : null;
}

/** Expiry dates are always in this century (INE cards exist since 2014, IFE ones expired). */
export function resolveExpiryDate(yymmdd: string): DateParts | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const p = { year: 2000 + Number(yymmdd.slice(0, 2)), month: Number(yymmdd.slice(2, 4)), day: Number(yymmdd.slice(4, 6)) };
  return isValidDate(p) ? p : null;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `DD/MM/YYYY`, the front's FECHA DE NACIMIENTO format and the record's dateOfBirth. */
export function formatDdMmYyyy(p: DateParts): string {
  return `${pad2(p.day)}/${pad2(p.month)}/${String(p.year).padStart(4, '0')}`;
}

/** `YYMMDD` of a date (the MRZ / CURP / clave form). */
export function toYymmdd(p: DateParts): string {
  return pad2(p.year % 100) + pad2(p.month) + pad2(p.day);
}

/**
 * Parses a date printed as `DD/MM/YYYY` (also tolerating `-`, `.` or spaces as separators,
 * since OCR often loses or swaps the slash). Digits only: OCR letter repair belongs to the
 * caller, which records it. Null when not a real date.
 */
export function parseDdMmYyyy(s: string): DateParts | null {
  const m = /^\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{4})\s*$/.exec(s);
  if (!m) return null;
  const p = { day: Number(m[1]), month: Number(m[2]), year: Number(m[3]) };
  return isValidDate(p) ? p : null;
}

/** `a` falls on a later calendar day than `today` (local date). */
export function isAfterToday(a: DateParts, today: Date): boolean {
  const t = { year: today.getFullYear(), month: today.getMonth() + 1, day: today.getDate() };
  if (a.year !== t.year) return a.year > t.year;
  if (a.month !== t.month) return a.month > t.month;
  return a.day > t.day;
}

/** Same calendar day. */
export function sameDate(a: DateParts, b: DateParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}
