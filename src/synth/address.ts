/**
 * DOMICILIO as the card prints it: three lines, street and number; colonia and postal code;
 * municipality and state abbreviation (ine-formats.md §1: "C 5 DE MAYO 123 / COL CENTRO
 * 44100 / GUADALAJARA, JAL."). Everything here is what a card would print, and the truth
 * is exactly what the renderer draws.
 *
 * Two generators: `addressLines` is the original one (kept draw for draw: the checked-in
 * samples and every card's other draws depend on it); `printedAddress` adds the forms real
 * cards carry and the reader must survive — single-letter words (FRANCISCO I MADERO),
 * S/N, MZ 4 LT 12, # before numbers, INT, NO. EXT, colonias with numbers — from its own
 * random stream.
 */
import type { MexicanState } from '../domain/states.ts';
import type { Rng } from './rng.ts';

export interface Address {
  readonly lines: [string, string, string];
  readonly postalCode: string;
}

// Common street and colonia names, upper case without accents as printed (Ñ kept).
const STREET_NAMES = [
  '5 DE MAYO', '16 DE SEPTIEMBRE', 'INSURGENTES SUR', 'BENITO JUAREZ', 'MORELOS', 'HIDALGO',
  'REFORMA', 'LAS FLORES', 'LOS PINOS', 'ZARAGOZA', 'GUERRERO', 'ALLENDE', 'INDEPENDENCIA',
  'REVOLUCION', 'JACARANDAS', 'ALAMOS', 'NIÑOS HEROES', 'FRAY SERVANDO', 'VICENTE SUAREZ',
  'CAMINO REAL', 'DEL TRABAJO', 'SOL', 'LAGO ZURICH', 'RIO BRAVO', 'EMILIANO ZAPATA',
  'CUAUHTEMOC', 'LAZARO CARDENAS', 'MADERO', 'OCAMPO', 'TULIPANES', 'NOGAL', 'PALMAS',
];
const COLONIA_NAMES = [
  'CENTRO', 'DEL VALLE', 'ROMA NORTE', 'LAS AMERICAS', 'SAN JUAN', 'LA JOYA', 'INDEPENDENCIA',
  'EL ROSARIO', 'JARDINES DEL SUR', 'LOMAS VERDES', 'SANTA CRUZ', 'MODERNA', 'OBRERA',
  'EL MIRADOR', 'LAS PALMAS', 'VISTA HERMOSA', 'SAN MIGUEL', 'LA PAZ', 'BUENAVISTA',
  'LOS ANGELES', 'REAL DEL BOSQUE', 'VILLAS DEL SOL', 'PRIMAVERA', 'AMPLIACION HIDALGO',
  'EJIDAL', 'SANTA MARIA', 'LA CAÑADA', 'GUADALUPE',
];
/** A few municipalities per state (INEGI code → names), enough for plausible DOMICILIO lines. */
const MUNICIPALITIES: Readonly<Record<string, readonly string[]>> = {
  '01': ['AGUASCALIENTES', 'JESUS MARIA', 'CALVILLO'],
  '02': ['TIJUANA', 'MEXICALI', 'ENSENADA'],
  '03': ['LA PAZ', 'LOS CABOS', 'COMONDU'],
  '04': ['CAMPECHE', 'CARMEN', 'CHAMPOTON'],
  '05': ['SALTILLO', 'TORREON', 'MONCLOVA'],
  '06': ['COLIMA', 'MANZANILLO', 'TECOMAN'],
  '07': ['TUXTLA GUTIERREZ', 'TAPACHULA', 'COMITAN DE DOMINGUEZ'],
  '08': ['CHIHUAHUA', 'JUAREZ', 'DELICIAS'],
  '09': ['CUAUHTEMOC', 'TLALPAN', 'BENITO JUAREZ', 'COYOACAN', 'IZTAPALAPA', 'GUSTAVO A MADERO'],
  '10': ['DURANGO', 'GOMEZ PALACIO', 'LERDO'],
  '11': ['LEON', 'IRAPUATO', 'CELAYA', 'GUANAJUATO'],
  '12': ['ACAPULCO DE JUAREZ', 'CHILPANCINGO DE LOS BRAVO', 'IGUALA DE LA INDEPENDENCIA'],
  '13': ['PACHUCA DE SOTO', 'TULANCINGO DE BRAVO', 'TIZAYUCA'],
  '14': ['GUADALAJARA', 'ZAPOPAN', 'TLAQUEPAQUE', 'TONALA'],
  '15': ['ECATEPEC DE MORELOS', 'NEZAHUALCOYOTL', 'TOLUCA', 'NAUCALPAN DE JUAREZ'],
  '16': ['MORELIA', 'URUAPAN', 'ZAMORA'],
  '17': ['CUERNAVACA', 'JIUTEPEC', 'CUAUTLA'],
  '18': ['TEPIC', 'BAHIA DE BANDERAS', 'SANTIAGO IXCUINTLA'],
  '19': ['MONTERREY', 'GUADALUPE', 'APODACA', 'SAN NICOLAS DE LOS GARZA'],
  '20': ['OAXACA DE JUAREZ', 'SALINA CRUZ', 'JUCHITAN DE ZARAGOZA'],
  '21': ['PUEBLA', 'TEHUACAN', 'SAN MARTIN TEXMELUCAN'],
  '22': ['QUERETARO', 'SAN JUAN DEL RIO', 'CORREGIDORA'],
  '23': ['BENITO JUAREZ', 'OTHON P BLANCO', 'SOLIDARIDAD'],
  '24': ['SAN LUIS POTOSI', 'SOLEDAD DE GRACIANO SANCHEZ', 'CIUDAD VALLES'],
  '25': ['CULIACAN', 'MAZATLAN', 'AHOME'],
  '26': ['HERMOSILLO', 'CAJEME', 'NOGALES'],
  '27': ['CENTRO', 'CARDENAS', 'COMALCALCO'],
  '28': ['REYNOSA', 'MATAMOROS', 'NUEVO LAREDO', 'VICTORIA'],
  '29': ['TLAXCALA', 'APIZACO', 'HUAMANTLA'],
  '30': ['VERACRUZ', 'XALAPA', 'COATZACOALCOS', 'CORDOBA'],
  '31': ['MERIDA', 'KANASIN', 'VALLADOLID'],
  '32': ['ZACATECAS', 'GUADALUPE', 'FRESNILLO'],
};
/** First two digits of the postal codes of each state (Correos de México's ranges, coarse). */
const POSTAL_PREFIX: Readonly<Record<string, readonly number[]>> = {
  '01': [20], '02': [21, 22], '03': [23], '04': [24], '05': [25, 26, 27], '06': [28], '07': [29, 30],
  '08': [31, 32, 33], '09': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], '10': [34, 35],
  '11': [36, 37, 38], '12': [39, 40, 41], '13': [42, 43], '14': [44, 45, 46, 47, 48, 49],
  '15': [50, 51, 52, 53, 54, 55, 56, 57], '16': [58, 59, 60, 61], '17': [62], '18': [63],
  '19': [64, 65, 66, 67], '20': [68, 69, 70, 71], '21': [72, 73, 74, 75], '22': [76], '23': [77],
  '24': [78, 79], '25': [80, 81, 82], '26': [83, 84, 85], '27': [86], '28': [87, 88, 89],
  '29': [90], '30': [91, 92, 93, 94, 95, 96], '31': [97], '32': [98, 99],
};

// ---------------------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function addressLines(rng: Rng, state: MexicanState): {
  lines: [string, string, string];
  postalCode: string;
} {
  const street = rng.pick(STREET_NAMES);
  const number = rng.int(1, rng.chance(0.3) ? 3999 : 299);
  let line1: string;
  const kind = rng.int(0, 9);
  if (kind <= 3) line1 = `C ${street} ${number}`;
  else if (kind <= 5) line1 = `AV ${street} ${number}${rng.chance(0.4) ? ` INT ${rng.int(1, 30)}` : ''}`;
  else if (kind === 6) line1 = `PRIV ${street} MZ ${rng.int(1, 40)} LT ${rng.int(1, 60)}`;
  else if (kind === 7) line1 = `CDA ${street} ${number}`;
  else if (kind === 8) line1 = `CALLE ${street} ${number} ${rng.pick(['A', 'B', 'DEPTO 2', 'EDIF 3'])}`;
  else line1 = `AND ${street} MZ ${rng.int(1, 40)} LT ${rng.int(1, 60)}`;
  const prefix = rng.pick(POSTAL_PREFIX[state.inegi] ?? [1]);
  const postalCode = pad(prefix, 2) + pad(rng.int(0, 999), 3);
  const colKind = rng.pick(['COL', 'COL', 'COL', 'COL', 'FRACC', 'BARRIO', 'U HAB']);
  const line2 = `${colKind} ${rng.pick(COLONIA_NAMES)} ${postalCode}`;
  const municipality = rng.pick(MUNICIPALITIES[state.inegi] ?? [state.name]);
  const line3 = `${municipality}, ${state.abbr}`;
  return { lines: [line1, line2, line3], postalCode };
}

// ---------------------------------------------------------------------------------------
// The printed forms

/** Streets named after people with a middle initial, printed as a single letter without a dot. */
const SINGLE_LETTER_STREETS = [
  'FRANCISCO I MADERO', 'GUSTAVO A MADERO', 'MANUEL M PONCE', 'JOSE MA MORELOS', 'MIGUEL N LIRA', 'JUAN B CEBALLOS',
  'MANUEL J CLOUTHIER', 'PLUTARCO E CALLES', 'VICENTE T MENDOZA', 'JOSE G PARRES',
];
/** Streets named by a number (grid cities) or a date. */
const NUMBERED_STREETS = ['NORTE 5', 'SUR 117', 'ORIENTE 233', 'PONIENTE 44', '2 DE ABRIL', '20 DE NOVIEMBRE', '1 DE MAYO', '10'];
/** Colonias with numbers or single letters in their names. */
const NUMBERED_COLONIAS = [
  '20 DE NOVIEMBRE', '18 DE MARZO', '1RO DE MAYO', 'SECTOR 3', 'INFONAVIT 2A SECC', 'EL ROSARIO 2DA SECC', 'AMPLIACION 5 DE MAYO',
  'LOMAS DE SAN JUAN 1A SECC', 'FRANCISCO I MADERO', 'MIGUEL ALEMAN 3RA SECC', 'EJERCITO DE ORIENTE ZONA II', 'MORELOS 1A',
];
/** Street types as abbreviated on the card ('' : the street's bare name). */
const STREET_TYPES: readonly (readonly [string, number])[] = [
  ['C', 30], ['CALLE', 8], ['AV', 15], ['PRIV', 8], ['CDA', 7], ['AND', 5], ['BLVD', 5], ['CALZ', 3], ['PROL', 4], ['CJON', 3],
  ['RET', 3], ['', 9],
];
const COLONIA_TYPES: readonly (readonly [string, number])[] = [
  ['COL', 60], ['FRACC', 12], ['BARRIO', 6], ['U HAB', 8], ['PUEBLO', 4], ['EJ', 3], ['RES', 4], ['CONJ HAB', 3],
];

function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rng.float(0, total);
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return (table[table.length - 1] as readonly [T, number])[0];
}

/** The number part of the street line, in the forms cards print. */
const NUMBER_FORMS: readonly (readonly [(rng: Rng, n: number) => string, number])[] = [
  [(_, n) => `${n}`, 30],
  [(_, n) => `#${n}`, 8],
  [(_, n) => `NO. EXT ${n}`, 6],
  [(rng, n) => `NO. EXT ${n} INT ${rng.int(1, 12)}`, 3],
  [() => 'S/N', 8],
  [(rng) => `MZ ${rng.int(1, 40)} LT ${rng.int(1, 60)}`, 12],
  [(rng, n) => `${n} INT ${rng.int(1, 30)}`, 8],
  [(rng, n) => `${n} INT ${rng.pick([...'ABCDEF'])}`, 4],
  [(rng, n) => `#${n} INT ${rng.int(1, 12)}`, 3],
  [(rng, n) => `${n} ${rng.pick([...'ABCD'])}`, 5],
  [(rng, n) => `${n} DEPTO ${rng.int(1, 24)}`, 4],
  [(rng) => `EDIF ${rng.pick([...'ABCDEFG'])} DEPTO ${rng.int(101, 504)}`, 3],
];

/** A DOMICILIO in the forms real cards print (see the module comment). */
export function printedAddress(rng: Rng, state: MexicanState): Address {
  const kind = rng.float(0, 1);
  const street = kind < 0.25 ? rng.pick(SINGLE_LETTER_STREETS) : kind < 0.35 ? rng.pick(NUMBERED_STREETS) : rng.pick(STREET_NAMES);
  let type = weighted(rng, STREET_TYPES);
  if (type === '' && /^\d+$/.test(street)) type = 'C'; // a bare number is never a street line on its own
  const n = rng.int(1, rng.chance(0.3) ? 3999 : 299);
  const number = weighted(rng, NUMBER_FORMS)(rng, n);
  const line1 = [type, street, number].filter(Boolean).join(' ');
  const prefix = rng.pick(POSTAL_PREFIX[state.inegi] ?? [1]);
  const postalCode = pad(prefix, 2) + pad(rng.int(0, 999), 3);
  const colonia = rng.chance(0.3) ? rng.pick(NUMBERED_COLONIAS) : rng.pick(COLONIA_NAMES);
  const line2 = `${weighted(rng, COLONIA_TYPES)} ${colonia} ${postalCode}`;
  const line3 = `${rng.pick(MUNICIPALITIES[state.inegi] ?? [state.name])}, ${state.abbr}`;
  return { lines: [line1, line2, line3], postalCode };
}
