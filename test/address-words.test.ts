/** Address words: a lone 1 as a middle initial or a number, S/N ending a street line, the colonia and place lines. */
import { describe, expect, it } from 'vitest';
import { colonyLine, middleInitials, numberWords, placeLine, withoutNumber } from '../src/domain/address-words.ts';

describe('middleInitials', () => {
  it.each([
    ['COL FRANCISCO 1 MADERO 97206', 'COL FRANCISCO I MADERO 97206'],
    ['CDA FRANCISCO 1 MADERO 3104', 'CDA FRANCISCO I MADERO 3104'],
    ['C 1 DE MAYO 45', 'C 1 DE MAYO 45'], // a date
    ['COL AMPLIACION 1 DE MAYO 52000', 'COL AMPLIACION 1 DE MAYO 52000'],
    ['AV SUR 1 17 #2468', 'AV SUR 1 17 #2468'], // beside a number
    ['HIDALGO 1 INT 3', 'HIDALGO 1 INT 3'], // a house number, then its interior
    ['MORELOS 1 LOCAL 2', 'MORELOS 1 LOCAL 2'],
    ['COL SECTOR 1 CENTRO', 'COL SECTOR 1 CENTRO'], // after a colonia part
    ['AV 1 ORIENTE', 'AV 1 ORIENTE'],
    ['PRIV JUAREZ 1', 'PRIV JUAREZ 1'], // the line's end
  ])('%s → %s', (line, want) => {
    expect(middleInitials(line)).toBe(want);
  });
});

describe('numberWords: a designator read glued to its number', () => {
  it.each([
    // Recorded readings (hard eval: motion blur, glare, shadow).
    ['C MANUEL M PONCE #1094 INT9', 'C MANUEL M PONCE #1094 INT 9'],
    ['C ALLENDE 3495 INT5', 'C ALLENDE 3495 INT 5'],
    ['CDA JOSE MA MORELOS 84INT 1', 'CDA JOSE MA MORELOS 84 INT 1'],
    ['COL20 DE NOVIEMBRE 26216', 'COL 20 DE NOVIEMBRE 26216'],
    ['C INDEPENDENCIA NO.EXT 1520 INT 9', 'C INDEPENDENCIA NO. EXT 1520 INT 9'],
    ['C NORTE 5 MZ4 LT12', 'C NORTE 5 MZ 4 LT 12'],
    // As printed: ordinals, a letter and a digit, a postal code glued to a colonia (colonyLine's).
    ['COL MIGUEL ALEMAN 3RA SECC 42054', 'COL MIGUEL ALEMAN 3RA SECC 42054'],
    ['U HAB LOMAS DE SAN JUAN 1A SECC 35400', 'U HAB LOMAS DE SAN JUAN 1A SECC 35400'],
    ['EDIF C DEPTO A1', 'EDIF C DEPTO A1'],
    ['C5 DE MAYO 12', 'C5 DE MAYO 12'],
    ['COL BUENAVISTA83226', 'COL BUENAVISTA83226'],
    ['HIDALGO 12 BIS', 'HIDALGO 12 BIS'],
  ])('%s → %s', (line, want) => {
    expect(numberWords(line)).toBe(want);
  });
});

describe('withoutNumber: S/N ending a street line', () => {
  it.each([
    // Recorded readings (hard eval: motion blur, perspective, JPEG).
    ['C INDEPENDENCIA SIN', 'C INDEPENDENCIA S/N'],
    ['BLVD JUAN B CEBALLOS SIN', 'BLVD JUAN B CEBALLOS S/N'],
    ['BLVD 10S/N', 'BLVD 10 S/N'],
    ['C MORELOS 5/N', 'C MORELOS S/N'],
    ['NIÑOS HEROES S/N', 'NIÑOS HEROES S/N'],
    ['C SIN NOMBRE 12', 'C SIN NOMBRE 12'], // a street named so
    ['SIN', 'SIN'], // no street before it
    ['COL CENTRO 45100', 'COL CENTRO 45100'],
  ])('%s → %s', (line, want) => {
    expect(withoutNumber(line)).toBe(want);
  });
});

describe('placeLine: the state abbreviation that ends the last address line', () => {
  it.each([
    // Recorded readings (eval, regular and hard conditions): periods, spaces and commas lost or misread.
    ['SOLEDAD DE GRACIANO SANCHEZ, S.L. P.', 'SOLEDAD DE GRACIANO SANCHEZ, S.L.P.'],
    ['NEZAHUALCOYOTL MEX', 'NEZAHUALCOYOTL, MEX.'],
    ['TECOMAN,COL', 'TECOMAN, COL.'],
    ['MANZANILLO. COL.', 'MANZANILLO, COL.'],
    ['OTHON P BLANCO O. ROO', 'OTHON P BLANCO, Q. ROO'],
    ['BENITO JUAREZ, 0. ROO', 'BENITO JUAREZ, Q. ROO'],
    ['SAN NICOLAS DE LOS GARZA, N.L..', 'SAN NICOLAS DE LOS GARZA, N.L.'],
    ['CAMPECHE, CAMP', 'CAMPECHE, CAMP.'],
    ['LA PAZ, B.C.S.', 'LA PAZ, B.C.S.'],
    ['TIJUANA, B C', 'TIJUANA, B.C.'],
    // As read: abbreviations not in the table (older cards), no separator, nothing that ends in one.
    ['BENITO JUAREZ, D.F.', 'BENITO JUAREZ, D.F.'],
    ['CUAUHTEMOC, CDMX', 'CUAUHTEMOC, CDMX'],
    ['NEZAHUALCOYOTLMEX', 'NEZAHUALCOYOTLMEX'],
    ['COL CENTRO 12345', 'COL CENTRO 12345'],
    ['TOLUCA', 'TOLUCA'],
    // A short word's own period is not a misread comma.
    ['ECATEPEC, EDO. MEX.', 'ECATEPEC, EDO. MEX.'],
    ['TOLUCA, MEX,, MEX', 'TOLUCA, MEX,, MEX'],
  ])('%s → %s', (line, want) => {
    expect(placeLine(line)).toBe(want);
  });
});

describe('colonyLine: the postal code that ends the colonia\'s line', () => {
  it.each([
    // Recorded readings (eval: hard finger, worn, jpeg; regular rot90).
    ['COL BUENAVISTA83226', 'COL BUENAVISTA 83226'],
    ['COL LA CANADA 6327 8', 'COL LA CANADA 63278'],
    ['COL EL ROSARIO 2DA SECC 51 17 1', 'COL EL ROSARIO 2DA SECC 51171'],
    ['COL JARDINES DEL SUR 98229 NE', 'COL JARDINES DEL SUR 98229'],
    ['COL VISTA HERMOSA 28047 NS', 'COL VISTA HERMOSA 28047'],
    // A period or comma after the code (issue 12's captures from elsewhere: `.` invented after it).
    ['COL CENTRO 98229.', 'COL CENTRO 98229'],
    ['COL CENTRO 98229,', 'COL CENTRO 98229'],
    ['COL BUENAVISTA83226.', 'COL BUENAVISTA 83226'],
    ['COL LA CANADA 6327 8.', 'COL LA CANADA 63278'],
    // As read: a code already whole, numbers that are the colonia's own, no code at all.
    ['COL EJERCITO DE ORIENTE ZONA II 97606', 'COL EJERCITO DE ORIENTE ZONA II 97606'],
    ['SECC 4 12345', 'SECC 4 12345'],
    ['COL SECTOR 3 2', 'COL SECTOR 3 2'],
    ['COL CENTRO', 'COL CENTRO'],
    ['COL 20 DE NOVIEMBRE 123456', 'COL 20 DE NOVIEMBRE 123456'],
    ['COL CENTRO A', 'COL CENTRO A'],
    ['FRACC LAS AMERICAS.', 'FRACC LAS AMERICAS.'],
  ])('%s → %s', (line, want) => {
    expect(colonyLine(line)).toBe(want);
  });
});
