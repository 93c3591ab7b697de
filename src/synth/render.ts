/**
 * Draws flat synthetic INE cards (front and back) at 300 dpi: 85.6 × 54 mm ≈ 1012 × 638 px.
 *
 * The layouts follow the label sets of models E/F (2014–2019) and G/H (2019+) described in
 * shared/domain/ine-formats.md §1, with per-card variety (font family, sizes, offsets,
 * label accents, colours, some arrangement changes) so an extractor cannot learn one pixel
 * layout. No real artwork is reproduced: emblems, photo, QR codes and signatures are
 * procedural shapes, the person is invented (identity.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { FieldName } from '../record.ts';
import { formatDob, isOldModel, type SyntheticCard } from './identity.ts';
import type { Rng } from './rng.ts';

export const CARD_WIDTH = 1012;
export const CARD_HEIGHT = 638;
/** Corner radius of an ID-1 card (3.18 mm) at 300 dpi. */
const CORNER_RADIUS = 37;

// ---------------------------------------------------------------------------------------
// Fonts: registered once from assets/fonts under private aliases, so the bundled files are
// used even where the system has fonts of the same name.

const FONT_FILES: readonly (readonly [string, string])[] = [
  ['LiberationSans-Regular.ttf', 'Synth Liberation'],
  ['LiberationSans-Bold.ttf', 'Synth Liberation'],
  ['DejaVuSans.ttf', 'Synth DejaVu'],
  ['DejaVuSans-Bold.ttf', 'Synth DejaVu'],
  ['DejaVuSansCondensed.ttf', 'Synth DejaVu Condensed'],
  ['DejaVuSansCondensed-Bold.ttf', 'Synth DejaVu Condensed'],
  ['OCRB.otf', 'Synth OCRB'],
];
const TEXT_FAMILIES = ['Synth Liberation', 'Synth DejaVu', 'Synth DejaVu Condensed'] as const;
const MRZ_FAMILY = 'Synth OCRB';

/** assets/fonts, found by walking up from this module (works from src/ and from dist/src/). */
function fontsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'assets', 'fonts');
    if (existsSync(path.join(candidate, 'OCRB.otf'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('assets/fonts not found above ' + fileURLToPath(import.meta.url));
}

let fontsRegistered = false;
function registerFonts(): void {
  if (fontsRegistered) return;
  const dir = fontsDir();
  for (const [file, alias] of FONT_FILES) {
    if (!GlobalFonts.registerFromPath(path.join(dir, file), alias)) {
      throw new Error(`could not register font ${file}`);
    }
  }
  fontsRegistered = true;
}

// ---------------------------------------------------------------------------------------
// Small drawing helpers

type Ctx = SKRSContext2D;

interface Style {
  family: string;
  size: number;
  bold: boolean;
  color: string;
}

interface CardStyle {
  label: Style;
  value: Style;
  /** Drop the accents of SECCIÓN, AÑO, EMISIÓN (another print run). */
  plainLabels: boolean;
  /** Max random offset of a text item, px. */
  jitter: number;
  hue: number;
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

function hsl(h: number, s: number, l: number, a = 1): string {
  return `hsla(${h.toFixed(1)}, ${s.toFixed(1)}%, ${l.toFixed(1)}%, ${a.toFixed(3)})`;
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
  };
}

// ---------------------------------------------------------------------------------------
// Background, security patterns, pictures

function cardShape(ctx: Ctx): void {
  ctx.beginPath();
  ctx.roundRect(0, 0, CARD_WIDTH, CARD_HEIGHT, CORNER_RADIUS);
  ctx.clip();
}

function background(ctx: Ctx, rng: Rng, hue: number, lightness: [number, number]): void {
  const g = ctx.createLinearGradient(0, 0, CARD_WIDTH, CARD_HEIGHT * rng.float(0.3, 1));
  g.addColorStop(0, hsl(hue, rng.float(35, 65), rng.float(lightness[0], lightness[1])));
  g.addColorStop(rng.float(0.35, 0.65), hsl(hue + rng.float(-25, 25), rng.float(30, 60), rng.float(lightness[0], lightness[1])));
  g.addColorStop(1, hsl(hue + rng.float(-40, 40), rng.float(30, 60), rng.float(lightness[0], lightness[1])));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
}

/** Guilloche: hypotrochoid rosettes and families of fine waves, faint like offset security print. */
function guilloche(ctx: Ctx, rng: Rng, hue: number, strength: number): void {
  ctx.save();
  ctx.lineWidth = rng.float(0.6, 1.0);
  // Fine waves across the card.
  const waves = rng.int(2, 3);
  for (let w = 0; w < waves; w++) {
    ctx.strokeStyle = hsl(hue + rng.float(-60, 60), rng.float(30, 60), rng.float(55, 70), 0.18 * strength);
    const spacing = rng.float(7, 13);
    const amp = rng.float(4, 18);
    const k = rng.float(0.006, 0.02);
    const k2 = rng.float(0.002, 0.006);
    const phase = rng.float(0, Math.PI * 2);
    for (let y0 = -20; y0 < CARD_HEIGHT + 20; y0 += spacing) {
      ctx.beginPath();
      for (let x = 0; x <= CARD_WIDTH; x += 6) {
        const y = y0 + amp * Math.sin(k * x + phase + y0 * 0.01) + amp * 0.5 * Math.sin(k2 * x * 3 + y0 * 0.03);
        if (x === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  }
  // Rosettes: families of closed petal curves whose crossings make the fine mesh of
  // security print.
  const rosettes = rng.int(1, 3);
  for (let r = 0; r < rosettes; r++) {
    const cx = rng.float(60, CARD_WIDTH - 60);
    const cy = rng.float(60, CARD_HEIGHT - 60);
    const R = rng.float(110, 260);
    const petals = rng.int(5, 16);
    const depth = rng.float(0.06, 0.18);
    const twist = rng.float(0.05, 0.3);
    const curves = rng.int(14, 30);
    ctx.strokeStyle = hsl(hue + rng.float(-40, 40), rng.float(30, 60), rng.float(50, 65), 0.13 * strength);
    for (let k = 0; k < curves; k++) {
      const rk = R * (0.35 + (0.65 * k) / curves);
      ctx.beginPath();
      for (let i = 0; i <= 360; i++) {
        const t = (i / 360) * Math.PI * 2;
        const rad = rk * (1 + depth * Math.sin(petals * t + k * twist));
        const x = cx + rad * Math.cos(t);
        const y = cy + rad * Math.sin(t);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  }
  ctx.restore();
}

/** A faint round seal with radial strokes and a big "INE" in it: the watermark. */
function watermark(ctx: Ctx, rng: Rng, hue: number, cx: number, cy: number): void {
  ctx.save();
  const r = rng.float(110, 160);
  ctx.globalAlpha = rng.float(0.06, 0.1);
  ctx.strokeStyle = hsl(hue, 40, 35);
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(cx, cy, r * 0.8, 0, Math.PI * 2);
  ctx.stroke();
  ctx.lineWidth = 1;
  for (let a = 0; a < 72; a++) {
    const t = (a / 72) * Math.PI * 2;
    ctx.beginPath();
    ctx.moveTo(cx + Math.cos(t) * r * 0.82, cy + Math.sin(t) * r * 0.82);
    ctx.lineTo(cx + Math.cos(t) * r * 0.98, cy + Math.sin(t) * r * 0.98);
    ctx.stroke();
  }
  ctx.fillStyle = hsl(hue, 40, 35);
  ctx.font = `bold ${(r * 0.7).toFixed(0)}px "Synth DejaVu"`;
  ctx.textAlign = 'center';
  ctx.fillText('INE', cx, cy + r * 0.25);
  ctx.restore();
}

/** A stylised emblem: concentric rings and petals; not the national coat of arms. */
function emblem(ctx: Ctx, rng: Rng, cx: number, cy: number, r: number, hue: number): void {
  ctx.save();
  ctx.strokeStyle = hsl(hue, 45, 30, 0.85);
  ctx.fillStyle = hsl(hue, 45, 30, 0.75);
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.stroke();
  const petals = rng.int(6, 10);
  for (let i = 0; i < petals; i++) {
    const t = (i / petals) * Math.PI * 2;
    ctx.beginPath();
    ctx.ellipse(cx + Math.cos(t) * r * 0.45, cy + Math.sin(t) * r * 0.45, r * 0.32, r * 0.12, t, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

/** A generic head-and-shoulders silhouette (no face), as the photo. */
function silhouette(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number, ghost: boolean): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  const bg = ctx.createLinearGradient(x, y, x, y + h);
  const bgHue = rng.float(190, 230);
  bg.addColorStop(0, hsl(bgHue, ghost ? 0 : rng.float(10, 35), rng.float(82, 92), ghost ? 0.35 : 1));
  bg.addColorStop(1, hsl(bgHue, ghost ? 0 : rng.float(10, 30), rng.float(70, 82), ghost ? 0.35 : 1));
  ctx.fillStyle = bg;
  ctx.fillRect(x, y, w, h);
  const a = ghost ? 0.3 : 1;
  const cx = x + w * rng.float(0.46, 0.54);
  // Shoulders / clothing.
  ctx.fillStyle = ghost ? hsl(0, 0, 45, a) : hsl(rng.float(0, 360), rng.float(5, 35), rng.float(18, 40));
  ctx.beginPath();
  ctx.moveTo(x - 5, y + h + 5);
  ctx.bezierCurveTo(x + w * 0.02, y + h * 0.72, cx - w * 0.3, y + h * 0.7, cx - w * 0.14, y + h * 0.66);
  ctx.lineTo(cx + w * 0.14, y + h * 0.66);
  ctx.bezierCurveTo(cx + w * 0.3, y + h * 0.7, x + w * 0.98, y + h * 0.72, x + w + 5, y + h + 5);
  ctx.closePath();
  ctx.fill();
  // Neck and head.
  const skin = ghost ? hsl(0, 0, 60, a) : hsl(rng.float(20, 35), rng.float(25, 45), rng.float(45, 72));
  ctx.fillStyle = skin;
  ctx.fillRect(cx - w * 0.08, y + h * 0.5, w * 0.16, h * 0.18);
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.38, w * rng.float(0.19, 0.23), h * rng.float(0.2, 0.24), 0, 0, Math.PI * 2);
  ctx.fill();
  // Hair.
  ctx.fillStyle = ghost ? hsl(0, 0, 30, a) : hsl(rng.float(15, 35), rng.float(10, 40), rng.float(6, 30));
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.28, w * 0.23, h * rng.float(0.1, 0.14), 0, Math.PI, Math.PI * 2);
  ctx.fill();
  if (rng.chance(0.4)) {
    ctx.fillRect(cx - w * 0.24, y + h * 0.27, w * 0.07, h * rng.float(0.12, 0.3));
    ctx.fillRect(cx + w * 0.17, y + h * 0.27, w * 0.07, h * rng.float(0.12, 0.3));
  }
  ctx.restore();
}

/** A handwritten-looking scribble. */
function signature(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.strokeStyle = rng.pick(['#1b2a6b', '#111111', '#2a2a55', '#222244']);
  ctx.lineWidth = rng.float(1.6, 3);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let px = x;
  let py = y + h / 2;
  ctx.moveTo(px, py);
  const strokes = rng.int(6, 12);
  for (let i = 0; i < strokes; i++) {
    const nx = x + ((i + 1) / strokes) * w;
    const ny = y + rng.float(0.1, 0.9) * h;
    ctx.bezierCurveTo(
      px + rng.float(-20, 40), y + rng.float(-0.2, 1.2) * h,
      nx + rng.float(-40, 20), y + rng.float(-0.2, 1.2) * h,
      nx, ny,
    );
    px = nx;
    py = ny;
  }
  ctx.stroke();
  if (rng.chance(0.6)) {
    ctx.beginPath();
    ctx.moveTo(x + rng.float(0, w * 0.3), py + rng.float(5, 15));
    ctx.lineTo(x + w * rng.float(0.6, 1), py + rng.float(-10, 10));
    ctx.stroke();
  }
  ctx.restore();
}

/** QR-code-like block: three finder squares and random modules (encodes nothing). */
function qrBlock(ctx: Ctx, rng: Rng, x: number, y: number, size: number, modules: number): void {
  const m = size / modules;
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x - m * 2, y - m * 2, size + m * 4, size + m * 4);
  ctx.fillStyle = '#111111';
  const finder = (fx: number, fy: number): boolean =>
    (fx < 8 && fy < 8) || (fx >= modules - 8 && fy < 8) || (fx < 8 && fy >= modules - 8);
  for (let j = 0; j < modules; j++) {
    for (let i = 0; i < modules; i++) {
      if (finder(i, j)) continue;
      if (rng.chance(0.5)) ctx.fillRect(x + i * m, y + j * m, Math.ceil(m), Math.ceil(m));
    }
  }
  for (const [fx, fy] of [[0, 0], [modules - 7, 0], [0, modules - 7]] as const) {
    ctx.fillRect(x + fx * m, y + fy * m, 7 * m, 7 * m);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x + (fx + 1) * m, y + (fy + 1) * m, 5 * m, 5 * m);
    ctx.fillStyle = '#111111';
    ctx.fillRect(x + (fx + 2) * m, y + (fy + 2) * m, 3 * m, 3 * m);
  }
  ctx.restore();
}

/** A 1D barcode stripe (random bars). */
function barcode(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x - 10, y - 6, w + 20, h + 12);
  ctx.fillStyle = '#111111';
  let cx = x;
  while (cx < x + w - 6) {
    const bar = rng.int(1, 4) * 2;
    ctx.fillRect(cx, y, bar, h);
    cx += bar + rng.int(1, 4) * 2;
  }
  ctx.restore();
}

/** A fingerprint-like blob: noisy concentric arcs inside an ellipse. */
function fingerprint(ctx: Ctx, rng: Rng, cx: number, cy: number, rx: number, ry: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(cx, cy, rx, ry, 0, 0, Math.PI * 2);
  ctx.clip();
  ctx.strokeStyle = hsl(0, 0, rng.float(15, 35), 0.85);
  ctx.lineWidth = rng.float(2, 3);
  const phase = rng.float(0, 6);
  for (let k = 1; k < 24; k++) {
    const r = k * (Math.max(rx, ry) / 18);
    ctx.beginPath();
    for (let t = 0; t <= Math.PI * 2 + 0.05; t += 0.05) {
      const wob = 1 + 0.06 * Math.sin(3 * t + phase + k * 0.3) + 0.03 * Math.sin(7 * t + k);
      const x = cx + Math.cos(t) * r * wob * (rx / ry);
      const y = cy + Math.sin(t) * r * wob + r * 0.25;
      if (t === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.restore();
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
  const gapLabel = 8;
  const gapItem = rng.float(18, 30);
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

/** Where things were drawn on a front (card px), for tests that check what the reader locates. */
export interface FrontLayout {
  photo?: { x: number; y: number; w: number; h: number };
  /** Each printed value's rectangle, filled when given. */
  fields?: FieldRects;
}

export function renderFront(card: SyntheticCard, rng: Rng, layout?: FrontLayout): Buffer {
  registerFonts();
  const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = canvas.getContext('2d');
  const style = chooseStyle(rng);
  const old = isOldModel(card.model);
  cardShape(ctx);
  background(ctx, rng, style.hue, [86, 95]);
  guilloche(ctx, rng, style.hue, 1);
  watermark(ctx, rng, style.hue, rng.float(600, 820), rng.float(300, 420));
  header(ctx, rng, style, old);

  const right = CARD_WIDTH - 30;
  const photo = { x: rng.float(30, 46), y: rng.float(128, 145), w: rng.float(238, 262), h: rng.float(300, 325) };
  if (layout) layout.photo = photo;
  const rects = layout?.fields;
  silhouette(ctx, rng, photo.x, photo.y, photo.w, photo.h, false);
  signature(ctx, rng, photo.x + 10, photo.y + photo.h + 25, photo.w - 20, rng.float(50, 80));

  const x0 = photo.x + photo.w + rng.float(22, 34);
  const L = style.label;
  const V = style.value;
  const j = style.jitter;
  const lineStep = V.size * rng.float(1.12, 1.25);
  const lbl = (t: string, x: number, y: number): number => draw(ctx, rng, labelText(style, t), x, y, L, j);
  const names = ([['firstLastName', card.paterno], ['secondLastName', card.materno], ['name', card.given]] as const).filter(([, s]) => s !== '');
  const dob = formatDob(card);

  let y = photo.y + rng.float(12, 22);
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

export function renderBack(card: SyntheticCard, rng: Rng, layout?: BackLayout): Buffer {
  registerFonts();
  const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = canvas.getContext('2d');
  const hue = rng.pick([rng.float(300, 350), rng.float(15, 45), rng.float(260, 290), rng.float(90, 150)]);
  const old = isOldModel(card.model);
  cardShape(ctx);
  background(ctx, rng, hue, [90, 96]);
  // Security pattern only above the MRZ band; the band stays plain (ICAO 9303 clear zone).
  const bandTop = rng.float(405, 420);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, CARD_WIDTH, bandTop - 8);
  ctx.clip();
  guilloche(ctx, rng, hue, 0.8);
  ctx.restore();
  ctx.fillStyle = hsl(hue, rng.float(5, 25), rng.float(94, 97), rng.float(0.5, 0.9));
  ctx.fillRect(0, bandTop, CARD_WIDTH, CARD_HEIGHT - bandTop);

  const fam = rng.pick(TEXT_FAMILIES);
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
  const mx = (CARD_WIDTH - pitch * 30) / 2 + rng.float(-12, 12);
  const lineGap = rng.float(48, 53);
  const baseY = CARD_HEIGHT - rng.float(36, 46) - 2 * lineGap;
  ctx.fillStyle = hsl(0, 0, rng.float(0, 8));
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
