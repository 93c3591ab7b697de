/** The paddle engine's page orientation rules: the classifier's half turns per line, and the page's text angle. */
import { describe, expect, it } from 'vitest';
import { rectCorners, orderClockwise, rollQuad, turnPoint, type Quad } from '../src/engines/paddle/geometry.ts';
import { decideFlips, lineAngle, pageAngle } from '../src/engines/paddle/orientation.ts';

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
