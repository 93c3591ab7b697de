import { describe, expect, it } from 'vitest';
import { claveMatchesNames, findClave, parseClave } from '../src/extract/clave.ts';

// Structure: ine-formats.md §4 (Trellix regex; INEGI state 01–32 or 87/88).
// source: ine-formats.md §4 cross-check, "the clave PRLPJN85010122H400 pairs with CURP …HQTR… (Querétaro = 22)"
const PUBLIC = 'PRLPJN85010122H400';
// synthetic: GOMEZ VELAZQUEZ MARGARITA (the specimen's names, ine-formats.md §4 example GMVLMR), DOB 05/07/1980, CDMX (09)
const SPECIMEN_LIKE = 'GMVLMR80070509M100';

describe('parseClave — structure', () => {
  it.each([
    { clave: PUBLIC, birthDate: '01/01/1985', sex: 'H', state: '22' },
    { clave: SPECIMEN_LIKE, birthDate: '05/07/1980', sex: 'M', state: '09' },
    { clave: 'GMVLMR80070532M100', birthDate: '05/07/1980', sex: 'M', state: '32' },
    { clave: 'GMVLMR80070587M100', birthDate: '05/07/1980', sex: 'M', state: '87' },
    { clave: 'GMVLMR80070588H100', birthDate: '05/07/1980', sex: 'H', state: '88' },
  ])('$clave is valid (state $state)', ({ clave, birthDate, sex, state }) => {
    const r = parseClave(clave);
    expect(r.valid).toBe(true);
    expect(r.checks).toStrictEqual({ format: true, date: true, state: true, sex: true });
    expect(r).toMatchObject({ value: clave, birthDate, sex, stateCode: state, repairs: [], warnings: [] });
  });

  it.each([
    { name: 'state 33', clave: 'GMVLMR80070533M100', failing: 'state' },
    { name: 'state 00', clave: 'GMVLMR80070500M100', failing: 'state' },
    { name: 'state 86', clave: 'GMVLMR80070586M100', failing: 'state' },
    { name: 'month 13', clave: 'GMVLMR80130509M100', failing: 'date' },
    { name: 'day 32', clave: 'GMVLMR80073209M100', failing: 'date' },
    { name: 'sex X (not used on the clave)', clave: 'GMVLMR80070509X100', failing: 'sex' },
  ])('$name is flagged', ({ clave, failing }) => {
    const r = parseClave(clave);
    expect(r.valid).toBe(false);
    expect(r.checks[failing as keyof typeof r.checks]).toBe(false);
    expect(r.warnings.length).toBeGreaterThan(0);
    for (const w of r.warnings) expect(w).not.toContain(clave.slice(0, 6));
  });

  it.each(['', 'GMVLMR80070509M10', 'GMVLMR80070509M1000'])('length %j: flagged, not thrown', (raw) => {
    expect(parseClave(raw).valid).toBe(false);
  });
});

describe('parseClave — repairs by position type', () => {
  it.each([
    { read: 'GMVLMR8OO7O5O9M1OO', expected: SPECIMEN_LIKE, repairs: ['7:O>0', '8:O>0', '10:O>0', '12:O>0', '16:O>0', '17:O>0'] },
    { read: 'GMVLMR800705O94I00', expected: 'GMVLMR80070509H100', repairs: ['12:O>0', '14:4>H', '15:I>1'] },
    { read: '6MVLMR80070509M100', expected: SPECIMEN_LIKE, repairs: ['0:6>G'] },
    { read: 'PRLPJN 850101 22 H400', expected: PUBLIC, repairs: [] },
    { read: 'PRLPJN85O1OI22H4OO', expected: PUBLIC, repairs: ['8:O>0', '10:O>0', '11:I>1', '16:O>0', '17:O>0'] },
  ])('$read → $expected', ({ read, expected, repairs }) => {
    const r = parseClave(read);
    expect(r.value).toBe(expected);
    expect(r.valid).toBe(true);
    expect(r.repairs.map((x) => `${x.position}:${x.from}>${x.to}`)).toStrictEqual(repairs);
  });

  it('hints are compared, never forced (no check digit to confirm a change)', () => {
    const r = parseClave(SPECIMEN_LIKE, { birthDate: '800706', sex: 'H' });
    expect(r.value).toBe(SPECIMEN_LIKE);
    expect(r.hintDisagreements).toStrictEqual(['birthDate', 'sex']);
  });

  it('a full birth date hint fixes the century', () => {
    expect(parseClave('GMVLMR05070509M100', { birthDate: '05/07/2005' }).birthDate).toBe('05/07/2005');
    expect(parseClave('GMVLMR05070509M100', { birthDate: '05/07/1905' }).birthDate).toBe('05/07/1905');
  });
});

describe('findClave', () => {
  it.each([
    ['CLAVE DE ELECTOR GMVLMR80070509M100', SPECIMEN_LIKE],
    ['CLAVE DE ELECTOR GMVLMR 800705 09 M100\nCURP SABC560626MDFLRN01', SPECIMEN_LIKE],
    ['CLAVEDEELECTORPRLPJN85010122H400', PUBLIC],
    ['CURP SABC560626MDFLRN01', null],
  ])('%j', (text, expected) => {
    expect(findClave(text)).toBe(expected);
  });
});

describe('claveMatchesNames (claveNameKey)', () => {
  it.each([
    // source: ine-formats.md §4 example, GOMEZ VELAZQUEZ MARGARITA → GMVLMR
    { names: ['GOMEZ', 'VELAZQUEZ', 'MARGARITA'], matches: true, mismatched: [] },
    { names: ['GÓMEZ', 'VELÁZQUEZ', 'MARGARITA'], matches: true, mismatched: [] },
    { names: ['GOMEZ', 'VELAZQUEZ', 'MONICA'], matches: false, mismatched: [6] },
    { names: ['LOPEZ', 'VELAZQUEZ', 'MARGARITA'], matches: false, mismatched: [1, 2] },
  ])('$names', ({ names, matches, mismatched }) => {
    const [p = '', m = '', g = ''] = names;
    const r = claveMatchesNames(SPECIMEN_LIKE, p, m, g);
    expect(r.matches).toBe(matches);
    expect(r.mismatchedPositions).toStrictEqual(mismatched);
  });
});
