/**
 * Draws flat synthetic INE cards (front and back) at 300 dpi: 85.6 × 54 mm ≈ 1012 × 638 px.
 *
 * The layouts follow the label sets of models E/F (2014–2019) and G/H (2019+) described in
 * shared/domain/ine-formats.md §1, with per-card variety (font family, sizes, offsets,
 * label accents, colours, some arrangement changes) so an extractor cannot learn one pixel
 * layout. No real artwork is reproduced: emblems, photo, QR codes and signatures are
 * procedural shapes, the person is invented (identity.ts).
 */
import { createCanvas } from '@napi-rs/canvas';
import {
  background, barcode, CARD_HEIGHT, CARD_WIDTH, cardShape, emblem, extraPattern, fingerprint, guilloche, hsl, qrBlock, signature,
  silhouette, watermark, type Ctx,
} from './artwork.ts';
import { MRZ_FAMILY, registerFonts, TEXT_FAMILIES } from './fonts.ts';
import type { FieldName } from '../record.ts';
import { formatDob, isOldModel, type SyntheticCard } from './identity.ts';
import { createRng, type Rng } from './rng.ts';
import { NO_VARIATION, type RenderVariation } from './variation.ts';

export { CARD_HEIGHT, CARD_WIDTH } from './artwork.ts';

// ---------------------------------------------------------------------------------------
// Small drawing helpers

interface Style {
  family: string;
  size: number;
  bold: boolean;
  color: string;
  /** Every text drawn in this style is appended here (tests: the truth is what was drawn). */
  record?: string[];
}

interface CardStyle {
  label: Style;
  value: Style;
  /** Drop the accents of SECCIÓN, AÑO, EMISIÓN (another print run). */
  plainLabels: boolean;
  /** Max random offset of a text item, px. */
  jitter: number;
  hue: number;
  /** Gap between a label and its value, px. */
  labelGap: number;
  /** Multiplier of the gap between the items of a row. */
  itemGapScale: number;
}

function setFont(ctx: Ctx, s: Style, scale = 1): void {
  ctx.font = `${s.bold ? 'bold ' : ''}${(s.size * scale).toFixed(1)}px "${s.family}"`;
  ctx.fillStyle = s.color;
}

function measure(ctx: Ctx, text: string, s: Style, scale = 1): number {
  setFont(ctx, s, scale);
  return ctx.measureText(text).width;
}

/** An axis-aligned rectangle in card pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where each field's value was drawn, in card pixels (the ink of its characters). */
export type FieldRects = Partial<Record<FieldName, Rect>>;

/**
 * Told where a text was drawn: `part(start, end)` is the rectangle of characters
 * `start..end` of it (for a value holding two fields, such as `2010 03`).
 */
type Mark = (part: (start: number, end: number) => Rect) => void;

/** Marks one field with the whole text, or with characters `start..end` of it. */
const markField = (rects: FieldRects | undefined, field: FieldName, start = 0, end = Infinity): Mark | undefined =>
  rects
    ? (part) => {
        rects[field] = part(start, end);
      }
    : undefined;

/** Marks several fields of one text: `[field, start, end]` each. */
const markFields = (rects: FieldRects | undefined, parts: readonly (readonly [FieldName, number, number])[]): Mark | undefined =>
  rects
    ? (part) => {
        for (const [field, start, end] of parts) rects[field] = part(start, end);
      }
    : undefined;

/**
 * Draws text at a jittered baseline position; returns the drawn width. `mark` is told where
 * the text landed (it draws nothing and uses no randomness, so a card is the same with or
 * without it).
 */
function draw(ctx: Ctx, rng: Rng, text: string, x: number, y: number, s: Style, jitter: number, scale = 1, mark?: Mark): number {
  s.record?.push(text);
  setFont(ctx, s, scale);
  const dx = rng.float(-jitter, jitter);
  const dy = rng.float(-jitter, jitter) * 0.6;
  ctx.fillText(text, x + dx, y + dy);
  const m = ctx.measureText(text);
  mark?.((start, end) => {
    const left = ctx.measureText(text.slice(0, start)).width;
    const right = end >= text.length ? m.width : ctx.measureText(text.slice(0, end)).width;
    return { x: x + dx + left, y: y + dy - m.actualBoundingBoxAscent, w: right - left, h: m.actualBoundingBoxAscent + m.actualBoundingBoxDescent };
  });
  return m.width;
}

function labelText(style: CardStyle, text: string): string {
  if (!style.plainLabels) return text;
  return text.replace(/Ó/g, 'O').replace(/É/g, 'E').replace(/Í/g, 'I').replace(/Á/g, 'A').replace(/Ñ/g, 'N');
}

function chooseStyle(rng: Rng): CardStyle {
  const valueFamily = rng.pick(TEXT_FAMILIES);
  const labelFamily = rng.chance(0.6) ? valueFamily : rng.pick(TEXT_FAMILIES);
  const labelColor = rng.pick([
    hsl(rng.float(320, 340), rng.float(45, 70), rng.float(28, 38)), // dark magenta
    hsl(rng.float(220, 260), rng.float(5, 15), rng.float(30, 42)), // grey
    hsl(rng.float(340, 355), rng.float(40, 60), rng.float(32, 40)), // dark rose
  ]);
  return {
    label: { family: labelFamily, size: rng.float(15.5, 18.5), bold: rng.chance(0.5), color: labelColor },
    value: { family: valueFamily, size: rng.float(24.5, 28), bold: true, color: hsl(0, 0, rng.float(0, 9)) },
    plainLabels: rng.chance(0.2),
    jitter: rng.float(1, 3.5),
    hue: rng.pick([rng.float(300, 350), rng.float(15, 45), rng.float(260, 290), rng.float(90, 150)]),
    labelGap: 8,
    itemGapScale: 1,
  };
}

/** The base style with a card's variation applied (no random draws). */
function varyStyle(style: CardStyle, v: RenderVariation): CardStyle {
  return {
    ...style,
    label: { ...style.label, family: v.labelFamily ?? style.label.family, size: style.label.size * v.labelScale, color: v.labelInk ?? style.label.color },
    value: { ...style.value, family: v.valueFamily ?? style.value.family, size: style.value.size * v.valueScale, color: v.valueInk ?? style.value.color },
    labelGap: v.labelGap,
    itemGapScale: v.itemGapScale,
  };
}

/** The security print: guilloche, and the extra pattern of some print runs (from its own seed). */
function securityPrint(ctx: Ctx, rng: Rng, hue: number, strength: number, v: RenderVariation): void {
  guilloche(ctx, rng, hue, strength * v.pattern.strength);
  if (v.pattern.extra !== 'none') extraPattern(ctx, createRng(v.pattern.seed), v.pattern.extra, hue);
}

// ---------------------------------------------------------------------------------------
// Front

function header(ctx: Ctx, rng: Rng, style: CardStyle, old: boolean): void {
  const j = style.jitter;
  const fam = rng.pick(TEXT_FAMILIES);
  const dark = hsl(style.hue + rng.float(-20, 20), rng.float(30, 55), rng.float(18, 28));
  emblem(ctx, rng, 80 + rng.float(-6, 6), 70 + rng.float(-4, 4), 36, style.hue);
  const mx: Style = { family: fam, size: rng.float(30, 36), bold: true, color: dark };
  const ine: Style = { family: fam, size: rng.float(24, 28), bold: true, color: dark };
  const cpv: Style = { family: fam, size: rng.float(20, 24), bold: rng.chance(0.5), color: dark };
  if (old || rng.chance(0.3)) {
    // MÉXICO under the emblem row, institute and card name stacked to the right.
    draw(ctx, rng, 'MÉXICO', 130, 64, mx, j);
    const x = rng.float(330, 380);
    draw(ctx, rng, 'INSTITUTO NACIONAL ELECTORAL', x, 58, ine, j);
    draw(ctx, rng, 'CREDENCIAL PARA VOTAR', x, 92, cpv, j);
  } else {
    draw(ctx, rng, 'MÉXICO', 130, 78, mx, j);
    const x = rng.float(420, 520);
    draw(ctx, rng, 'INSTITUTO NACIONAL ELECTORAL', x, 52, ine, j, 0.95);
    draw(ctx, rng, 'CREDENCIAL PARA VOTAR', x, 86, cpv, j);
  }
}

interface LV {
  label: string;
  value: string;
  mark?: Mark | undefined;
}

/** Draws `LABEL value  LABEL value …` on one baseline, shrinking the values if the row would overflow. */
function row(ctx: Ctx, rng: Rng, style: CardStyle, items: readonly LV[], x: number, y: number, maxRight: number): void {
  const gapLabel = style.labelGap;
  const gapItem = rng.float(18, 30) * style.itemGapScale;
  let scale = 1;
  for (;;) {
    let w = 0;
    for (const it of items) {
      w += measure(ctx, labelText(style, it.label), style.label) + gapLabel + measure(ctx, it.value, style.value, scale);
    }
    w += gapItem * (items.length - 1);
    if (x + w <= maxRight || scale < 0.7) break;
    scale -= 0.03;
  }
  let cx = x;
  for (const it of items) {
    cx += draw(ctx, rng, labelText(style, it.label), cx, y, style.label, style.jitter) + gapLabel;
    cx += draw(ctx, rng, it.value, cx, y, style.value, style.jitter, scale, it.mark) + gapItem;
  }
}

/** Draws a value line, shrinking it to fit. */
function valueLine(ctx: Ctx, rng: Rng, style: CardStyle, text: string, x: number, y: number, maxRight: number, mark?: Mark): void {
  const w = measure(ctx, text, style.value);
  const scale = Math.max(0.65, Math.min(1, (maxRight - x) / w));
  draw(ctx, rng, text, x, y, style.value, style.jitter, scale, mark);
}

/**
 * Height of the front's text block in line pitches at most (names, DOMICILIO, address, CLAVE,
 * CURP, AÑO DE REGISTRO on its own row, the last two rows): the base style's largest gaps added up.
 */
const TEXT_BLOCK_STEPS = 13.4;

/** Where things were drawn on a front (card px), for tests that check what the reader locates. */
export interface FrontLayout {
  photo?: { x: number; y: number; w: number; h: number };
  /** Baseline of the lowest text row, card px. */
  textBottom?: number;
  /** Every label and value drawn, in order. */
  texts?: string[];
  /** Each printed value's rectangle, filled when given. */
  fields?: FieldRects;
}

/**
 * The front. `variation` (variation.ts) changes typefaces, inks, spacing and placement without
 * drawing from `rng`; NO_VARIATION draws the card exactly as the base style does.
 */
export function renderFront(card: SyntheticCard, rng: Rng, layout?: FrontLayout, variation: RenderVariation = NO_VARIATION): Buffer {
  registerFonts();
  const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = canvas.getContext('2d');
  const v = variation;
  const style = varyStyle(chooseStyle(rng), v);
  if (layout) style.label.record = style.value.record = layout.texts = [];
  const old = isOldModel(card.model);
  cardShape(ctx);
  background(ctx, rng, style.hue, [86, 95], v.tint);
  securityPrint(ctx, rng, style.hue, 1, v);
  watermark(ctx, rng, style.hue, rng.float(600, 820), rng.float(300, 420));
  header(ctx, rng, style, old);

  const right = CARD_WIDTH - 30;
  const photo = {
    x: rng.float(30, 46) + v.photo.dx,
    y: rng.float(128, 145) + v.photo.dy,
    w: rng.float(238, 262) * v.photo.scale,
    h: rng.float(300, 325) * v.photo.scale,
  };
  if (layout) layout.photo = photo;
  const rects = layout?.fields;
  silhouette(ctx, rng, photo.x, photo.y, photo.w, photo.h, false);
  signature(ctx, rng, photo.x + 10, photo.y + photo.h + 25, photo.w - 20, rng.float(50, 80));

  const x0 = photo.x + photo.w + rng.float(22, 34) + v.textOffset[0];
  const L = style.label;
  const V = style.value;
  const j = style.jitter;
  const drawnStep = V.size * rng.float(1.12, 1.25);
  const lbl = (t: string, x: number, y: number): number => draw(ctx, rng, labelText(style, t), x, y, L, j);
  const names = ([['firstLastName', card.paterno], ['secondLastName', card.materno], ['name', card.given]] as const).filter(([, s]) => s !== '');
  const dob = formatDob(card);

  let y = photo.y + rng.float(12, 22) + v.textOffset[1];
  // A varied card still prints inside the card: at most TEXT_BLOCK_STEPS line pitches below the first row.
  const fit = (CARD_HEIGHT - 20 - y) / TEXT_BLOCK_STEPS;
  const lineStep = v === NO_VARIATION ? drawnStep : Math.min(drawnStep * v.pitch, Math.max(fit, drawnStep * 0.85));
  lbl('NOMBRE', x0, y);
  if (old) {
    // E/F: FECHA DE NACIMIENTO top right, SEXO beside it.
    const fechaW = Math.max(measure(ctx, labelText(style, 'FECHA DE NACIMIENTO'), L), measure(ctx, dob, V));
    const sexW = Math.max(measure(ctx, 'SEXO', L), measure(ctx, 'SEXO', L) + 8 + measure(ctx, card.sex, V));
    const gap = rng.float(18, 28);
    const fx = right - sexW - gap - fechaW;
    lbl('FECHA DE NACIMIENTO', fx, y);
    draw(ctx, rng, dob, fx, y + lineStep, V, j, 1, markField(rects, 'dateOfBirth'));
    const sx = fx + fechaW + gap;
    const sy = rng.chance(0.5) ? y : y + lineStep;
    const lw = lbl('SEXO', sx, sy);
    if (sy === y) draw(ctx, rng, card.sex, sx, y + lineStep, V, j, 1, markField(rects, 'sex'));
    else draw(ctx, rng, card.sex, sx + lw + 8, sy, V, j, 1, markField(rects, 'sex'));
  } else {
    const sx = right - rng.float(110, 150);
    const lw = lbl('SEXO', sx, y + lineStep);
    draw(ctx, rng, card.sex, sx + lw + 10, y + lineStep, V, j, 1, markField(rects, 'sex'));
  }
  const nameRight = old ? right - 330 : right - 160;
  for (const [field, s] of names) {
    y += lineStep;
    valueLine(ctx, rng, style, s, x0, y, nameRight, markField(rects, field));
  }
  if (names.length < 3) y += lineStep;

  y += lineStep * rng.float(1.05, 1.25);
  lbl('DOMICILIO', x0, y);
  const addressFields = ['addressLine1', 'addressLine2', 'addressLine3'] as const;
  card.address.forEach((line, k) => {
    y += lineStep;
    const at = line.lastIndexOf(card.postalCode);
    const postal = at >= 0 ? ([['postalCode', at, at + card.postalCode.length]] as const) : [];
    valueLine(ctx, rng, style, line, x0, y, right - 10, markFields(rects, [[addressFields[k] ?? 'addressLine3', 0, Infinity], ...postal]));
  });

  y += lineStep * rng.float(1.2, 1.4);
  // CLAVE DE ELECTOR with its value on the same line (as printed on E to H).
  row(ctx, rng, style, [{ label: 'CLAVE DE ELECTOR', value: card.clave, mark: markField(rects, 'electoralId') }], x0, y, right);
  y += lineStep * rng.float(1.05, 1.2);
  const reg = `${card.registrationYear} ${card.emission}`;
  const curpItem: LV = { label: 'CURP', value: card.curp, mark: markField(rects, 'curp') };
  const regItem: LV = { label: 'AÑO DE REGISTRO', value: reg, mark: markFields(rects, [['registrationYear', 0, 4], ['issueNumber', 5, 7]]) };
  if (rng.chance(0.8)) {
    row(ctx, rng, style, [curpItem, regItem], x0, y, right);
  } else {
    row(ctx, rng, style, [curpItem], x0, y, right);
    y += lineStep * rng.float(1.0, 1.15);
    row(ctx, rng, style, [regItem], x0, y, right);
  }
  y += lineStep * rng.float(1.05, 1.2);

  if (old) {
    row(
      ctx, rng, style,
      [
        { label: 'ESTADO', value: card.residenceState.inegi, mark: markField(rects, 'stateCode') },
        { label: 'MUNICIPIO', value: card.municipalityCode, mark: markField(rects, 'municipalityCode') },
        { label: 'SECCIÓN', value: card.section, mark: markField(rects, 'section') },
        { label: 'LOCALIDAD', value: card.localityCode, mark: markField(rects, 'localityCode') },
      ],
      x0, y, right,
    );
    y += lineStep * rng.float(1.05, 1.2);
    row(
      ctx, rng, style,
      [
        { label: 'EMISIÓN', value: String(card.issueYear), mark: markField(rects, 'emissionYear') },
        { label: 'VIGENCIA', value: String(card.validUntil), mark: markField(rects, 'expirationDate') },
      ],
      x0, y, right - 140,
    );
  } else {
    // Labels above values: FECHA DE NACIMIENTO, SECCIÓN, VIGENCIA.
    const vig = `${card.issueYear} - ${card.validUntil}`;
    const gap = rng.float(26, 40);
    let cx = x0;
    const cols: readonly LV[] = [
      { label: 'FECHA DE NACIMIENTO', value: dob, mark: markField(rects, 'dateOfBirth') },
      { label: 'SECCIÓN', value: card.section, mark: markField(rects, 'section') },
      { label: 'VIGENCIA', value: vig, mark: markFields(rects, [['validFrom', 0, 4], ['expirationDate', vig.length - 4, vig.length]]) },
    ];
    for (const c of cols) {
      const lw = lbl(c.label, cx, y);
      const vw = draw(ctx, rng, c.value, cx, y + lineStep * 0.95, V, j, 1, c.mark);
      cx += Math.max(lw, vw) + gap;
    }
  }
  if (layout) layout.textBottom = old ? y : y + lineStep * 0.95;

  // Ghost photo bottom right (kept below the text rows when there is room).
  const gw = rng.float(88, 105);
  const gh = gw * 1.25;
  silhouette(ctx, rng, right - gw - rng.float(0, 10), CARD_HEIGHT - gh - rng.float(18, 30), gw, gh, true);
  return canvas.toBuffer('image/png');
}

// ---------------------------------------------------------------------------------------
// Back

const FINE_PRINT = [
  'ESTA CREDENCIAL ES DE USO PERSONAL E INTRANSFERIBLE',
  'EN CASO DE EXTRAVIO DE ESTA CREDENCIAL DEBERA',
  'NOTIFICARLO AL MODULO DE ATENCION CIUDADANA',
  'LOS DATOS PERSONALES SE ENCUENTRAN PROTEGIDOS',
  'CONFORME A LA LEGISLACION ELECTORAL VIGENTE',
  'QUIEN HAGA USO INDEBIDO SERA SANCIONADO',
  'VERIFIQUE SU INSCRIPCION EN LA LISTA NOMINAL',
];

/** Where things were drawn on a back (card px), for tests. */
export interface BackLayout {
  /** The MRZ lines' rectangles, and of the fields that are a stretch of one (idMex, idNumber, citizenId). */
  fields?: FieldRects;
}

/**
 * Fields that are characters `start..end` (end exclusive) of an MRZ line: line 1 is `IDMEX`,
 * CIC (5–13), check, `<<`, sección (17–20), identificador (21–29) — domain/ine-formats.md §2.
 */
const MRZ_PARTS: readonly (readonly [FieldName, number, number, number])[] = [
  ['idMex', 0, 5, 14],
  ['idNumber', 0, 17, 30],
  ['citizenId', 0, 21, 30],
];
const MRZ_LINE_FIELDS = ['mz1', 'mz2', 'mz3'] as const;

/** The back; `variation` as for the front; `layout`, when given, is told where the MRZ was drawn. */
export function renderBack(card: SyntheticCard, rng: Rng, variation: RenderVariation = NO_VARIATION, layout?: BackLayout): Buffer {
  registerFonts();
  const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = canvas.getContext('2d');
  const hue = rng.pick([rng.float(300, 350), rng.float(15, 45), rng.float(260, 290), rng.float(90, 150)]);
  const old = isOldModel(card.model);
  cardShape(ctx);
  const v = variation;
  background(ctx, rng, hue, [90, 96], v.tint);
  // Security pattern only above the MRZ band; the band stays plain (ICAO 9303 clear zone).
  const bandTop = rng.float(405, 420);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, CARD_WIDTH, bandTop - 8);
  ctx.clip();
  securityPrint(ctx, rng, hue, 0.8, v);
  ctx.restore();
  ctx.fillStyle = hsl(hue, rng.float(5, 25), rng.float(94, 97), rng.float(0.5, 0.9));
  ctx.fillRect(0, bandTop, CARD_WIDTH, CARD_HEIGHT - bandTop);

  const drawnFamily = rng.pick(TEXT_FAMILIES);
  const fam = v.backFamily ?? drawnFamily;
  const fine: Style = { family: fam, size: rng.float(12.5, 15), bold: false, color: hsl(hue, 20, rng.float(18, 30)) };
  const head: Style = { family: fam, size: rng.float(15, 18), bold: true, color: hsl(hue, 30, 22) };
  const j = rng.float(0.5, 2);

  const qx = rng.float(34, 50);
  const qy = rng.float(34, 46);
  const qs = rng.float(170, 200);
  qrBlock(ctx, rng, qx, qy, qs, rng.pick([33, 37, 41]));
  let textX: number;
  if (old) {
    // E/F: one QR, a 1D barcode stripe beside it.
    const bx = qx + qs + rng.float(40, 60);
    barcode(ctx, rng, bx, qy + rng.float(0, 20), rng.float(330, 400), rng.float(70, 90));
    textX = bx;
  } else {
    // G/H: two large QR codes and a small one.
    const q2x = qx + qs + rng.float(30, 45);
    qrBlock(ctx, rng, q2x, qy, qs, rng.pick([37, 41, 45]));
    qrBlock(ctx, rng, q2x + qs + rng.float(30, 45), qy + rng.float(0, 20), rng.float(80, 100), 25);
    textX = q2x + qs + rng.float(30, 45);
  }
  fingerprint(ctx, rng, CARD_WIDTH - rng.float(120, 140), rng.float(130, 150), rng.float(62, 75), rng.float(85, 100));

  // Fine print and the secretary's signature block.
  let ty = old ? qy + 150 : qy + 160;
  const tx = old ? textX : qx;
  if (!old) ty = qy + qs + rng.float(34, 44);
  const lines = rng.int(3, 5);
  const start = rng.int(0, FINE_PRINT.length - 1);
  for (let i = 0; i < lines && ty < bandTop - 70; i++) {
    draw(ctx, rng, FINE_PRINT[(start + i) % FINE_PRINT.length] ?? '', tx, ty, fine, j, old ? 0.85 : 1);
    ty += fine.size * 1.35;
  }
  const sigX = CARD_WIDTH - rng.float(330, 370);
  const sigY = bandTop - rng.float(125, 140);
  signature(ctx, rng, sigX + 20, sigY, rng.float(180, 230), rng.float(40, 55));
  draw(ctx, rng, 'INSTITUTO NACIONAL ELECTORAL', sigX, sigY + 82, head, j, 0.9);
  draw(ctx, rng, 'SECRETARIO EJECUTIVO', sigX + rng.float(20, 40), sigY + 104, fine, j);
  if (!old) signature(ctx, rng, qx + 20, bandTop - 70, rng.float(160, 220), 45);

  // MRZ: OCR-B, pitch 2.54 mm ≈ 30 px, cap height ≈ 2.4 mm (ICAO 9303 Part 3 §4).
  const pitch = rng.float(29.4, 30.4);
  const mrzSize = rng.float(38, 41);
  const mx = (CARD_WIDTH - pitch * 30) / 2 + rng.float(-12, 12) + v.mrz.dx;
  const lineGap = rng.float(48, 53);
  const baseY = CARD_HEIGHT - rng.float(36, 46) - 2 * lineGap + v.mrz.dy;
  const ink = rng.float(0, 8);
  ctx.fillStyle = hsl(0, 0, v.mrz.inkLightness ?? ink);
  ctx.font = `${mrzSize.toFixed(1)}px "${MRZ_FAMILY}"`;
  const cap = ctx.measureText('M').actualBoundingBoxAscent;
  const charWidth = ctx.measureText('M').width;
  const span = (ly: number, start: number, end: number): Rect => ({ x: mx + start * pitch, y: ly - cap, w: (end - start - 1) * pitch + charWidth, h: cap });
  card.mrz.forEach((line, li) => {
    const ly = baseY + li * lineGap + rng.float(-1, 1);
    for (let i = 0; i < line.length; i++) {
      ctx.fillText(line[i] ?? '', mx + i * pitch + rng.float(-0.4, 0.4), ly);
    }
    const rects = layout?.fields;
    if (!rects) return;
    rects[MRZ_LINE_FIELDS[li] ?? 'mz3'] = span(ly, 0, line.length);
    for (const [field, l, start, end] of MRZ_PARTS) if (l === li) rects[field] = span(ly, start, end);
  });
  return canvas.toBuffer('image/png');
}

