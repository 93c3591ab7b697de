/**
 * Words of Mexican addresses as INE cards print them, for telling a middle initial from a
 * number: streets and colonias named after people keep their initial as a lone letter
 * (FRANCISCO I MADERO, GUSTAVO A MADERO, JUAN B CEBALLOS), and OCR reads a lone I as 1. A lone
 * 1 stays a number after a street or colonia type (AV 1, SECTOR 1), before a word that follows
 * numbers (1 DE MAYO, 1 SUR, 1 BIS), and beside anything that is not a word of letters.
 */

/** Types and parts of an address that a number follows (street, colonia, lot, building, km). */
export const NUMBERED_AFTER: ReadonlySet<string> = new Set([
  'C', 'CALLE', 'AV', 'AVE', 'AVENIDA', 'PRIV', 'PRIVADA', 'CDA', 'CERRADA', 'AND', 'ANDADOR', 'BLVD', 'CALZ', 'PROL', 'CJON', 'CALLEJON', 'RET', 'RETORNO',
  'CIRC', 'CTO', 'CIRCUITO', 'CARR', 'CARRETERA', 'KM', 'COL', 'FRACC', 'BARRIO', 'HAB', 'PUEBLO', 'EJ', 'EJIDO', 'RES', 'CONJ', 'SECTOR', 'SECC', 'ZONA',
  'MZ', 'MZA', 'LT', 'LOTE', 'EDIF', 'DEPTO', 'DPTO', 'INT', 'EXT', 'NUM', 'NO', 'NORTE', 'SUR', 'ORIENTE', 'PONIENTE', 'NTE', 'OTE', 'PTE', 'ETAPA', 'SEGUNDA',
]);

/**
 * Words that follow a number: in street and colonia names (dates), and after a house number;
 * the words of NUMBERED_AFTER count too (1 SUR, HIDALGO 1 INT 3).
 */
export const AFTER_NUMBER: ReadonlySet<string> = new Set(['DE', 'DEL', 'BIS', 'LOCAL', 'ALTOS', 'PISO', 'CASA', 'TORRE', 'BODEGA', 'ENTRADA', 'PB']);

const NAME_WORD = /^[A-ZÁÉÍÓÚÜÑ]{3,}$/;

/** An address line with each lone `1` between two words of a name read as the initial `I`. */
export function middleInitials(line: string): string {
  const words = line.split(' ');
  return words
    .map((w, i) => {
      if (w !== '1') return w;
      const before = words[i - 1] ?? '';
      const after = words[i + 1] ?? '';
      return NAME_WORD.test(before) && NAME_WORD.test(after) && !NUMBERED_AFTER.has(before) && !AFTER_NUMBER.has(after) && !NUMBERED_AFTER.has(after) ? 'I' : w;
    })
    .join(' ');
}
