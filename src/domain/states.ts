/**
 * Mexican state code tables used by CURP, clave de elector and the E/F front.
 * Sources: RENAPO CURP instructivo (two-letter codes, NE = born abroad);
 * INEGI Marco Geoestadístico CVE_ENT (01–32) used by the clave de elector and ESTADO field.
 */

export interface MexicanState {
  /** INEGI CVE_ENT, two digits. */
  readonly inegi: string;
  /** RENAPO CURP code. */
  readonly curp: string;
  readonly name: string;
  /** Abbreviation commonly printed at the end of the DOMICILIO block. */
  readonly abbr: string;
}

export const STATES: readonly MexicanState[] = [
  { inegi: '01', curp: 'AS', name: 'AGUASCALIENTES', abbr: 'AGS.' },
  { inegi: '02', curp: 'BC', name: 'BAJA CALIFORNIA', abbr: 'B.C.' },
  { inegi: '03', curp: 'BS', name: 'BAJA CALIFORNIA SUR', abbr: 'B.C.S.' },
  { inegi: '04', curp: 'CC', name: 'CAMPECHE', abbr: 'CAMP.' },
  { inegi: '05', curp: 'CL', name: 'COAHUILA', abbr: 'COAH.' },
  { inegi: '06', curp: 'CM', name: 'COLIMA', abbr: 'COL.' },
  { inegi: '07', curp: 'CS', name: 'CHIAPAS', abbr: 'CHIS.' },
  { inegi: '08', curp: 'CH', name: 'CHIHUAHUA', abbr: 'CHIH.' },
  { inegi: '09', curp: 'DF', name: 'CIUDAD DE MEXICO', abbr: 'CDMX' },
  { inegi: '10', curp: 'DG', name: 'DURANGO', abbr: 'DGO.' },
  { inegi: '11', curp: 'GT', name: 'GUANAJUATO', abbr: 'GTO.' },
  { inegi: '12', curp: 'GR', name: 'GUERRERO', abbr: 'GRO.' },
  { inegi: '13', curp: 'HG', name: 'HIDALGO', abbr: 'HGO.' },
  { inegi: '14', curp: 'JC', name: 'JALISCO', abbr: 'JAL.' },
  { inegi: '15', curp: 'MC', name: 'MEXICO', abbr: 'MEX.' },
  { inegi: '16', curp: 'MN', name: 'MICHOACAN', abbr: 'MICH.' },
  { inegi: '17', curp: 'MS', name: 'MORELOS', abbr: 'MOR.' },
  { inegi: '18', curp: 'NT', name: 'NAYARIT', abbr: 'NAY.' },
  { inegi: '19', curp: 'NL', name: 'NUEVO LEON', abbr: 'N.L.' },
  { inegi: '20', curp: 'OC', name: 'OAXACA', abbr: 'OAX.' },
  { inegi: '21', curp: 'PL', name: 'PUEBLA', abbr: 'PUE.' },
  { inegi: '22', curp: 'QT', name: 'QUERETARO', abbr: 'QRO.' },
  { inegi: '23', curp: 'QR', name: 'QUINTANA ROO', abbr: 'Q. ROO' },
  { inegi: '24', curp: 'SP', name: 'SAN LUIS POTOSI', abbr: 'S.L.P.' },
  { inegi: '25', curp: 'SL', name: 'SINALOA', abbr: 'SIN.' },
  { inegi: '26', curp: 'SR', name: 'SONORA', abbr: 'SON.' },
  { inegi: '27', curp: 'TC', name: 'TABASCO', abbr: 'TAB.' },
  { inegi: '28', curp: 'TS', name: 'TAMAULIPAS', abbr: 'TAMPS.' },
  { inegi: '29', curp: 'TL', name: 'TLAXCALA', abbr: 'TLAX.' },
  { inegi: '30', curp: 'VZ', name: 'VERACRUZ', abbr: 'VER.' },
  { inegi: '31', curp: 'YN', name: 'YUCATAN', abbr: 'YUC.' },
  { inegi: '32', curp: 'ZS', name: 'ZACATECAS', abbr: 'ZAC.' },
];

/** INEGI CVE_ENT codes, as ESTADO prints them on the E/F front. */
export const INEGI_STATE_CODES: ReadonlySet<string> = new Set(STATES.map((s) => s.inegi));

/** CURP state codes, including NE (nacido en el extranjero). */
export const CURP_STATE_CODES: ReadonlySet<string> = new Set([...STATES.map((s) => s.curp), 'NE']);

/** Clave de elector state codes: INEGI 01–32 plus 87/88 (born abroad / naturalised). */
export const CLAVE_STATE_CODES: ReadonlySet<string> = new Set([...INEGI_STATE_CODES, '87', '88']);

/**
 * Words that positions 1–4 of a CURP may not spell; RENAPO replaces the 2nd character by X.
 * The 81-word list of python-stdnum `_name_blacklist` / validate-curp `forbiddenWords.json`.
 */
export const CURP_INCONVENIENT_WORDS: ReadonlySet<string> = new Set(
  (
    'BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO ' +
    'FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI ' +
    'KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA ' +
    'MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO ' +
    'TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY'
  ).split(' '),
);
