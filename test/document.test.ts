/**
 * What kind of document a page is: other documents' machine-readable zones (ICAO 9303's own
 * specimens), and the strength of an INE front reading.
 */
import { describe, expect, it } from 'vitest';
import { findForeignMrz, frontStrength, looksLikeFront } from '../src/extract/document.ts';
import { extractFront } from '../src/extract/front.ts';
import type { OcrResult } from '../src/engines/types.ts';

describe('findForeignMrz', () => {
  it.each([
    {
      // source: ICAO 9303 Part 4, Appendix A (TD3 specimen, Utopia)
      name: 'a passport (TD3)',
      text: 'PASSPORT\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
      want: { format: 'TD3', documentCode: 'P<', issuer: 'UTO', checksPassed: 3 },
    },
    {
      // source: ICAO 9303 Part 5, Appendix A (TD1 specimen, Utopia)
      name: 'an identity card of another state (TD1)',
      text: 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
      want: { format: 'TD1', documentCode: 'I<', issuer: 'UTO', checksPassed: 3 },
    },
    {
      // source: ICAO 9303 Part 6, Appendix A (TD2 specimen, Utopia)
      name: 'a TD2 card',
      text: 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6',
      want: { format: 'TD2', documentCode: 'I<', issuer: 'UTO', checksPassed: 3 },
    },
    {
      // The same TD1 layout, a Swiss-style `ID` code: what matters is the state is not MEX.
      name: 'an ID card of another country read with OCR spaces',
      text: 'ID CHE D231458907 <<<<<<<<<<<<<<<\n7408122F1204159CHE<<<<<<<<<<<6\nMUSTER<<ANNA<<<<<<<<<<<<<<<<<<',
      want: { format: 'TD1', documentCode: 'ID', issuer: 'CHE' },
    },
  ])('$name', ({ text, want }) => {
    expect(findForeignMrz(text)).toMatchObject(want);
  });

  it.each([
    ['an INE MRZ (ine-formats.md §2 example 2)', 'IDMEX1234567897<<0123456789012\n9003152H3012316MEX<01<<00000<5\nPEREZ<LOPEZ<<JUAN<CARLOS<<<<<<'],
    ['a name line that starts like a document code', 'ACOSTA<IBARRA<<MARIA<<<<<<<<<<\nCRUZ<<ANA<<<<<<<<<<<<<<<<<<<<<'],
    ['prose', 'CONSTANCIA DE SERVICIO\nEl titular con domicilio en la calle indicada ha cubierto sus pagos'],
    ['fillers and zeros only', 'I<UTO<<<<<<<<<<<<<<<<<<<<<<<<<\n000000000000000UTO<<<<<<<<<<<0'],
  ])('%s is not a foreign zone', (_n, text) => {
    expect(findForeignMrz(text)).toBeNull();
  });
});

describe('front strength', () => {
  const page = (lines: string[]): OcrResult => {
    const ls = lines.map((text, i) => {
      let x = 40;
      const words = text.split(' ').map((w) => {
        const word = { text: w, confidence: 90, bbox: { x0: x, y0: 40 + i * 50, x1: x + w.length * 18, y1: 70 + i * 50 } };
        x += w.length * 18 + 14;
        return word;
      });
      return { text, confidence: 90, bbox: { x0: 40, y0: 40 + i * 50, x1: x, y1: 70 + i * 50 }, words };
    });
    return { text: lines.join('\n'), lines: ls, width: 1600, height: 1000, confidence: 90 };
  };

  it('a utility bill that mentions a domicilio is not a front', () => {
    const r = extractFront(
      page([
        'CONSTANCIA DE SERVICIO',
        'NOMBRE DEL TITULAR JUAN PEREZ LOPEZ',
        'DOMICILIO',
        'CALLE 5 DE MAYO 123 COL CENTRO 06000',
        'por medio de la presente se hace constar que el domicilio arriba indicado cuenta con el servicio',
        'de energia electrica desde el ano dos mil quince y se encuentra al corriente en sus pagos',
      ]),
    );
    expect(looksLikeFront(r)).toBe(false);
  });

  it('a front with its labels and codes is one; so is a front whose labels were lost but codes read', () => {
    const r = extractFront(
      page([
        'NOMBRE',
        'PEREZ',
        'LOPEZ',
        'JUAN CARLOS',
        'DOMICILIO',
        'C 5 DE MAYO 123',
        'CLAVE DE ELECTOR PRLPJN90031509H123',
        'CURP PELJ900315HDFRPN09',
        'FECHA DE NACIMIENTO 15/03/1990',
      ]),
    );
    expect(looksLikeFront(r)).toBe(true);
    expect(frontStrength(r)).toBeGreaterThanOrEqual(8);
    const bare = extractFront(page(['PEREZ', 'LOPEZ', 'JUAN CARLOS', 'PRLPJN90031509H123', 'PELJ900315HDFRPN09']));
    expect(looksLikeFront(bare)).toBe(true);
  });
});
