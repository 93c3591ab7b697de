/** The paddle engine's page orientation rules: the classifier's half turns per line, and the page's text angle. */
import { describe, expect, it } from 'vitest';
import { rectCorners, orderClockwise, rollQuad, turnPoint, type Quad } from '../src/engines/paddle/geometry.ts';
import { decideFlips, lineAngle, pageAngle, turnsHold } from '../src/engines/paddle/orientation.ts';

const crop = (p180: number, vertical = false, weight = 100): { p180: number; vertical: boolean; weight: number } => ({ p180, vertical, weight });

describe('decideFlips', () => {
  it.each([
    ['sure lines are turned as the classifier says', [crop(0.99), crop(0.01)], [true, false]],
    ['an unsure line follows the sure lines of its axis', [crop(0.95), crop(0.97), crop(0.55)], [true, true, true]],
    ['an unsure line stays when the sure lines are upright', [crop(0.02), crop(0.03), crop(0.8)], [false, false, false]],
    ['the vote is by width: one long sure line outweighs two short ones', [crop(0.99, false, 900), crop(0.01, false, 100), crop(0.02, false, 100), crop(0.6)], [true, true, true, true]],
    ['a sure line against a clear page majority follows the page', [crop(0.02), crop(0.01), crop(0.03), crop(0.05), crop(0.97)], [false, false, false, false, false]],
    ['without a clear majority, sure lines are turned as the classifier says', [crop(0.99, false, 300), crop(0.01, false, 200), crop(0.6, false, 100)], [true, false, true]],
    // Recorded on an upright back: MRZ line 3 (1,163 px) scored 0.91 among five upright lines of prose.
    ['by count too: a long MRZ line against five upright lines of prose', [crop(0.91, false, 1163), crop(0.48, false, 1163), crop(0.14, false, 1162), crop(0.0, false, 223), crop(0.0, false, 336), crop(0.15, false, 118), crop(0.0, false, 417), crop(0.01, false, 451), crop(0.02, false, 424)], [false, false, false, false, false, false, false, false, false]],
    ['vertical and horizontal lines vote apart', [crop(0.99, true), crop(0.6, true), crop(0.01), crop(0.6)], [true, true, false, false]],
    ['with no sure line, unsure lines are left as they are', [crop(0.6), crop(0.4)], [false, false]],
  ])('%s', (_name, crops, want) => {
    expect(decideFlips(crops, 0.9)).toEqual(want);
  });
});

describe('turnsHold', () => {
  // Mean character confidences of the widest turned crops, read turned and unturned (hard and
  // regular eval captures; undefined: nothing read that way).
  it.each([
    ['a motion-blurred upright front the classifier turned whole (one crop read at all)', [{ turned: 47.57, unturned: 66.84 }, { turned: undefined, unturned: undefined }, { turned: undefined, unturned: undefined }], false],
    ['a 420-px upright card, every line turned', [{ turned: 37.49, unturned: 56.44 }, { turned: 42.54, unturned: 48.27 }, { turned: 23.13, unturned: 75.84 }], false],
    ['an upright back whose MRZ lines were turned', [{ turned: 69.32, unturned: 94.8 }, { turned: 15.2, unturned: 85.29 }], false],
    ['a front truly upside down', [{ turned: 99.05, unturned: 20.29 }, { turned: 97.35, unturned: 20.27 }, { turned: 99.36, unturned: undefined }], true],
    ['a back truly upside down', [{ turned: 95.35, unturned: 18.11 }, { turned: 98.88, unturned: 59.37 }, { turned: 98.58, unturned: 58.09 }], true],
    ['unturned reads better, but by less than the margin', [{ turned: 60, unturned: 65 }, { turned: 55, unturned: 62 }], true],
    ['nothing read either way', [{ turned: undefined, unturned: undefined }], true],
    ['no crop checked', [], true],
  ])('%s', (_name, checks, holds) => {
    expect(turnsHold(checks)).toBe(holds);
  });
});

describe('pageAngle', () => {
  /** A line's text-frame quad, reading at `deg` clockwise from +x. */
  const line = (deg: number, chars = 10): { quad: Quad; chars: number } => {
    const q = orderClockwise(rectCorners(500, 300, 400, 30, deg));
    // orderClockwise gives image-frame corners; roll until q0 → q1 points along `deg`.
    let text = q;
    for (let k = 0; k < 4 && Math.abs(((lineAngle(text) - ((deg + 360) % 360) + 540) % 360) - 180) > 1; k++) text = rollQuad(q, k + 1);
    return { quad: text, chars };
  };

  it.each([
    [[line(0), line(0), line(0.5)], 0],
    [[line(-3), line(-3), line(-2)], 357],
    [[line(90), line(90.5), line(180, 3)], 90.5],
    [[line(180), line(180), line(0, 5)], 180],
    [[line(270), line(269)], 270],
  ])('case %#: the quarter turn the characters vote for, plus the median tilt of its lines', (lines, want) => {
    expect(pageAngle(lines)).toBeCloseTo(want, 1);
  });

  it('says nothing without a line read', () => {
    expect(pageAngle([])).toBeUndefined();
  });

  it('turns points by quarter turns counter-clockwise', () => {
    expect(turnPoint({ x: 10, y: 2 }, 1)).toEqual({ x: 2, y: -10 });
    expect(turnPoint({ x: 10, y: 2 }, 2)).toEqual({ x: -10, y: -2 });
    expect(turnPoint({ x: 10, y: 2 }, 3)).toEqual({ x: -2, y: 10 });
    expect(turnPoint({ x: 10, y: 2 }, 4)).toEqual({ x: 10, y: 2 });
  });
});
