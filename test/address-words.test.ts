/** A lone 1 in an address line: the initial of a person's name, or a number. */
import { describe, expect, it } from 'vitest';
import { middleInitials } from '../src/domain/address-words.ts';

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
