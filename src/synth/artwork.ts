/**
 * The card's artwork, all procedural: background tints, guilloche security print, the
 * watermark seal, an emblem (not the national coat of arms), a head-and-shoulders silhouette
 * for the photo, signatures, QR-like blocks, barcodes, a fingerprint. No real artwork is
 * reproduced.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Rng } from './rng.ts';

export const CARD_WIDTH = 1012;
export const CARD_HEIGHT = 638;
/** Corner radius of an ID-1 card (3.18 mm) at 300 dpi. */
const CORNER_RADIUS = 37;

export type Ctx = SKRSContext2D;

export function hsl(h: number, s: number, l: number, a = 1): string {
  return `hsla(${h.toFixed(1)}, ${s.toFixed(1)}%, ${l.toFixed(1)}%, ${a.toFixed(3)})`;
}
// ---------------------------------------------------------------------------------------
// Background, security patterns, pictures

export function cardShape(ctx: Ctx): void {
  ctx.beginPath();
  ctx.roundRect(0, 0, CARD_WIDTH, CARD_HEIGHT, CORNER_RADIUS);
  ctx.clip();
}

/** A tint of the card stock: hue shift (degrees), saturation multiplier, lightness shift (points). */
export interface Tint {
  readonly hue: number;
  readonly saturation: number;
  readonly lightness: number;
}
const NO_TINT: Tint = { hue: 0, saturation: 1, lightness: 0 };

export function background(ctx: Ctx, rng: Rng, hue: number, lightness: [number, number], tint: Tint = NO_TINT): void {
  const t = (h: number, s: number, l: number): string => hsl(h, s * tint.saturation, Math.min(99, l + tint.lightness));
  const h0 = hue + tint.hue;
  const g = ctx.createLinearGradient(0, 0, CARD_WIDTH, CARD_HEIGHT * rng.float(0.3, 1));
  g.addColorStop(0, t(h0, rng.float(35, 65), rng.float(lightness[0], lightness[1])));
  g.addColorStop(rng.float(0.35, 0.65), t(h0 + rng.float(-25, 25), rng.float(30, 60), rng.float(lightness[0], lightness[1])));
  g.addColorStop(1, t(h0 + rng.float(-40, 40), rng.float(30, 60), rng.float(lightness[0], lightness[1])));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
}

/** Guilloche: hypotrochoid rosettes and families of fine waves, faint like offset security print. */
export function guilloche(ctx: Ctx, rng: Rng, hue: number, strength: number): void {
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
export function watermark(ctx: Ctx, rng: Rng, hue: number, cx: number, cy: number): void {
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
export function emblem(ctx: Ctx, rng: Rng, cx: number, cy: number, r: number, hue: number): void {
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
export function silhouette(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number, ghost: boolean): void {
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
export function signature(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number): void {
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
export function qrBlock(ctx: Ctx, rng: Rng, x: number, y: number, size: number, modules: number): void {
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
export function barcode(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number): void {
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
export function fingerprint(ctx: Ctx, rng: Rng, cx: number, cy: number, rx: number, ry: number): void {
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

/**
 * A second security print some runs carry (drawn from its own seed): lines of microtext,
 * a halftone dot screen, or fine diagonal hatching — faint, under the text.
 */
export function extraPattern(ctx: Ctx, rng: Rng, kind: 'microtext' | 'dots' | 'lines', hue: number): void {
  ctx.save();
  const color = hsl(hue + rng.float(-30, 30), rng.float(25, 55), rng.float(45, 65), rng.float(0.12, 0.25));
  ctx.fillStyle = color;
  ctx.strokeStyle = color;
  if (kind === 'microtext') {
    ctx.font = `${rng.float(5, 7).toFixed(1)}px "Synth DejaVu Condensed"`;
    const text = rng.pick(['INE MEXICO ', 'INSTITUTO NACIONAL ELECTORAL ', 'CREDENCIAL PARA VOTAR ']).repeat(12);
    const step = rng.float(9, 16);
    for (let y = rng.float(0, step); y < CARD_HEIGHT; y += step) ctx.fillText(text, -rng.float(0, 60), y);
  } else if (kind === 'dots') {
    const step = rng.float(5, 9);
    const r = step * rng.float(0.12, 0.25);
    ctx.beginPath();
    for (let y = 0, row = 0; y < CARD_HEIGHT; y += step, row++) {
      for (let x = row % 2 ? step / 2 : 0; x < CARD_WIDTH; x += step) {
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, Math.PI * 2);
      }
    }
    ctx.fill();
  } else {
    const step = rng.float(4, 8);
    const slope = rng.pick([-1, 1]) * rng.float(0.4, 1.2);
    ctx.lineWidth = rng.float(0.5, 0.9);
    ctx.beginPath();
    for (let x = -CARD_HEIGHT * 1.5; x < CARD_WIDTH + CARD_HEIGHT * 1.5; x += step) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x + CARD_HEIGHT * slope, CARD_HEIGHT);
    }
    ctx.stroke();
  }
  ctx.restore();
}
