/**
 * Which way each line and the page's text runs, from the lines the engine read: each line's reading direction
 * (its text-frame quad, after the detector's shape and the angle classifier) votes for a
 * quarter turn, weighted by its characters; the page's angle is that quarter turn plus the
 * median tilt of the lines that voted for it. Degrees clockwise from left-to-right, as
 * OcrResult.textAngle: 90 text running downwards, 180 upside down, 355 tilted up by 5°.
 */
import type { Quad } from './geometry.ts';

export interface OrientedLine {
  /** Text frame: q0 → q1 is the reading direction. */
  readonly quad: Quad;
  /** Characters read in it (its weight in the vote). */
  readonly chars: number;
}

/** Reading direction of one line, degrees clockwise from +x (image y points down), 0–360. */
export function lineAngle(q: Quad): number {
  const a = (Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180) / Math.PI;
  return (a + 360) % 360;
}

export function pageAngle(lines: readonly OrientedLine[]): number | undefined {
  const votes = [0, 0, 0, 0];
  const tilts: number[][] = [[], [], [], []];
  for (const l of lines) {
    if (l.chars === 0) continue;
    const a = lineAngle(l.quad);
    const quarter = Math.round(a / 90) % 4;
    votes[quarter]! += l.chars;
    // Signed tilt from the quarter turn, −45 to 45.
    tilts[quarter]!.push(((a - quarter * 90 + 540) % 360) - 180);
  }
  const best = votes.indexOf(Math.max(...votes));
  if (votes[best] === 0) return undefined;
  const t = tilts[best]!.sort((x, y) => x - y);
  const tilt = t[Math.floor(t.length / 2)] ?? 0;
  return Math.round(((best * 90 + tilt + 360) % 360) * 10) / 10;
}

/** A line crop as the classifier judged it. */
export interface JudgedCrop {
  /** The classifier's probability that the crop is upside down. */
  readonly p180: number;
  /** The crop was turned a quarter first (a vertical box). */
  readonly vertical: boolean;
  /** Its weight in the page's vote (its width). */
  readonly weight: number;
}

/**
 * Share of an axis's sure lines (the lines the classifier is sure about), by count or by width,
 * that makes its orientation the page's: every line of that axis then follows it, however sure
 * the classifier was of the line alone. A card prints no line upside down among upright ones,
 * and the classifier does turn single upright lines with p ≥ 0.9: a CURP row among 18 upright
 * lines of a front (turned, read as nothing, the CURP lost), MRZ line 3 among five upright lines
 * of prose on a back (read upside down as TENTEIOEIIZEOT). By count as well as by width: the
 * long MRZ lines, which it scores least reliably, would otherwise outweigh the prose.
 */
export const PAGE_ORIENTATION_SHARE = 0.75;

/**
 * Which crops to turn half a turn. Lines of a page share its orientation: per axis (vertical or
 * horizontal), when one way holds PAGE_ORIENTATION_SHARE of the crops the classifier is sure
 * about (≥ `thresh` either way, PaddleOCR's cls_thresh), by count or by width, every crop of the
 * axis is turned that way. Without such a majority, a sure crop is turned as the classifier says
 * and an unsure one follows the sure crops' width-weighted vote (a page turned 270° otherwise
 * leaves MRZ-like lines the classifier scores 0.5–0.8 upside down).
 */
export function decideFlips(crops: readonly JudgedCrop[], thresh: number): boolean[] {
  const votes = [0, 1].map((axis) => {
    const mine = crops.filter((c) => Number(c.vertical) === axis);
    const turned = mine.filter((c) => c.p180 >= thresh);
    const upright = mine.filter((c) => c.p180 <= 1 - thresh);
    const width = (cs: readonly JudgedCrop[]): number => cs.reduce((s, c) => s + c.weight, 0);
    const share = (a: readonly JudgedCrop[], b: readonly JudgedCrop[]): number =>
      Math.max(a.length / Math.max(1, a.length + b.length), width(a) / Math.max(1e-9, width(a) + width(b)));
    const page = share(turned, upright) >= PAGE_ORIENTATION_SHARE ? true : share(upright, turned) >= PAGE_ORIENTATION_SHARE ? false : undefined;
    return { page, lean: width(turned) > width(upright) };
  });
  return crops.map((c) => {
    const { page, lean } = votes[Number(c.vertical)]!;
    if (page !== undefined) return page;
    if (c.p180 >= thresh) return true;
    if (c.p180 <= 1 - thresh) return false;
    return lean;
  });
}

/** One turned crop recognised as turned and unturned: each read's mean character confidence (0–100), undefined when nothing was read. */
export interface TurnCheck {
  readonly turned: number | undefined;
  readonly unturned: number | undefined;
}

/**
 * Points of mean confidence by which the unturned reads must beat the turned ones to undo the
 * classifier. Blurred or tiny print can look upside down to it as a whole page (hard eval: a
 * motion-blurred front's 18 of 18 lines turned, its widest read `CETE TNCON…` at 48 turned and
 * `MSIO MACLINAL…` at 67 unturned; a 420-px card's front lost the same way); on a page truly
 * upside down the unturned reads score 20–60 against 95–99 turned.
 */
export const TURN_MARGIN = 10;

/**
 * Whether the classifier's half turns stand, judged by the recogniser on crops read both ways:
 * they fall when the unturned reads' mean confidence is TURN_MARGIN points above the turned
 * reads'. A crop that reads nothing either way (a photo's edge) is left out; nothing read one
 * way counts 0.
 */
export function turnsHold(checks: readonly TurnCheck[]): boolean {
  const read = checks.filter((c) => c.turned !== undefined || c.unturned !== undefined);
  if (read.length === 0) return true;
  const mean = (way: keyof TurnCheck): number => read.reduce((s, c) => s + (c[way] ?? 0), 0) / read.length;
  return mean('unturned') < mean('turned') + TURN_MARGIN;
}
