import { describe, expect, it } from 'vitest';
import { curpCheckDigit } from '../src/extract/check-digits.ts';
import { curpChecks, curpMatchesNames, findCurp, parseCurp } from '../src/extract/curp.ts';
import { describeNote } from '../src/judge/notes.ts';

/** A CURP with a correct check digit, built from its first 17 characters (ine-formats.md §3 formula). */
const withCheck = (first17: string): string => first17 + String(curpCheckDigit(first17));
/** Same 17 characters, check digit deliberately off by one. */
const withWrongCheck = (first17: string): string => first17 + String((curpCheckDigit(first17) + 1) % 10);

// Synthetic vectors built with the RENAPO rules of ine-formats.md §3 (curpNameKey) and curpCheckDigit.
const PEREZ_LOPEZ_JUAN = withCheck('PELJ900315HDFRPN0'); // PEREZ LOPEZ JUAN CARLOS, 15/03/1990, CDMX
const NUNEZ = withCheck('NUPA900315MDFXRN0'); // NUÑEZ PEREZ ANA: internal Ñ gives X (position 14)
const BORN_2005 = withCheck('GOLA050315MDFMPNA'); // born 2005: letter at position 17
const YEAR_83 = withCheck('GOLA830315MDFMPN0');

describe('parseCurp — valid CURPs', () => {
  it.each([
    // source: ine-formats.md §3, "Verified: SABC560626MDFLRN01 and BOXW310820HNERXN09 pass in both npm packages"
    { curp: 'SABC560626MDFLRN01', birthDate: '26/06/1956', sex: 'M', state: 'DF' },
    { curp: 'BOXW310820HNERXN09', birthDate: '20/08/1931', sex: 'H', state: 'NE' },
    // synthetic (see above)
    { curp: PEREZ_LOPEZ_JUAN, birthDate: '15/03/1990', sex: 'H', state: 'DF' },
    { curp: NUNEZ, birthDate: '15/03/1990', sex: 'M', state: 'DF' },
    { curp: BORN_2005, birthDate: '15/03/2005', sex: 'M', state: 'DF' },
  ])('$curp', ({ curp, birthDate, sex, state }) => {
    const r = parseCurp(curp);
    expect(r.valid).toBe(true);
    expect(r.checks).toStrictEqual({ format: true, date: true, state: true, sex: true, checkDigit: true, inconvenientWord: true });
    expect(r).toMatchObject({ value: curp, birthDate, sex, stateCode: state, repairs: [], warnings: [] });
  });
});

describe('parseCurp — invalid CURPs are flagged', () => {
  it.each([
    { name: 'wrong check digit', curp: 'SABC560626MDFLRN02', failing: 'checkDigit' },
    { name: 'wrong check digit (synthetic)', curp: withWrongCheck('PELJ900315HDFRPN0'), failing: 'checkDigit' },
    { name: 'month 13', curp: withCheck('SABC561326MDFLRN0'), failing: 'date' },
    { name: '30 February', curp: withCheck('SABC560230MDFLRN0'), failing: 'date' },
    { name: 'unknown state ZZ', curp: withCheck('SABC560626MZZLRN0'), failing: 'state' },
    // ine-formats.md §3: positions 1-4 may not spell an inconvenient word (BUEY); RENAPO writes BXEY.
    { name: 'inconvenient word BUEY', curp: withCheck('BUEY900315HDFNNS0'), failing: 'inconvenientWord' },
    { name: 'vowel expected at position 2', curp: withCheck('PRLJ900315HDFRPN0'), failing: 'format' },
  ])('$name', ({ curp, failing }) => {
    const r = parseCurp(curp);
    expect(r.valid).toBe(false);
    expect(r.checks[failing as keyof typeof r.checks]).toBe(false);
    expect(r.value).toBe(curp);
    expect(r.repairs).toStrictEqual([]);
    expect(r.warnings.length).toBeGreaterThan(0);
  });

  it('the X-replaced form of an inconvenient word is valid', () => {
    expect(parseCurp(withCheck('BXEY900315HDFNNS0')).valid).toBe(true);
  });

  it.each(['', 'SABC560626MDFLRN0', 'SABC560626MDFLRN011'])('length %j: flagged, not thrown', (raw) => {
    const r = parseCurp(raw);
    expect(r.valid).toBe(false);
    expect(r.checks.format).toBe(false);
  });
});

describe('curpChecks — a birth date after today never passes (position 17 fixes the century)', () => {
  // RENAPO (ine-formats.md §3): position 17 is a digit for births before 2000, a letter from 2000.
  // Synthetic vectors: positions 1-4 and 11-16 of BORN_2005, check digit by curpCheckDigit.
  const TODAY = new Date(2025, 5, 15); // 15 June 2025, local time
  it.each([
    { name: 'letter at 17, born 2035: 20YY in the future', curp: withCheck('GOLA350315MDFMPNA'), date: false },
    { name: 'letter at 17, born the day after today', curp: withCheck('GOLA250616MDFMPNA'), date: false },
    { name: 'letter at 17, born today', curp: withCheck('GOLA250615MDFMPNA'), date: true },
    { name: 'letter at 17, born 2005', curp: BORN_2005, date: true },
    { name: 'digit at 17, YY 35: 1935, in the past', curp: withCheck('GOLA350315MDFMPN0'), date: true },
  ])('$name', ({ curp, date }) => {
    const checks = curpChecks(curp, TODAY);
    expect(checks.date).toBe(date);
    expect(checks.checkDigit).toBe(true);
    expect(parseCurp(curp, { today: TODAY }).valid).toBe(date);
  });

  it('a CURP born tomorrow is kept as read, with no birth date and the reason', () => {
    const r = parseCurp(withCheck('GOLA250616MDFMPNA'), { today: TODAY });
    expect(r.value).toBe(withCheck('GOLA250616MDFMPNA'));
    expect(r.birthDate).toBe('');
    expect(r.warnings).toContainEqual({ code: 'curp-date-future' });
    expect(describeNote({ code: 'curp-date-future' })).toBe('CURP: positions 5-10: birth date after today (position 17 says 20YY)');
  });

  it('a letter at 17 with a YY after this year is read as a misread digit (19YY), which the check digit then refuses', () => {
    // 2035 cannot be a birth year today, so position 17 is coerced to a digit (A → 4): the
    // check digit was computed over the A, so the result fails it and is not valid either way.
    const r = parseCurp(withCheck('GOLA350315MDFMPNA'), { today: TODAY });
    expect(r.valid).toBe(false);
    expect(r.checks.checkDigit).toBe(false);
  });

  it('without an injected today, a 20YY date decades ahead fails against the clock', () => {
    expect(curpChecks(withCheck('GOLA900315MDFMPNA')).date).toBe(false); // 2090
  });
});

describe('parseCurp — separators inside the code', () => {
  // Peers' cleaners strip these; people type CURPs with them and OCR reads them in gaps.
  it.each([
    ['slashes', 'SABC/560626/MDFLRN01'],
    ['asterisks', 'SABC*560626*MDFLRN01'],
    ['dashes and dots', 'SABC-560626.MDFLRN01'],
    ['all of them with spaces', ' sabc / 560626 * mdf-lrn.01 '],
  ])('%s', (_name, raw) => {
    const r = parseCurp(raw);
    // source: ine-formats.md §3, "Verified: SABC560626MDFLRN01 … pass in both npm packages"
    expect(r.value).toBe('SABC560626MDFLRN01');
    expect(r.valid).toBe(true);
    expect(r.repairs).toStrictEqual([]);
  });
});

describe('parseCurp — OCR repairs by position type', () => {
  it.each([
    { name: 'O for 0 in the date and position 17 (1956: digit)', read: 'SABC56O626MDFLRNO1', expected: 'SABC560626MDFLRN01', repairs: ['6:O>0', '16:O>0'] },
    { name: 'I for 1 in the check digit, Z for 2 in the date', read: 'SABC5606Z6MDFLRN0I', expected: 'SABC560626MDFLRN01', repairs: ['8:Z>2', '17:I>1'] },
    { name: '5 for S and 0 for O in letters', read: '5ABC560626MDFLRN01', expected: 'SABC560626MDFLRN01', repairs: ['0:5>S'] },
    { name: '8 for B, 0 for O', read: '80XW310820HNERXN09', expected: 'BOXW310820HNERXN09', repairs: ['0:8>B', '1:0>O'] },
    { name: 'sex H read as 4', read: 'BOXW3108204NERXN09', expected: 'BOXW310820HNERXN09', repairs: ['10:4>H'] },
    { name: 'spaces and lower case', read: 'sabc 560626 mdf lrn01', expected: 'SABC560626MDFLRN01', repairs: [] },
    { name: 'Ñ read where X is written: settled by the check digit', read: NUNEZ.slice(0, 13) + 'Ñ' + NUNEZ.slice(14), expected: NUNEZ, repairs: ['13:Ñ>X'] },
    // Recorded (hard eval, seed 7, motion): Querétaro's QT read OT, no state RENAPO has.
    { name: 'a state letter misread: its look-alikes, the check digit choosing', read: 'CUYE600619MOTRXL10', expected: 'CUYE600619MQTRXL10', repairs: ['11:O>Q'] },
  ])('$name', ({ read, expected, repairs }) => {
    const r = parseCurp(read);
    expect(r.value).toBe(expected);
    expect(r.valid).toBe(true);
    expect(r.repairs.map((x) => `${x.position}:${x.from}>${x.to}`)).toStrictEqual(repairs);
  });

  it('a digit misread outside the doubtful positions is not guessed without hints', () => {
    // 6 read as 8 at position 10: the check digit fails, but about one wrong candidate in ten
    // would pass it, so nothing is changed without a birth date from elsewhere.
    const r = parseCurp('SABC560628MDFLRN01');
    expect(r.value).toBe('SABC560628MDFLRN01');
    expect(r.checks.checkDigit).toBe(false);
    expect(r.repairs).toStrictEqual([]);
  });
});

describe('parseCurp — hints settle what the check digit cannot see (ine-formats.md §3)', () => {
  it('with the MRZ birth date, a check-digit failure in the date is repaired', () => {
    const r = parseCurp('SABC560628MDFLRN01', { birthDate: '560626', sex: 'M' });
    expect(r.value).toBe('SABC560626MDFLRN01');
    expect(r.valid).toBe(true);
    expect(r.repairs).toHaveLength(1);
  });

  it('8 read as 3 in the year (weight 14, difference 5): invisible to the check digit, settled by the hint', () => {
    const misread = 'GOLA33' + YEAR_83.slice(6);
    expect(parseCurp(misread).valid).toBe(true); // the check digit cannot see it
    const r = parseCurp(misread, { birthDate: '830315' });
    expect(r.value).toBe(YEAR_83);
    expect(r.repairs.map((x) => `${x.position}:${x.from}>${x.to}`)).toStrictEqual(['4:3>8']);
    expect(r.birthDate).toBe('15/03/1983');
  });

  it('0 vs O at position 17 (same check digit): the front birth year decides', () => {
    const misread = BORN_2005.slice(0, 16) + '0' + BORN_2005.slice(17).replace(/.$/, String(curpCheckDigit(BORN_2005.slice(0, 16) + 'O')));
    const without = parseCurp(misread);
    expect(without.birthDate).toBe('15/03/1905');
    const r = parseCurp(misread, { birthDate: '15/03/2005' });
    expect(r.value[16]).toBe('O');
    expect(r.birthDate).toBe('15/03/2005');
    expect(r.repairs.map((x) => `${x.position}:${x.from}>${x.to}`)).toStrictEqual(['16:0>O']);
  });

  it('a disagreeing sex hint is reported, never forced', () => {
    const r = parseCurp('SABC560626MDFLRN01', { sex: 'H' });
    expect(r.value).toBe('SABC560626MDFLRN01');
    expect(r.valid).toBe(true);
    expect(r.hintDisagreements).toStrictEqual(['sex']);
    expect(r.warnings.join(' ')).not.toContain('SABC');
  });
});

describe('findCurp', () => {
  it.each([
    ['CURP SABC560626MDFLRN01', 'SABC560626MDFLRN01'],
    ['CURP SABC 560626 MDFLRN01   AÑO DE REGISTRO 2019 03', 'SABC560626MDFLRN01'],
    ['CLAVE DE ELECTOR GMVLMR80070501M100\nCURP BOXW310820HNERXN09', 'BOXW310820HNERXN09'],
    ['CURP 5ABC56O626MDFLRN01', '5ABC56O626MDFLRN01'],
    ['NOMBRE\nPEREZ', null],
  ])('%j', (text, expected) => {
    expect(findCurp(text)).toBe(expected);
  });
});

describe('curpMatchesNames (curpNameKey)', () => {
  it.each([
    { curp: PEREZ_LOPEZ_JUAN, names: ['PEREZ', 'LOPEZ', 'JUAN CARLOS'], matches: true, mismatched: [] },
    { curp: NUNEZ, names: ['NUÑEZ', 'PEREZ', 'ANA'], matches: true, mismatched: [] },
    { curp: PEREZ_LOPEZ_JUAN, names: ['PEREZ', 'LOPEZ', 'MARIA'], matches: false, mismatched: [4, 16] },
    { curp: PEREZ_LOPEZ_JUAN, names: ['PEÑA', 'LOPEZ', 'JUAN'], matches: false, mismatched: [14] },
  ])('$names', ({ curp, names, matches, mismatched }) => {
    const [p = '', m = '', g = ''] = names;
    const r = curpMatchesNames(curp, p, m, g);
    expect(r.matches).toBe(matches);
    expect(r.mismatchedPositions).toStrictEqual(mismatched);
  });
});
