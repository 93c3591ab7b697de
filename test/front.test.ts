/**
 * Front extractor on hand-built OCR results: labels found by their letters (misread,
 * unaccented, merged with the value), values found right of or below the label, typed.
 */
import { describe, expect, it } from 'vitest';
import { extractFront, splitGluedLabels } from '../src/extract/front.ts';
import { codesBySection } from '../src/extract/front-rows.ts';
import { asDigits, parseDateText } from '../src/extract/front-values.ts';
import { approxFind } from '../src/extract/words.ts';
import { ocrOf } from './ocr-builder.ts';
import type { OcrResult } from '../src/engines/types.ts';

/** A word as recorded from an engine's page: text, confidence, x0, y0, x1, y1. */
type RecordedWord = [string, number, number, number, number, number];

/** An OCR page from recorded lines of words. */
function recordedPage(page: readonly RecordedWord[][], width: number, height: number): OcrResult {
  const lines = page.map((ws) => {
    const words = ws.map(([text, confidence, x0, y0, x1, y1]) => ({ text, confidence, bbox: { x0, y0, x1, y1 } }));
    const bbox = { x0: words[0]!.bbox.x0, y0: Math.min(...words.map((w) => w.bbox.y0)), x1: words[words.length - 1]!.bbox.x1, y1: Math.max(...words.map((w) => w.bbox.y1)) };
    return { text: ws.map((w) => w[0]).join(' '), confidence: 90, bbox, words };
  });
  return { text: lines.map((l) => l.text).join('\n'), lines, width, height, confidence: 90 };
}

describe('parseDateText', () => {
  it.each([
    ['07/03/1957', '07/03/1957'],
    ['07 /03/ 1957', '07/03/1957'],
    ['O7/O3/1957', '07/03/1957'],
    ['07103/1957', '07/03/1957'], // a slash read as 1
    ['0710311957', '07/03/1957'], // both slashes read as 1
    ['07031957', '07/03/1957'], // slashes lost
    ['32/01/1990', undefined], // no such day
    ['07/13/1990', undefined], // no such month
    ['SECCION', undefined],
  ])('%s → %s', (raw, want) => {
    expect(parseDateText(raw)).toBe(want);
  });
});

describe('asDigits', () => {
  it.each([
    ['O9I6', '0916'],
    ['S4B9', '5489'],
    ['2O19', '2019'],
    ['ABC', '48'], // only look-alikes survive (A: OCR-B's 4, one look-alike table for every parser): the caller checks the length
    ['XKC', ''],
  ])('%s → %s', (raw, want) => {
    expect(asDigits(raw)).toBe(want);
  });
});

describe('approxFind', () => {
  it('finds a label with one wrong letter inside a longer text', () => {
    expect(approxFind('DOMICILIO', 'XXDOMIC1LIOYY')).toMatchObject({ dist: 1, start: 2, end: 11 });
  });
});

/** A G/H-like arrangement: labels above values, CLAVE and CURP inline. */
const GH = ocrOf([
  { x: 420, y: 30, text: 'INSTITUTO NACIONAL ELECTORAL' },
  { x: 420, y: 70, text: 'CREDENCIAL PARA VOTAR', h: 16 },
  { x: 330, y: 140, text: 'NOMBRE', h: 14 },
  { x: 330, y: 165, text: 'SALAZAR' },
  { x: 850, y: 170, text: 'SEXO', h: 14 },
  { x: 910, y: 165, text: 'M' },
  { x: 330, y: 195, text: 'GUTIERREZ' },
  { x: 330, y: 225, text: 'CLAUDIA' },
  { x: 330, y: 270, text: 'DOMICILIO', h: 14 },
  { x: 330, y: 295, text: 'C CUAUHTEMOC 3830' },
  { x: 330, y: 325, text: 'U HAB ROMA NORTE 35683' },
  { x: 330, y: 355, text: 'GOMEZ PALACIO, DGO.' },
  { x: 330, y: 405, text: 'CLAVE DE ELECTOR', h: 14 },
  { x: 500, y: 400, text: 'SLGTCL57030710M178' },
  { x: 330, y: 440, text: 'CURP', h: 14 },
  { x: 380, y: 435, text: 'SAGC570307MDGLTL96' },
  { x: 700, y: 440, text: 'AÑO DE REGISTRO', h: 14 },
  { x: 880, y: 435, text: '2007 01' },
  { x: 330, y: 480, text: 'FECHA DE NACIMIENTO', h: 14 },
  { x: 545, y: 480, text: 'SECCIÓN', h: 14 },
  { x: 650, y: 480, text: 'VIGENCIA', h: 14 },
  { x: 330, y: 505, text: '07/03/1957' },
  { x: 545, y: 505, text: '5409' },
  { x: 650, y: 505, text: '2023 - 2033' },
]);

describe('extractFront', () => {
  it('reads a G/H arrangement', () => {
    const f = extractFront(GH);
    expect(f).toMatchObject({
      nameLines: ['SALAZAR', 'GUTIERREZ', 'CLAUDIA'],
      addressLines: ['C CUAUHTEMOC 3830', 'U HAB ROMA NORTE 35683', 'GOMEZ PALACIO, DGO.'],
      clave: 'SLGTCL57030710M178',
      curp: 'SAGC570307MDGLTL96',
      dateOfBirth: '07/03/1957',
      sex: 'M',
      section: '5409',
      validFrom: '2023',
      validTo: '2033',
      registrationYear: '2007',
      issueNumber: '01',
    });
    expect(f.labels).toEqual(expect.arrayContaining(['nombre', 'domicilio', 'clave', 'curp', 'credencial']));
  });

  it('reads an E/F arrangement with labels before values on one row, unaccented and misread', () => {
    const f = extractFront(
      ocrOf([
        { x: 330, y: 140, text: 'NOMBRE', h: 14 },
        { x: 330, y: 165, text: 'GUERRERO' },
        { x: 330, y: 195, text: 'MUÑOZ' },
        { x: 330, y: 225, text: 'OMAR' },
        { x: 700, y: 140, text: 'FECHA DE NACIMlENTO', h: 14 },
        { x: 700, y: 165, text: '13/12/1954' },
        { x: 330, y: 270, text: 'D0MICILIO', h: 14 },
        { x: 330, y: 295, text: 'C REFORMA 38' },
        { x: 330, y: 325, text: 'BARRIO SANTA CRUZ 77601' },
        { x: 330, y: 355, text: 'SOLIDARIDAD, Q. ROO' },
        { x: 330, y: 405, text: 'CLAVEDE ELECTOR', h: 14 },
        { x: 500, y: 400, text: 'GRMXOM54121323H333' },
        { x: 330, y: 440, text: 'ESTADO', h: 14 },
        { x: 400, y: 435, text: '23' },
        { x: 450, y: 440, text: 'MUNICIPIO', h: 14 },
        { x: 560, y: 435, text: 'O70' },
        { x: 620, y: 440, text: 'SECCION', h: 14 },
        { x: 710, y: 435, text: '0916' },
        { x: 780, y: 440, text: 'LOCALIDAD', h: 14 },
        { x: 890, y: 435, text: '0001' },
        { x: 330, y: 470, text: 'EMISION', h: 14 },
        { x: 420, y: 465, text: '2016' },
        { x: 500, y: 470, text: 'VIGENCIA', h: 14 },
        { x: 600, y: 465, text: '2026' },
      ]),
    );
    expect(f).toMatchObject({
      nameLines: ['GUERRERO', 'MUÑOZ', 'OMAR'],
      dateOfBirth: '13/12/1954',
      clave: 'GRMXOM54121323H333',
      stateCode: '23',
      municipalityCode: '070',
      section: '0916',
      localityCode: '0001',
      emissionYear: '2016',
      validTo: '2026',
      validFrom: '',
    });
  });

  it('takes the value glued to its label by the OCR', () => {
    const f = extractFront(ocrOf([{ x: 100, y: 100, text: 'CURPSAGC570307MDGLTL96', h: 20 }]));
    expect(f.curp).toBe('SAGC570307MDGLTL96');
  });

  it('splits a label glued to its digits, its O read as 0 (a detector that runs words together)', () => {
    const f = extractFront(
      ocrOf([
        { x: 330, y: 405, text: 'CURP COVM690511MDFRLN10 AN0 DE REGISTR02006 01' },
        { x: 330, y: 440, text: 'ESTAD009 MUNICIPI0059 SECCI0N 1208' },
        { x: 330, y: 470, text: 'EMISI0N2019 VIGENCIA 2029' },
      ]),
    );
    expect(f).toMatchObject({ registrationYear: '2006', stateCode: '09', municipalityCode: '059', section: '1208', emissionYear: '2019', validTo: '2029' });
  });

  it.each(['MORELOS2019', 'C0L0NIA 2019', 'EST4D009'])('leaves %s as read: no label glued to digits', (text) => {
    const words = splitGluedLabels(ocrOf([{ x: 10, y: 10, text }]).lines.flatMap((l) => l.words.map((w, index) => ({ ...w, index }))));
    expect(words.map((w) => w.text).join(' ')).toBe(text);
  });

  it('accepts a value only when it fits the field type', () => {
    // "ESTADO DE MEXICO" in an address is not the ESTADO field.
    const f = extractFront(
      ocrOf([
        { x: 330, y: 270, text: 'DOMICILIO', h: 14 },
        { x: 330, y: 295, text: 'COL ESTADO DE MEXICO 57000' },
      ]),
    );
    expect(f.stateCode).toBe('');
    expect(f.addressLines).toEqual(['COL ESTADO DE MEXICO 57000']);
  });

  it('a 0 ending a word of letters is its O; numbers keep their 0', () => {
    // Recorded (hard eval, seed 31, sheen): the O's of FRANCISCO and MADERO washed out to 0.
    const f = extractFront(
      ocrOf([
        { x: 330, y: 270, text: 'DOMICILIO', h: 14 },
        { x: 330, y: 295, text: 'C NOGAL 10 INT 20' },
        { x: 330, y: 320, text: 'FRACC FRANCISC0 I MADER0 77870' },
      ]),
    );
    expect(f.addressLines).toEqual(['C NOGAL 10 INT 20', 'FRACC FRANCISCO I MADERO 77870']);
  });

  it('finds nothing on text that is not a card', () => {
    const f = extractFront(ocrOf([{ x: 10, y: 10, text: 'INVOICE NUMBER 4471' }, { x: 10, y: 50, text: 'TOTAL DUE 1250.00' }]));
    expect(f.labels).toEqual([]);
    expect(f.curp).toBe('');
  });
});

describe('labels read with an extra letter', () => {
  it('CURRP: no label letters are left on the value', () => {
    const f = extractFront(ocrOf([{ x: 100, y: 100, text: 'curRP ROPC520412MCSMCL78', h: 20 }]));
    expect(f.curp).toBe('ROPC520412MCSMCL78');
  });
});

describe('a front whose labels were not read (small pale print lost on a photo)', () => {
  // The address block and the two codes of an E/F and of a G/H card, labels lost.
  const EF_CODES = [
    { x: 330, y: 295, text: 'C REFORMA 38' },
    { x: 330, y: 325, text: 'BARRIO SANTA CRUZ 77601' },
    { x: 330, y: 355, text: 'SOLIDARIDAD, Q. ROO' },
    { x: 500, y: 400, text: 'GRMXOM54121323H333' },
    { x: 400, y: 435, text: 'GUMO541213HQRRXM09' },
  ];
  const GH_CODES = [
    { x: 330, y: 295, text: 'C CUAUHTEMOC 3830' },
    { x: 330, y: 325, text: 'U HAB ROMA NORTE 35683' },
    { x: 330, y: 355, text: 'GOMEZ PALACIO, DGO.' },
    { x: 500, y: 400, text: 'SLGTCL57030710M178' },
    { x: 400, y: 435, text: 'SAGC570307MDGLTL96' },
  ];

  it('E/F: blocks from the row order above the clave, numbers from the runs of digits below the CURP', () => {
    const f = extractFront(
      ocrOf([
        { x: 300, y: 30, text: 'INSTITUTO NACIONAL ELECTORAL' },
        { x: 330, y: 165, text: 'GUERRERO' },
        { x: 330, y: 195, text: 'MUÑOZ' },
        { x: 330, y: 225, text: 'OMAR' },
        { x: 700, y: 165, text: '13/12/1954' },
        { x: 880, y: 165, text: 'H' },
        ...EF_CODES,
        { x: 700, y: 435, text: '2009 03' },
        { x: 400, y: 470, text: '23' },
        { x: 560, y: 470, text: '070' },
        { x: 710, y: 470, text: '0916' },
        { x: 860, y: 470, text: '0001' },
        { x: 420, y: 505, text: '2016' },
        { x: 600, y: 505, text: '2026' },
      ]),
    );
    expect(f).toMatchObject({
      nameLines: ['GUERRERO', 'MUÑOZ', 'OMAR'],
      addressLines: ['C REFORMA 38', 'BARRIO SANTA CRUZ 77601', 'SOLIDARIDAD, Q. ROO'],
      dateOfBirth: '13/12/1954',
      sex: 'H',
      registrationYear: '2009',
      issueNumber: '03',
      stateCode: '23',
      municipalityCode: '070',
      section: '0916',
      localityCode: '0001',
      emissionYear: '2016',
      validTo: '2026',
    });
    // Where the blocks are, from their own rows, so the reader re-reads them as when labelled.
    expect(f.zones.name?.y0).toBeLessThanOrEqual(165);
    expect(f.zones.name?.y1).toBeGreaterThanOrEqual(225);
    expect(f.zones.name?.y1).toBeLessThan(295);
    expect(f.zones.address?.y0).toBeGreaterThan(225);
    expect(f.zones.address?.y1).toBeGreaterThanOrEqual(355);
    expect(f.zones.address?.y1).toBeLessThan(400);
    expect(f.boxes.nameLines).toHaveLength(3);
  });

  it('NOMBRE lost, DOMICILIO read at value size: the name block stops at the DOMICILIO row', () => {
    // Recorded shape from a phone photo (PP-OCR): NOMBRE read NONERE (two edits: not a label),
    // DOMICILIO read DOMCILO and boxed as tall as the values around it.
    const f = extractFront(
      ocrOf([
        { x: 300, y: 30, text: 'INSTITUTO NACIONAL ELECTORAL' },
        { x: 330, y: 140, text: 'NONERE', h: 14 },
        { x: 330, y: 165, text: 'CERVANTES' },
        { x: 330, y: 195, text: 'MENDEZ' },
        { x: 330, y: 225, text: 'ANA LAURA' },
        { x: 330, y: 255, text: 'DOMCILO' },
        { x: 330, y: 285, text: 'C REFORMA 38' },
        { x: 330, y: 315, text: 'BARRIO SANTA CRUZ 77601' },
        { x: 330, y: 345, text: 'SOLIDARIDAD, Q. ROO' },
        ...EF_CODES.slice(3),
      ]),
    );
    expect(f.nameLines).toEqual(['CERVANTES', 'MENDEZ', 'ANA LAURA']);
    expect(f.addressLines).toEqual(['C REFORMA 38', 'BARRIO SANTA CRUZ 77601', 'SOLIDARIDAD, Q. ROO']);
  });

  it('motion blur: NOMBRE and DOMICILIO read at value size, two rows more above the clave than two blocks print — NOMBRE\'s place and DOMICILIO\'s go', () => {
    // Recorded (PP-OCR on the deblurred flat card, motion eval seed 7, card 17; words as
    // [text, confidence, x0, y0, x1, y1]): NOMBRE read NOHERE (confidence 77, as tall as the
    // values), DOMICILIO DOvO (47); no label found. The walk up from the clave had closed the
    // address at three lines and the names at three (FLORES, MARIA GUADALUPE, DOvO), ALWAREZ and
    // NOHERE left above them.
    const page: RecordedWord[][] = [
      [['MEXICO', 99, 212, 33, 423, 91]],
      [['NSTITUTO', 94, 573, 40, 771, 87], ['NACIONAL', 98, 778, 43, 991, 89], ['ELECTORAL', 98, 998, 45, 1240, 91]],
      [['CREDENCIAL', 92, 563, 104, 777, 145], ['PARA', 98, 790, 106, 875, 147], ['VOTAR', 94, 887, 108, 998, 148]],
      [['NOHERE', 77, 504, 190, 618, 236]],
      [['FHDAO', 69, 1125, 207, 1438, 248], ['XO', 42, 1464, 209, 1524, 249]],
      [['ALWAREZ', 94, 506, 237, 678, 279]],
      [['08/06/1967', 99, 1128, 249, 1342, 289]],
      [['M', 99, 1443, 254, 1498, 293]],
      [['FLORES', 99, 507, 285, 646, 327]],
      [['MARIA', 99, 512, 334, 621, 378], ['GUADALUPE', 97, 643, 334, 870, 378]],
      [['DOvO', 47, 492, 397, 633, 431]],
      [['CION', 98, 500, 440, 593, 480], ['ALAMOS', 99, 607, 440, 767, 480], ['191', 99, 780, 440, 854, 480]],
      [['COL', 99, 501, 484, 573, 528], ['EJI0AL', 89, 587, 485, 709, 529], ['81743', 99, 722, 486, 844, 530]],
      [['MAZOTLAN,', 93, 501, 535, 728, 579], ['SIN.', 96, 735, 535, 816, 579]],
      [['CE', 79, 490, 597, 574, 643], ['DE', 53, 574, 597, 620, 643], ['ECI0R', 43, 620, 598, 735, 644], ['ALFLMR67060825M294', 97, 750, 599, 1202, 648]],
      [['AAFG670608MSLLLD70', 92, 573, 650, 1031, 705], ['A0E', 60, 1055, 656, 1162, 706], ['ATR0', 54, 1161, 657, 1292, 708], ['1991', 96, 1300, 659, 1399, 709], ['03', 98, 1414, 660, 1464, 710]],
      [['0', 49, 564, 706, 595, 751], ['25', 93, 602, 706, 655, 752], ['#092', 80, 692, 707, 924, 754], ['#3627', 86, 962, 710, 1187, 757]],
      [['OAUD', 56, 1237, 717, 1341, 757], ['0O01', 67, 1386, 718, 1484, 758]],
      [['2016', 92, 610, 759, 706, 807], ['2026', 95, 882, 757, 978, 805]],
    ];
    const f = extractFront(recordedPage(page, 1600, 1009));
    expect(f.nameLines).toEqual(['ALWAREZ', 'FLORES', 'MARIA GUADALUPE']);
    expect(f.addressLines).toEqual(['CION ALAMOS 191', 'COL EJIOAL 81743', 'MAZOTLAN, SIN.']);
  });

  it('small card: DOMICILIO read at value size, the first surname left above two full blocks — DOMICILIO\'s place goes, read with less confidence than NOMBRE\'s', () => {
    // Recorded (PP-OCR, hard eval seed 31, small, card 46): DOMICILIO read DCNRCAG (51) and
    // taken for the third name line; FLORES (87) left above the name block; NOMBRE not read.
    const page: RecordedWord[][] = [
      [['MEXICO', 99, 200, 60, 401, 118]],
      [['INSTITUTO', 99, 592, 55, 811, 100], ['NACIONAL', 100, 832, 52, 1054, 97], ['ELECTORAL', 99, 1068, 49, 1326, 95]],
      [['CREDENCIAL', 96, 595, 117, 829, 158], ['PARA', 97, 842, 115, 940, 155], ['VOTAR', 99, 952, 113, 1076, 154]],
      [['3', 80, 1178, 195, 1363, 231]],
      [['8', 7, 1482, 203, 1516, 218]],
      [['FLORES', 87, 459, 249, 565, 290]],
      [['03/11/1970', 86, 1179, 237, 1351, 283]],
      [['96', 36, 1459, 241, 1494, 277]],
      [['OIRTIZ', 79, 460, 300, 538, 344]],
      [['AORICRA', 75, 465, 351, 576, 401]],
      [['DCNRCAG', 51, 464, 423, 578, 460]],
      [['C', 95, 464, 473, 486, 515], ['INDEPENCENCIA', 75, 485, 469, 730, 515], ['NO.EXT', 90, 737, 467, 856, 511], ['1520', 63, 863, 466, 940, 509], ['INT', 82, 940, 465, 996, 508]],
      [['FRACC', 95, 468, 524, 559, 565], ['MOCUSL', 88, 572, 522, 676, 563], ['ALEHAN', 85, 689, 520, 806, 561], ['3RA', 88, 819, 519, 878, 559], ['SECC', 91, 884, 517, 956, 558], ['6S434', 84, 962, 516, 1060, 557]],
      [['BAHGA', 69, 467, 577, 559, 620], ['DE', 94, 565, 576, 608, 619], ['BANCKRAS', 79, 614, 574, 769, 618], ['NRK', 52, 789, 572, 846, 615]],
      [['ECN', 39, 601, 640, 675, 681], ['FLORAR70120218M01', 69, 695, 635, 1042, 680]],
      [['004701202NTL31', 69, 567, 692, 904, 741], ['0', 54, 977, 690, 999, 735], ['20000', 85, 1174, 686, 1299, 732]],
      [['y', 26, 174, 749, 402, 835]],
      [['S', 51, 657, 752, 873, 800]],
      [['032', 61, 1031, 748, 1093, 789], ['0', 66, 1195, 748, 1216, 789], ['0001', 89, 1319, 748, 1392, 789]],
      [['2015', 72, 579, 813, 659, 857], ['2025', 83, 822, 808, 895, 852]],
    ];
    const f = extractFront(recordedPage(page, 1600, 1009));
    expect(f.nameLines).toEqual(['FLORES', 'OIRTIZ', 'AORICRA']);
    expect(f.addressLines).toEqual(['C INDEPENCENCIA NO. EXT 1520 INT', 'FRACC MOCUSL ALEHAN 3RA SECC 6S434', 'BAHGA DE BANCKRAS NRK']);
  });

  it('G/H under a glare: no label read, both codes cut short — the CURP found by its head, the clave row above it skipped', () => {
    // Recorded (PP-OCR, hard eval seed 7, sheen, card 59): NOMBRE read NOMBAK, DOMICILIO COECRUN,
    // CLAVE DE ELECTOR CUMDELECTOR with four letters of its value, the CURP's last four lost
    // under the glare; the sex H beside the first surname, printed smaller than it.
    const f = extractFront(
      ocrOf([
        { x: 440, y: 43, text: 'INSTITUTO NACIONAL ELECTORAL', h: 45 },
        { x: 440, y: 107, text: 'CREDENCIAL PARA VOTAR', h: 40 },
        { x: 430, y: 212, text: 'NOMBAK', h: 28 },
        { x: 430, y: 255, text: 'MEDINA', h: 44 },
        { x: 1080, y: 255, text: 'H', h: 27 },
        { x: 430, y: 308, text: 'FERNANDEZ', h: 48 },
        { x: 430, y: 357, text: 'JOSE ANTONIO', h: 50 },
        { x: 430, y: 439, text: 'COECRUN', h: 27 },
        { x: 430, y: 468, text: 'CALZ EMILIANO ZA', h: 43 },
        { x: 430, y: 519, text: 'FRACC INDEPENDE', h: 43 },
        { x: 430, y: 572, text: 'CHILPANCINGO DE', h: 42 },
        { x: 430, y: 638, text: 'CUMDELECTOR MDFR I S', h: 43 },
        { x: 430, y: 677, text: 'QMEFA991216HGRD', h: 46 },
        { x: 1000, y: 677, text: '2022 04', h: 46 },
        { x: 430, y: 768, text: 'FECHA TE KAG O NS', h: 28 },
        { x: 430, y: 795, text: '16/12/1999', h: 43 },
        { x: 700, y: 795, text: '0345', h: 43 },
        { x: 850, y: 795, text: '2024 2034', h: 43 },
      ], { width: 1400, height: 900 }),
    );
    expect(f).toMatchObject({
      nameLines: ['MEDINA', 'FERNANDEZ', 'JOSE ANTONIO'],
      addressLines: ['CALZ EMILIANO ZA', 'FRACC INDEPENDE', 'CHILPANCINGO DE'],
      dateOfBirth: '16/12/1999',
      curp: '',
      clave: '',
    });
  });

  it('a label read as a short low-confidence word at value size ends the name block (DOMICILIO read MaUD)', () => {
    // Recorded (PP-OCR, hard eval seed 31, jpeg, card 62): NOMBRE read NONMA, the sex beside the
    // first surname, DOMICILIO read MaUD at confidence 19 and boxed as tall as the values.
    const f = extractFront(
      ocrOf([
        { x: 440, y: 35, text: 'INSTITUTO NACIONAL ELECTORAL', h: 46 },
        { x: 440, y: 94, text: 'CREDENCIAL PARA VOTAR', h: 43 },
        { x: 441, y: 178, text: 'NONMA', h: 43, confidence: 61 },
        { x: 441, y: 208, text: 'ALVARADO', h: 46 },
        { x: 1000, y: 208, text: 'SEXO M', h: 30 },
        { x: 441, y: 269, text: 'VILLANUEVA', h: 43 },
        { x: 441, y: 314, text: 'MARIA ISABEL', h: 43 },
        { x: 441, y: 378, text: 'MaUD', h: 38, confidence: 19 },
        { x: 441, y: 409, text: 'C BENITO JUAREZ NO. EXT 3180 INT 7', h: 45 },
        { x: 441, y: 466, text: 'COL DEL VALLE 73174', h: 42 },
        { x: 441, y: 512, text: 'TEHUACAN, PUE.', h: 45 },
        { x: 441, y: 572, text: 'C LAVL DE ELECT0M ALVLMR96122929M052', h: 45 },
        { x: 441, y: 616, text: 'CUTP AAVI961229MTLLLS93 ANO DE REISTHO 201601', h: 55 },
        { x: 441, y: 721, text: '29/12/1996 2010 2021 2031', h: 47 },
      ], { width: 1400, height: 800 }),
    );
    expect(f.nameLines).toEqual(['ALVARADO', 'VILLANUEVA', 'MARIA ISABEL']);
    expect(f.addressLines).toEqual(['C BENITO JUAREZ NO. EXT 3180 INT 7', 'COL DEL VALLE 73174', 'TEHUACAN, PUE.']);
  });

  it('E/F: the number row read with garbled labels between its codes and look-alikes in them', () => {
    // Recorded shape from phone photos: LOCALIDAD read as a stray word, 0001 read as OOOL, 06 as O6,
    // EMISIÓN's last letter glued to its year as a 1.
    const f = extractFront(
      ocrOf([
        ...EF_CODES,
        { x: 400, y: 470, text: 'O6' },
        { x: 450, y: 470, text: 'municio', h: 14 },
        { x: 560, y: 470, text: '070' },
        { x: 620, y: 470, text: 'sección', h: 14 },
        { x: 710, y: 470, text: '0916' },
        { x: 780, y: 470, text: 'cocaunao', h: 14 },
        { x: 860, y: 470, text: 'OOOL' },
        { x: 420, y: 505, text: '12016' },
        { x: 500, y: 505, text: 'vicencia', h: 14 },
        { x: 600, y: 505, text: '2026' },
      ]),
    );
    expect(f).toMatchObject({ stateCode: '06', municipalityCode: '070', section: '0916', localityCode: '0001', emissionYear: '2016', validTo: '2026' });
  });

  it('E/F: the end of ESTADO read glued to its code (E24)', () => {
    // Recorded (PP-OCR, eval seed 101, a photo): the labels lost but an E before the state code.
    const f = extractFront(
      ocrOf([
        ...EF_CODES,
        { x: 400, y: 470, text: 'E24' },
        { x: 560, y: 470, text: '045' },
        { x: 710, y: 470, text: '0200' },
        { x: 860, y: 470, text: '0001' },
      ]),
    );
    expect(f).toMatchObject({ stateCode: '24', municipalityCode: '045', section: '0200', localityCode: '0001' });
  });

  it('an address block stops before a row holding a code (two address rows merged into one)', () => {
    // Recorded (hard eval, seed 7, moiré): the clave row read as the third address line.
    const f = extractFront(
      ocrOf([
        { x: 330, y: 120, text: 'NOMBRE', h: 14 },
        { x: 330, y: 140, text: 'RIVERA' },
        { x: 330, y: 165, text: 'LOPEZ' },
        { x: 330, y: 190, text: 'LETICIA' },
        { x: 330, y: 225, text: 'DOMICILIO', h: 14 },
        { x: 330, y: 250, text: 'BLVD COL INFONAVIT 5 DE 2A SECC 97971' },
        { x: 330, y: 275, text: 'KANASIN, YUC.' },
        { x: 330, y: 300, text: 'CLAVEDE RILL510822MYNVPT31 ELECTOR RVLPLT51082231M405' },
        { x: 330, y: 330, text: 'CURP RILL510822MYNVPT31' },
      ]),
    );
    expect(f.addressLines).toEqual(['BLVD COL INFONAVIT 5 DE 2A SECC 97971', 'KANASIN, YUC.']);
    // A line PP-OCR ran together up to its postal code is no code (regular eval seed 101, low resolution).
    const joined = extractFront(
      ocrOf([
        { x: 330, y: 225, text: 'DOMICILIO', h: 14 },
        { x: 330, y: 250, text: 'CDA VICENTE SUAREZ 100' },
        { x: 330, y: 275, text: 'COLSECTOR325673' },
        { x: 330, y: 300, text: 'TORREON, COAH.' },
        { x: 330, y: 330, text: 'CLAVE DE ELECTOR ALESMG48061726H029' },
      ]),
    );
    expect(joined.addressLines).toEqual(['CDA VICENTE SUAREZ 100', 'COLSECTOR325673', 'TORREON, COAH.']);
  });

  it('E/F: every label read glued to its value (a steep photo)', () => {
    // Recorded (hard eval, seed 31, perspective): ANODEA02009 04, TADO21 M094 CCN0355 LOCALAD 0001, MN2016 NCA2026.
    const f = extractFront(
      ocrOf([
        { x: 330, y: 295, text: 'AV REVOLUCION EDIF A DEPTO 473' },
        { x: 330, y: 325, text: 'EJ OBRERA 75193' },
        { x: 330, y: 355, text: 'PUEBLA, PUE.' },
        { x: 330, y: 400, text: 'CLAVEDEELECTOR IBBCJN83120721H568' },
        { x: 330, y: 435, text: 'CURP IABJ831207HPLBCN51' },
        { x: 330, y: 470, text: 'ANODEA02009 04' },
        { x: 330, y: 505, text: 'TADO21 M094 CCN0355 LOCALAD 0001' },
        { x: 330, y: 540, text: 'MN2016 NCA2026' },
      ]),
    );
    expect(f).toMatchObject({ registrationYear: '2009', issueNumber: '04', stateCode: '21', municipalityCode: '094', section: '0355', localityCode: '0001', emissionYear: '2016', validTo: '2026' });
  });

  it('E/F: a mark glued before the municipality and LOCALIDAD read a digit short: the first three codes, the locality left unread', () => {
    // Recorded (hard eval, seed 7, perspective): 09 #117 1655 060 for 09 117 1655 0360.
    const f = extractFront(
      ocrOf([
        ...EF_CODES,
        { x: 400, y: 470, text: '09' },
        { x: 560, y: 470, text: '#117' },
        { x: 710, y: 470, text: '1655' },
        { x: 860, y: 470, text: '060' },
      ]),
    );
    expect(f).toMatchObject({ stateCode: '09', municipalityCode: '117', section: '1655', localityCode: '' });
  });

  it('AÑO DE REGISTRO read glued to a label tail with a look-alike in it: the digits the word ends with', () => {
    // Recorded (hard eval, seed 2026, motion): AÑO DE REGISTRO 2011 01 read ANOD0ST201101.
    const f = extractFront(
      ocrOf([
        { x: 330, y: 295, text: 'PRIV SOL 2373' },
        { x: 330, y: 325, text: 'COL LOMAS VERDES 92218' },
        { x: 330, y: 355, text: 'COATZACOALCOS, VER' },
        { x: 330, y: 400, text: 'GMCRCR72112430H852' },
        { x: 330, y: 435, text: 'CUR GOMC721124HCSMNR78' },
        { x: 330, y: 470, text: 'ANOD0ST201101' },
      ]),
    );
    expect(f).toMatchObject({ registrationYear: '2011', issueNumber: '01' });
  });

  it('E/F: a number row whose codes were not made out is kept, word by word, for the judge', () => {
    // Recorded (motion eval, seed 7, card 13): every label read glued to its value, ESTADO's O as 0.
    const f = extractFront(ocrOf([...EF_CODES, { x: 400, y: 470, text: 'TA027 MCPO090 SCC10N5309 L0CAUDAC0001' }]));
    expect(f).toMatchObject({ stateCode: '', municipalityCode: '', section: '', localityCode: '' });
    expect(f.codeRows).toEqual([['TA027', 'MCPO090', 'SCC10N5309', 'L0CAUDAC0001']]);
    // A row made out is not kept.
    const read = extractFront(ocrOf([...EF_CODES, { x: 400, y: 470, text: 'E24 045 0200 0001' }]));
    expect(read.codeRows).toEqual([]);
    // Nor a row with two years: G/H's SECCIÓN and VIGENCIA split from the birth date (a
    // Textract reading of the bundled photo, card-03), where 2034 would pass for a locality.
    const gh = extractFront(
      ocrOf([...GH_CODES, { x: 400, y: 470, text: '02/10/1955' }, { x: 700, y: 500, text: 'SECCION 2212 VIGENCIA 2024 - 2034' }]),
    );
    expect(gh.codeRows).toEqual([]);
  });

  it('a tall scrap of the photo beside two rows does not merge the last address line into the clave row', () => {
    // Recorded shape from a phone photo: labels lost, a 110 px smear left of the text column.
    const f = extractFront(
      ocrOf([
        { x: 300, y: 30, text: 'INSTITUTO NACIONAL ELECTORAL' },
        { x: 500, y: 215, text: 'MENDOZA', h: 36 },
        { x: 500, y: 265, text: 'DIAZ', h: 36 },
        { x: 500, y: 315, text: 'ANTONIO', h: 36 },
        { x: 500, y: 443, text: 'C NOGAL 188', h: 35 },
        { x: 500, y: 494, text: 'COL PRIMAVERA 78275', h: 35 },
        { x: 130, y: 560, text: 'za', h: 29, confidence: 55 },
        { x: 500, y: 545, text: 'SAN LUIS POTOSI, S.L.P.', h: 35 },
        { x: 80, y: 558, text: 'E.', h: 112, confidence: 71 },
        { x: 765, y: 592, text: 'MNDZAN90101610H225', h: 64 },
        { x: 580, y: 669, text: 'MEDA901016HDGNZN71', h: 38 },
        ],
        { width: 1600, height: 1000 },
      ),
    );
    expect(f.addressLines).toEqual(['C NOGAL 188', 'COL PRIMAVERA 78275', 'SAN LUIS POTOSI, S.L.P.']);
    expect(f.nameLines).toEqual(['MENDOZA', 'DIAZ', 'ANTONIO']);
  });

  it('AÑO DE REGISTRO glued to its emission number, or slanted onto a row of its own below the CURP', () => {
    expect(extractFront(ocrOf([...GH_CODES, { x: 880, y: 435, text: '200701' }]))).toMatchObject({ registrationYear: '2007', issueNumber: '01' });
    expect(extractFront(ocrOf([...GH_CODES, { x: 760, y: 462, text: '2007 01' }, { x: 330, y: 500, text: '07/03/1957' }]))).toMatchObject({
      registrationYear: '2007',
      issueNumber: '01',
    });
  });

  it('AÑO DE REGISTRO with its last letter read as a 0 of its own: the year and issue after it, not the VIGENCIA below', () => {
    // Recorded (regular eval, seed 7, a card turned 90°): ANO DE REGISTR 0 2016 02.
    // The recorded page's own places (px of the flat card), the label as tall as its values.
    const f = extractFront(
      ocrOf([
        { x: 469, y: 435, text: 'PROL REFORMA S/N', h: 39 },
        { x: 473, y: 479, text: 'COL 20 DE NOVIEMBRE 86931', h: 40 },
        { x: 474, y: 526, text: 'CARDENAS, TAB.', h: 40 },
        { x: 466, y: 575, text: 'CLAVE DE ELECTOR JRVGMG95050327H423', h: 50 },
        { x: 474, y: 636, text: 'CURP JUVM950503HTCRGG80', h: 40 },
        { x: 968, y: 631, text: 'ANO DE REGISTR 0 2016 02', h: 37 },
        { x: 478, y: 697, text: 'FECHA DE NACIMIENTO', h: 30 },
        { x: 747, y: 692, text: 'SECCION', h: 27 },
        { x: 874, y: 692, text: 'VIGENCIA', h: 27 },
        { x: 479, y: 732, text: '03/05/1995', h: 32 },
        { x: 751, y: 731, text: '4293', h: 30 },
        { x: 878, y: 724, text: '2019 - 2029', h: 37 },
      ]),
    );
    expect(f).toMatchObject({ registrationYear: '2016', issueNumber: '02' });
  });

  it('G/H: the date row gives the birth date, sección and the VIGENCIA range (a stray mark before a year dropped)', () => {
    const f = extractFront(
      ocrOf([
        { x: 330, y: 165, text: 'SALAZAR' },
        { x: 330, y: 195, text: 'GUTIERREZ' },
        { x: 330, y: 225, text: 'CLAUDIA' },
        ...GH_CODES,
        { x: 330, y: 480, text: '07/03/1957' },
        { x: 560, y: 480, text: '5409' },
        { x: 660, y: 480, text: '72023 - 2033' },
      ]),
    );
    expect(f).toMatchObject({ nameLines: ['SALAZAR', 'GUTIERREZ', 'CLAUDIA'], dateOfBirth: '07/03/1957', section: '5409', validFrom: '2023', validTo: '2033' });
  });

  it('reads a code with a J taken for a parenthesis', () => {
    const f = extractFront(ocrOf([{ x: 400, y: 435, text: 'VIX)710420HVZLXS68' }]));
    expect(f.curp).toBe('VIXJ710420HVZLXS68');
  });
});

describe('codesBySection: E/F codes placed by a sección another reading vouches for', () => {
  // Recorded rows (PP-OCR, motion and small evals, seeds 7 and 31).
  it('takes each code as the last digits of its word, a label O read 0 before it', () => {
    expect(codesBySection([['TA027', 'MCPO090', 'SCC10N5309', 'L0CAUDAC0001']], '5309')).toEqual({ stateCode: '27', municipalityCode: '090', localityCode: '0001' });
  });

  it('skips words without digits, and leaves a code its word does not hold', () => {
    // ESTADO 08 MUNICIPIO 027 SECCIÓN 0399 LOCALIDAD 0001, the locality read AL000.
    expect(codesBySection([['E008', '0NO', '027', 'C0399', 'AL000']], '0399')).toEqual({ stateCode: '08', municipalityCode: '027' });
  });

  it('a one-digit municipality is a misread: ESTADO is still the word before it', () => {
    expect(codesBySection([['15', '0', '2760', '01']], '2760')).toEqual({ stateCode: '15' });
  });

  it('two digits before the sección could be ESTADO or MUNICIPIO: neither is taken', () => {
    // ESTADO 03 MUNICIPIO 100 read `ESTDO 03 MCO O SECCION0292`.
    expect(codesBySection([['ESTDO', '03', 'MCO', 'O', 'SECCION0292', 'LOCDD', '0057']], '0292')).toEqual({ localityCode: '0057' });
  });

  it('a smear, a digit other than 0 before a code, or a state INEGI does not number is not taken', () => {
    expect(codesBySection([['1', '966666', '0825', '0140']], '0825')).toEqual({ localityCode: '0140' });
    expect(codesBySection([['12', '4090', '5309', '10001']], '5309')).toEqual({});
    expect(codesBySection([['45', '090', '5309']], '5309')).toEqual({ municipalityCode: '090' });
  });

  it('nothing without the sección in exactly one row, or without a sección of four digits', () => {
    expect(codesBySection([['27', '090', '5308', '0001']], '5309')).toEqual({});
    expect(codesBySection([['27', '090', '5309'], ['5309', '0001']], '5309')).toEqual({});
    expect(codesBySection([['27', '090', '5309', '0001']], '')).toEqual({});
  });
});
