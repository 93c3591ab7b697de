/**
 * Documents that are not an INE card, drawn for the trust corpus: what back offices receive
 * by mistake or on purpose in place of a voter card. A Mexican passport's data page, another
 * country's ID card (Swiss-like back with a TD1 MRZ; Guatemalan DPI-like front and back), a
 * utility bill's CONSTANCIA DE SERVICIO, a printed letter, a blank sheet, a greyscale
 * photocopy of a card. All procedural and invented, like the cards (no real artwork, no
 * real person, no real company).
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { background, CARD_HEIGHT, CARD_WIDTH, cardShape, emblem, guilloche, hsl, signature, silhouette } from './artwork.ts';
import { MRZ_FAMILY, registerFonts } from './fonts.ts';
import type { SyntheticCard } from './identity.ts';
import type { Rng } from './rng.ts';

type Ctx = SKRSContext2D;

function text(ctx: Ctx, s: string, x: number, y: number, size: number, opts: { bold?: boolean; color?: string; family?: string } = {}): number {
  ctx.font = `${opts.bold ? 'bold ' : ''}${size.toFixed(1)}px "${opts.family ?? 'Synth Liberation'}"`;
  ctx.fillStyle = opts.color ?? '#1a1a1a';
  ctx.fillText(s, x, y);
  return ctx.measureText(s).width;
}

/** Label above value, as ID documents print them. */
function labelled(ctx: Ctx, label: string, value: string, x: number, y: number, size: number, ink: string): void {
  text(ctx, label, x, y, size * 0.55, { color: ink });
  text(ctx, value, x, y + size * 1.05, size, { bold: true });
}

/** MRZ lines in OCR-B, `pitch` px per character. */
function mrz(ctx: Ctx, lines: readonly string[], x: number, y: number, pitch: number, gap: number): void {
  ctx.font = `${(pitch * 1.3).toFixed(1)}px "${MRZ_FAMILY}"`;
  ctx.fillStyle = '#111';
  lines.forEach((l, li) => [...l].forEach((ch, i) => ctx.fillText(ch, x + i * pitch, y + li * gap)));
}

const MONTHS = ['ENE', 'FEB', 'MAR', 'ABR', 'MAY', 'JUN', 'JUL', 'AGO', 'SEP', 'OCT', 'NOV', 'DIC'] as const;
const dmy = (d: { year: number; month: number; day: number }): string => `${String(d.day).padStart(2, '0')} ${MONTHS[d.month - 1]} ${d.year}`;

/** A Mexican passport's data page (ID-3, 125 × 88 mm at 300 dpi) with its TD3 MRZ; the CURP printed. */
export function passportPage(card: SyntheticCard, mrzLines: readonly [string, string], number: string, rng: Rng): Buffer {
  registerFonts();
  const w = 1476;
  const h = 1039;
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  const hue = rng.float(190, 230);
  ctx.fillStyle = hsl(hue, 25, 93);
  ctx.fillRect(0, 0, w, h);
  guilloche(ctx, rng, hue, 1.2);
  emblem(ctx, rng, 90, 80, 45, hue);
  const ink = hsl(hue, 40, 30);
  text(ctx, 'ESTADOS UNIDOS MEXICANOS', 170, 75, 40, { bold: true, color: ink });
  text(ctx, 'PASAPORTE  PASSPORT', 170, 120, 30, { color: ink });
  silhouette(ctx, rng, 60, 190, 360, 450, false);
  const x = 470;
  const s = 30;
  labelled(ctx, 'TIPO / TYPE', 'P', x, 200, s, ink);
  labelled(ctx, 'CLAVE DEL PAÍS / CODE OF ISSUING STATE', 'MEX', x + 170, 200, s, ink);
  labelled(ctx, 'PASAPORTE No. / PASSPORT No.', number, x + 640, 200, s, ink);
  labelled(ctx, 'APELLIDOS / SURNAMES', [card.paterno, card.materno].filter(Boolean).join(' '), x, 280, s, ink);
  labelled(ctx, 'NOMBRES / GIVEN NAMES', card.given, x, 360, s, ink);
  labelled(ctx, 'NACIONALIDAD / NATIONALITY', 'MEXICANA', x, 440, s, ink);
  labelled(ctx, 'FECHA DE NACIMIENTO / DATE OF BIRTH', dmy(card.birth), x + 420, 440, s, ink);
  labelled(ctx, 'CURP', card.curp, x, 520, s, ink);
  labelled(ctx, 'SEXO / SEX', card.sex === 'H' ? 'M' : 'F', x + 520, 520, s, ink);
  labelled(ctx, 'LUGAR DE NACIMIENTO / PLACE OF BIRTH', card.birthState.name, x, 600, s, ink);
  labelled(ctx, 'FECHA DE EXPEDICIÓN / DATE OF ISSUE', dmy({ year: card.issueYear, month: 3, day: 14 }), x, 680, s, ink);
  labelled(ctx, 'FECHA DE CADUCIDAD / DATE OF EXPIRY', dmy({ year: card.issueYear + 10, month: 3, day: 13 }), x + 480, 680, s, ink);
  signature(ctx, rng, 90, 680, 280, 70);
  mrz(ctx, mrzLines, 60, 890, 30.5, 62);
  return c.toBuffer('image/png');
}

/** Another country's ID card, back side (Swiss-like): multilingual labels and a TD1 MRZ `IDCHE…`. */
export function foreignIdBack(mrzLines: readonly [string, string, string], rng: Rng): Buffer {
  registerFonts();
  const c = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = c.getContext('2d');
  cardShape(ctx);
  const hue = rng.float(340, 360);
  background(ctx, rng, hue, [90, 95]);
  guilloche(ctx, rng, hue, 0.8);
  const ink = hsl(hue, 45, 35);
  labelled(ctx, 'Grösse / Taille / Altezza / Height', `${rng.int(155, 190) / 100} m`.replace('.', ','), 40, 60, 26, ink);
  labelled(ctx, "Heimatort / Lieu d'origine / Luogo di attinenza", rng.pick(['BERN BE', 'LUZERN LU', 'SION VS', 'CHUR GR']), 40, 140, 26, ink);
  labelled(ctx, "Ausstellungsdatum / Date d'émission", `${rng.int(10, 28)}.0${rng.int(1, 9)}.${rng.int(2015, 2023)}`, 40, 220, 26, ink);
  labelled(ctx, 'Behörde / Autorité / Autorità', rng.pick(['Kanton Zürich', 'Canton de Vaud', 'Kanton Bern']), 560, 220, 26, ink);
  signature(ctx, rng, 600, 60, 280, 90);
  ctx.fillStyle = 'rgba(255,255,255,0.7)';
  ctx.fillRect(0, 400, CARD_WIDTH, CARD_HEIGHT - 400);
  mrz(ctx, mrzLines, (CARD_WIDTH - 30 * 30) / 2, 470, 30, 52);
  return c.toBuffer('image/png');
}

/** A Guatemalan DPI-like card: its own labels and layout, the CUI, and a TD1 MRZ `IDGTM…` on the back. */
export function dpiCard(card: SyntheticCard, cui: string, mrzLines: readonly [string, string, string], rng: Rng): { front: Buffer; back: Buffer } {
  registerFonts();
  const hue = rng.float(195, 215);
  const ink = hsl(hue, 50, 28);
  const f = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = f.getContext('2d');
  cardShape(ctx);
  background(ctx, rng, hue, [88, 94]);
  guilloche(ctx, rng, hue, 1);
  text(ctx, 'REPÚBLICA DE GUATEMALA, C.A.', 300, 55, 30, { bold: true, color: ink });
  text(ctx, 'REGISTRO NACIONAL DE LAS PERSONAS', 300, 90, 22, { color: ink });
  text(ctx, 'DOCUMENTO PERSONAL DE IDENTIFICACIÓN', 300, 120, 22, { bold: true, color: ink });
  silhouette(ctx, rng, 40, 150, 230, 290, false);
  text(ctx, `CUI  ${cui}`, 300, 600, 30, { bold: true });
  const x = 300;
  labelled(ctx, 'NOMBRE', card.given, x, 175, 26, ink);
  labelled(ctx, 'APELLIDO', [card.paterno, card.materno].filter(Boolean).join(' '), x, 245, 26, ink);
  labelled(ctx, 'GÉNERO', card.sex === 'H' ? 'MASCULINO' : 'FEMENINO', x, 315, 26, ink);
  labelled(ctx, 'NACIONALIDAD', 'GTM', x + 260, 315, 26, ink);
  labelled(ctx, 'FECHA DE NACIMIENTO', dmy(card.birth), x, 385, 26, ink);
  labelled(ctx, 'LUGAR DE NACIMIENTO', rng.pick(['GUATEMALA, GUATEMALA', 'MIXCO, GUATEMALA', 'COBÁN, ALTA VERAPAZ']), x, 455, 26, ink);
  labelled(ctx, 'FECHA DE EMISIÓN', dmy({ year: card.issueYear, month: 6, day: 2 }), x + 330, 525, 22, ink);
  signature(ctx, rng, 40, 470, 220, 60);

  const b = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const bx = b.getContext('2d');
  cardShape(bx);
  background(bx, rng, hue, [90, 95]);
  guilloche(bx, rng, hue, 0.8);
  labelled(bx, 'VECINDAD', rng.pick(['GUATEMALA, GUATEMALA', 'VILLA NUEVA, GUATEMALA']), 40, 60, 26, ink);
  labelled(bx, 'ESTADO CIVIL', rng.pick(['SOLTERO', 'CASADO']), 40, 130, 26, ink);
  labelled(bx, 'LIBRO / FOLIO / PARTIDA', `${rng.int(10, 900)} / ${rng.int(1, 400)} / ${rng.int(1, 999)}`, 40, 200, 26, ink);
  labelled(bx, 'FECHA DE VENCIMIENTO', dmy({ year: card.issueYear + 10, month: 6, day: 1 }), 560, 200, 26, ink);
  mrz(bx, mrzLines, (CARD_WIDTH - 30 * 30) / 2, 470, 30, 52);
  return { front: f.toBuffer('image/png'), back: b.toBuffer('image/png') };
}

/** A page of prose at 150 dpi (A4): a title and paragraphs. */
function page(title: string, paragraphs: readonly string[], rng: Rng, header?: string): Buffer {
  registerFonts();
  const w = 1240;
  const h = 1754;
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fdfdfb';
  ctx.fillRect(0, 0, w, h);
  let y = 130;
  if (header) {
    text(ctx, header, 110, y, 26, { bold: true, color: hsl(rng.float(0, 360), 40, 30) });
    y += 80;
  }
  text(ctx, title, 110, y, 40, { bold: true });
  y += 90;
  ctx.font = '26px "Synth Liberation"';
  for (const p of paragraphs) {
    let line = '';
    for (const word of p.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (ctx.measureText(next).width > w - 220) {
        text(ctx, line, 110, y, 26);
        y += 40;
        line = word;
      } else line = next;
    }
    text(ctx, line, 110, y, 26);
    y += 70;
  }
  signature(ctx, rng, 110, y + 20, 300, 70);
  return c.toBuffer('image/png');
}

/** A utility bill's CONSTANCIA DE SERVICIO for the card's holder: paragraphs that mention the *domicilio*. */
export function billPage(card: SyntheticCard, rng: Rng): Buffer {
  const name = `${card.given} ${card.paterno} ${card.materno}`.trim();
  const [l1, l2, l3] = card.address;
  const account = rng.digits(12);
  return page(
    'CONSTANCIA DE SERVICIO',
    [
      `Por medio de la presente se hace constar que el C. ${name} es titular del contrato de servicio número ${account}, con domicilio en ${l1}, ${l2}, ${l3.replace(/\.$/, '')}.`,
      `El domicilio arriba señalado cuenta con el servicio activo desde el año ${card.registrationYear} y se encuentra al corriente en sus pagos a la fecha de emisión de esta constancia.`,
      'Se extiende la presente a petición del interesado para los fines legales que a él convengan, como comprobante de domicilio.',
      `Periodo facturado: ${rng.int(1, 28)} de ${MONTHS[rng.int(0, 11)]} al ${rng.int(1, 28)} de ${MONTHS[rng.int(0, 11)]}. Importe: $${rng.int(180, 1900)}.00 M.N.`,
    ],
    rng,
    'SERVICIOS URBANOS DEL VALLE S.A. DE C.V.',
  );
}

/** A printed letter with nothing of an ID on it (the "front" a foreign ID card came with). */
export function letterPage(rng: Rng): Buffer {
  return page(
    rng.pick(['CARTA DE RECOMENDACIÓN', 'A QUIEN CORRESPONDA', 'SOLICITUD DE EMPLEO']),
    [
      'Por medio de la presente me permito presentar a la persona interesada, quien ha colaborado con nosotros durante varios años con responsabilidad y buen desempeño.',
      'Durante ese tiempo demostró ser una persona honesta, puntual y comprometida con su trabajo, por lo que no tenemos inconveniente en recomendarla ampliamente.',
      'Quedamos a sus órdenes para cualquier aclaración o información adicional que requiera.',
    ],
    rng,
  );
}

/** A blank white sheet (the side that was never scanned). */
export function blankSheet(): Buffer {
  const c = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fefefe';
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
  return c.toBuffer('image/png');
}

/**
 * A greyscale photocopy of a card side: toner contrast (light tints drop to paper white,
 * print goes darker), a soft copy, toner specks. It is still the genuine card.
 */
export async function photocopy(png: Buffer, rng: Rng): Promise<Buffer> {
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .linear(rng.float(1.3, 1.6), -rng.float(40, 70))
    .blur(rng.float(0.5, 0.9))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const specks = Math.round(info.width * info.height * rng.float(0.0005, 0.0015));
  for (let k = 0; k < specks; k++) data[rng.int(0, data.length - 1)] = rng.int(0, 90);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer();
}
