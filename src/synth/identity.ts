/**
 * Invented people and the voter cards they would hold. Every value is synthetic, and every
 * derived value (CURP, clave de elector, MRZ) follows the published rules so that the check
 * digits and cross-checks the extractor relies on hold — see shared/domain/ine-formats.md.
 */
import { curpCheckDigit, icaoCheckDigit } from '../extract/check-digits.ts';
import { curpNameKey, claveNameKey } from '../domain/name-codes.ts';
import { STATES, type MexicanState } from '../domain/states.ts';
import { emptyFields, type CardFields } from '../record.ts';
import { addressLines, printedAddress } from './address.ts';
import type { Rng } from './rng.ts';

export type CardModel = 'E' | 'F' | 'G' | 'H';
export const CARD_MODELS: readonly CardModel[] = ['E', 'F', 'G', 'H'];
export type Sex = 'H' | 'M';

export interface SyntheticCard {
  readonly model: CardModel;
  readonly paterno: string;
  /** Empty when the person has a single surname. */
  readonly materno: string;
  /** Given names, space separated (e.g. "MARIA GUADALUPE"). */
  readonly given: string;
  readonly sex: Sex;
  readonly birth: { readonly year: number; readonly month: number; readonly day: number };
  readonly birthState: MexicanState;
  readonly residenceState: MexicanState;
  readonly curp: string;
  readonly clave: string;
  readonly registrationYear: number;
  /** Emission number, 2 digits (after the AÑO DE REGISTRO year; `<EE<<` in MRZ line 2). */
  readonly emission: string;
  /** Sección, 4 digits. */
  readonly section: string;
  /** Identificador del ciudadano, 9 digits. */
  readonly citizenId: string;
  /** CIC, 9 digits. */
  readonly cic: string;
  /** Year the card was issued (VIGENCIA start on G/H, EMISIÓN on E/F). */
  readonly issueYear: number;
  /** VIGENCIA end year (issue + 10). */
  readonly validUntil: number;
  readonly address: readonly [string, string, string];
  readonly postalCode: string;
  /** MUNICIPIO, 3 digits (printed on E/F only). */
  readonly municipalityCode: string;
  /** LOCALIDAD, 4 digits (printed on E/F only). */
  readonly localityCode: string;
  readonly mrz: readonly [string, string, string];
}

export interface IdentityOptions {
  /** Force a card model; otherwise one of E, F, G, H at random. */
  readonly model?: CardModel;
  /**
   * Draw the DOMICILIO in the forms real cards print (address.ts `printedAddress`) from this
   * stream; without it, the original forms (the checked-in samples).
   */
  readonly addressRng?: Rng;
}

// ---------------------------------------------------------------------------------------
// Name lists. Common Mexican surnames and given names, printed as on the card:
// upper case, no accents, Ñ kept. Combinations are random, so no list entry is a person.

const SURNAMES = [
  'HERNANDEZ', 'GARCIA', 'MARTINEZ', 'LOPEZ', 'GONZALEZ', 'PEREZ', 'RODRIGUEZ', 'SANCHEZ',
  'RAMIREZ', 'CRUZ', 'FLORES', 'GOMEZ', 'MORALES', 'VAZQUEZ', 'REYES', 'JIMENEZ', 'TORRES',
  'DIAZ', 'GUTIERREZ', 'RUIZ', 'MENDOZA', 'AGUILAR', 'ORTIZ', 'MORENO', 'CASTILLO', 'ROMERO',
  'ALVAREZ', 'MENDEZ', 'CHAVEZ', 'RIVERA', 'JUAREZ', 'RAMOS', 'DOMINGUEZ', 'HERRERA', 'MEDINA',
  'CASTRO', 'VARGAS', 'GUZMAN', 'VELAZQUEZ', 'ROJAS', 'CONTRERAS', 'SALAZAR', 'LUNA',
  'ORTEGA', 'SANTIAGO', 'GUERRERO', 'ESTRADA', 'BAUTISTA', 'CORTES', 'SOTO', 'ALVARADO',
  'ESPINOZA', 'LARA', 'AVILA', 'RIOS', 'CERVANTES', 'SILVA', 'DELGADO', 'VEGA', 'MARQUEZ',
  'SANDOVAL', 'FERNANDEZ', 'LEON', 'CARRILLO', 'MEJIA', 'SOLIS', 'ROSAS', 'CAMACHO',
  'VALDEZ', 'OCHOA', 'IBARRA', 'ZAMORA', 'ESCOBAR', 'TREJO', 'PACHECO', 'QUINTERO',
  'VILLANUEVA', 'ZUÑIGA', 'NUÑEZ', 'MUÑOZ', 'IBAÑEZ', 'PEÑA', 'CASTAÑEDA', 'OLIVARES',
  'ACOSTA', 'BECERRA', 'ZAVALA', 'UREÑA', 'YAÑEZ', 'OROZCO', 'ÑECO', 'EUAN', 'UC',
];
/** Surnames with particles, which RENAPO skips when building the CURP. */
const PARTICLE_SURNAMES = ['DE LA CRUZ', 'DEL RIO', 'DE LA ROSA', 'DE LEON', 'DE LOS SANTOS', 'DE LA TORRE', 'DEL VALLE', 'DE LA GARZA'];

const MALE_NAMES = [
  'JOSE', 'JUAN', 'LUIS', 'CARLOS', 'JESUS', 'MIGUEL', 'FRANCISCO', 'ALEJANDRO', 'ANTONIO',
  'PEDRO', 'RICARDO', 'JORGE', 'FERNANDO', 'ROBERTO', 'EDUARDO', 'RAFAEL', 'DANIEL', 'SERGIO',
  'ARTURO', 'MANUEL', 'JAVIER', 'RAUL', 'OSCAR', 'HECTOR', 'ALBERTO', 'MARIO', 'ENRIQUE',
  'IVAN', 'DIEGO', 'SANTIAGO', 'EMILIANO', 'MATEO', 'SEBASTIAN', 'LEONARDO', 'ADRIAN', 'UBALDO',
  'IGNACIO', 'GERARDO', 'ERNESTO', 'ANGEL', 'OMAR', 'ISMAEL', 'ULISES', 'EFRAIN', 'NOE',
];
const MALE_COMPOUND = ['JOSE LUIS', 'JUAN CARLOS', 'JOSE ANTONIO', 'JUAN MANUEL', 'LUIS ANGEL', 'JOSE DE JESUS', 'MIGUEL ANGEL', 'JUAN PABLO', 'JOSE MARIA', 'CARLOS ALBERTO'];
const FEMALE_NAMES = [
  'MARIA', 'GUADALUPE', 'ROSA', 'ANA', 'JUANA', 'VERONICA', 'LETICIA', 'PATRICIA', 'ELIZABETH',
  'ALEJANDRA', 'GABRIELA', 'MARTHA', 'CLAUDIA', 'ADRIANA', 'SILVIA', 'LAURA', 'KARLA', 'DANIELA',
  'FERNANDA', 'XIMENA', 'SOFIA', 'VALERIA', 'REGINA', 'CAMILA', 'ANDREA', 'IRMA', 'ESPERANZA',
  'LOURDES', 'BEATRIZ', 'YOLANDA', 'NORMA', 'ERIKA', 'MONICA', 'LILIANA', 'ITZEL', 'AURORA',
  'ISABEL', 'OFELIA', 'URSULA', 'ESTHER', 'AIDA', 'AMPARO',
];
const FEMALE_COMPOUND = ['MARIA GUADALUPE', 'MARIA FERNANDA', 'MARIA DEL CARMEN', 'MARIA JOSE', 'ANA LAURA', 'MARIA ELENA', 'ROSA MARIA', 'MARIA DE LOURDES', 'ANA KAREN', 'MARIA ISABEL'];

// ---------------------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pickSurname(rng: Rng): string {
  return rng.chance(0.06) ? rng.pick(PARTICLE_SURNAMES) : rng.pick(SURNAMES);
}

function pickGiven(rng: Rng, sex: Sex): string {
  const compound = rng.chance(0.35);
  if (sex === 'H') {
    if (compound) return rng.pick(MALE_COMPOUND);
    return rng.chance(0.15) ? `${rng.pick(MALE_NAMES)} ${rng.pick(MALE_NAMES)}` : rng.pick(MALE_NAMES);
  }
  if (compound) return rng.pick(FEMALE_COMPOUND);
  return rng.chance(0.15) ? `${rng.pick(FEMALE_NAMES)} ${rng.pick(FEMALE_NAMES)}` : rng.pick(FEMALE_NAMES);
}


/** MRZ name field: spaces → `<`, Ñ → N, accents stripped, padded or cut to 30 (ICAO 9303 §4.6). */
export function mrzName(paterno: string, materno: string, given: string): string {
  const clean = (s: string): string =>
    s
      .toUpperCase()
      .replace(/Ñ/g, 'N')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Z ]/g, ' ')
      .trim()
      .replace(/\s+/g, '<');
  const surnames = materno ? `${clean(paterno)}<${clean(materno)}` : clean(paterno);
  const raw = `${surnames}<<${clean(given)}`;
  return raw.slice(0, 30).padEnd(30, '<');
}

/** The three TD1 MRZ lines of an INE card (ine-formats.md §2). */
export function buildMrz(c: {
  cic: string;
  section: string;
  citizenId: string;
  birth: { year: number; month: number; day: number };
  sex: Sex;
  validUntil: number;
  emission: string;
  mrzSerial: string;
  paterno: string;
  materno: string;
  given: string;
}): [string, string, string] {
  const l1 = `IDMEX${c.cic}${icaoCheckDigit(c.cic)}<<${c.section}${c.citizenId}`;
  const dob = pad(c.birth.year % 100, 2) + pad(c.birth.month, 2) + pad(c.birth.day, 2);
  const exp = `${pad(c.validUntil % 100, 2)}1231`;
  const l2head = `${dob}${icaoCheckDigit(dob)}${c.sex}${exp}${icaoCheckDigit(exp)}MEX<${c.emission}<<${c.mrzSerial}<`;
  // Composite over the standard TD1 ranges: L1[5:30] + L2[0:7] + L2[8:15] + L2[18:29].
  const composite = icaoCheckDigit(l1.slice(5, 30) + l2head.slice(0, 7) + l2head.slice(8, 15) + l2head.slice(18, 29));
  const l2 = `${l2head}${composite}`;
  const l3 = mrzName(c.paterno, c.materno, c.given);
  return [l1, l2, l3];
}

export function buildCurp(c: {
  paterno: string;
  materno: string;
  given: string;
  birth: { year: number; month: number; day: number };
  sex: Sex;
  birthState: MexicanState;
  homonymy: string;
}): string {
  const key = curpNameKey(c.paterno, c.materno, c.given);
  const first17 =
    key.initials +
    pad(c.birth.year % 100, 2) +
    pad(c.birth.month, 2) +
    pad(c.birth.day, 2) +
    c.sex +
    c.birthState.curp +
    key.consonants +
    c.homonymy;
  return first17 + String(curpCheckDigit(first17));
}

/** Issue-year range of each model (ine-formats.md §1: E from 2014, F from 2016, G/H from Dec 2019). */
const ISSUE_YEARS: Readonly<Record<CardModel, readonly [number, number]>> = {
  E: [2014, 2019],
  F: [2016, 2019],
  G: [2019, 2024],
  H: [2019, 2024],
};

export function generateIdentity(rng: Rng, opts: IdentityOptions = {}): SyntheticCard {
  const model = opts.model ?? rng.pick(CARD_MODELS);
  const [issueMin, issueMax] = ISSUE_YEARS[model];
  const issueYear = rng.int(issueMin, issueMax);
  // Adults only; about a third born in 2000 or later when the issue year allows, so both CURP
  // homonymy forms (digit / letter) are well represented.
  const latestBirthYear = Math.min(2007, issueYear - 18);
  const year =
    latestBirthYear >= 2000 && rng.chance(0.35) ? rng.int(2000, latestBirthYear) : rng.int(1940, Math.min(1999, latestBirthYear));
  const month = rng.int(1, 12);
  const day = rng.int(1, daysInMonth(year, month));
  const birth = { year, month, day };
  const sex: Sex = rng.chance(0.5) ? 'H' : 'M';
  const birthState = rng.pick(STATES);
  const residenceState = rng.chance(0.7) ? birthState : rng.pick(STATES);

  const paterno = pickSurname(rng);
  let materno = rng.chance(0.03) ? '' : pickSurname(rng);
  if (materno === paterno && rng.chance(0.8)) materno = pickSurname(rng);
  const given = pickGiven(rng, sex);

  const homonymy = year < 2000 ? String(rng.int(0, 9)) : rng.pick([...'ABCDEFGHIJ']);
  const curp = buildCurp({ paterno, materno, given, birth, sex, birthState, homonymy });
  const yymmdd = pad(year % 100, 2) + pad(month, 2) + pad(day, 2);
  const clave = claveNameKey(paterno, materno, given) + yymmdd + birthState.inegi + sex + pad(rng.int(0, 999), 3);

  const registrationYear = rng.int(Math.max(year + 18, 1991), issueYear);
  const emission = pad(rng.pick([0, 0, 1, 1, 1, 2, 2, 3, 4, 5]), 2);
  const section = pad(rng.int(1, 6200), 4);
  const citizenId = rng.digits(9);
  const cic = pad(rng.int(1, 999_999_999), 9);
  const validUntil = issueYear + 10;
  // The original address is always drawn, so the draws after it stay where they were.
  const base = addressLines(rng, residenceState);
  const { lines: address, postalCode } = opts.addressRng ? printedAddress(opts.addressRng, residenceState) : base;
  const municipalityCode = pad(rng.int(1, 125), 3);
  const localityCode = pad(rng.chance(0.6) ? 1 : rng.int(2, 400), 4);
  const mrz = buildMrz({
    cic, section, citizenId, birth, sex, validUntil, emission, mrzSerial: rng.digits(5), paterno, materno, given,
  });

  return {
    model, paterno, materno, given, sex, birth, birthState, residenceState, curp, clave,
    registrationYear, emission, section, citizenId, cic, issueYear, validUntil, address,
    postalCode, municipalityCode, localityCode, mrz,
  };
}

/** Date of birth as printed on the front: DD/MM/YYYY. */
export function formatDob(c: SyntheticCard): string {
  return `${pad(c.birth.day, 2)}/${pad(c.birth.month, 2)}/${c.birth.year}`;
}

export const isOldModel = (m: CardModel): boolean => m === 'E' || m === 'F';

/** The truth record the extractor should produce for this card. */
export function truthFields(c: SyntheticCard): CardFields {
  const f = emptyFields();
  const old = isOldModel(c.model);
  f.name = c.given;
  f.firstLastName = c.paterno;
  f.secondLastName = c.materno;
  [f.addressLine1, f.addressLine2, f.addressLine3] = c.address;
  f.electoralId = c.clave;
  f.issueNumber = c.emission;
  f.curp = c.curp;
  f.dateOfBirth = formatDob(c);
  f.sex = c.sex;
  f.expirationDate = String(c.validUntil);
  [f.mz1, f.mz2, f.mz3] = c.mrz;
  f.idMex = c.cic;
  f.idNumber = c.section + c.citizenId;
  f.cardModel = c.model;
  f.section = c.section;
  f.citizenId = c.citizenId;
  f.registrationYear = String(c.registrationYear);
  f.validFrom = old ? '' : String(c.issueYear);
  f.emissionYear = old ? String(c.issueYear) : '';
  f.stateCode = old ? c.residenceState.inegi : '';
  f.municipalityCode = old ? c.municipalityCode : '';
  f.localityCode = old ? c.localityCode : '';
  f.postalCode = c.postalCode;
  return f;
}
