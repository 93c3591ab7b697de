/**
 * The camera of a phone photo: where the card's corners land in the frame (3D tilt, in-plane
 * rotation, pinhole projection) and the homography that maps frame pixels back onto the card.
 */
import type { Rng } from './rng.ts';

export type Pt = readonly [number, number];

/** Solves A x = b (n×n, Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
    const tmp = m[c];
    m[c] = m[p] ?? [];
    m[p] = tmp ?? [];
    const pr = m[c] ?? [];
    const pv = pr[c] ?? 1;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = m[r] ?? [];
      const f = (row[c] ?? 0) / pv;
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return m.map((r, i) => (r[n] ?? 0) / (r[i] ?? 1));
}

/** 3×3 homography (row-major, h33 = 1) taking `from[i]` to `to[i]`. */
export function homography(from: readonly Pt[], to: readonly Pt[]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] ?? [0, 0];
    const [u, v] = to[i] ?? [0, 0];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  return [...solve(a, b), 1];
}

/** How the card sits before the camera: tilt about x and y, in-plane turn (radians), focal length (px). */
export interface Pose {
  readonly ax: number;
  readonly ay: number;
  readonly az: number;
  readonly f: number;
}

/** The hand-held pose of an ordinary phone photo: tilts within ±12°, turns within ±8°. */
export function drawPose(rng: Rng, fw: number): Pose {
  const deg = Math.PI / 180;
  const ax = rng.float(-12, 12) * deg;
  const ay = rng.float(-10, 10) * deg;
  const az = rng.float(-8, 8) * deg;
  const f = fw * rng.float(0.9, 1.5);
  return { ax, ay, az, f };
}

/** Angle between the card's normal and the camera's axis, in degrees (the tilt of the card plane). */
export function tiltDegrees(p: Pose): number {
  return (Math.acos(Math.cos(p.ax) * Math.cos(p.ay)) * 180) / Math.PI;
}

/** Corners of a cw×ch card as seen by a camera in `pose`, placed roughly centred in the fw×fh frame. */
export function cardQuad(rng: Rng, fw: number, fh: number, cw: number, ch: number, pose: Pose): Pt[] {
  const { ax, ay, az, f } = pose;
  const corners: Pt[] = [
    [-cw / 2, -ch / 2],
    [cw / 2, -ch / 2],
    [cw / 2, ch / 2],
    [-cw / 2, ch / 2],
  ];
  const projected = corners.map(([x0, y0]): Pt => {
    // In-plane rotation, then tilt about x and y, then projection at distance f.
    const x1 = x0 * Math.cos(az) - y0 * Math.sin(az);
    const y1 = x0 * Math.sin(az) + y0 * Math.cos(az);
    const y2 = y1 * Math.cos(ax);
    const z2 = y1 * Math.sin(ax);
    const x3 = x1 * Math.cos(ay) + z2 * Math.sin(ay);
    const z3 = -x1 * Math.sin(ay) + z2 * Math.cos(ay);
    const s = f / (f + z3);
    return [x3 * s, y2 * s];
  });
  const xs = projected.map((p) => p[0]);
  const ys = projected.map((p) => p[1]);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const margin = 24;
  // People centre the card roughly: stay within the middle part of the free room.
  const placeX = (lo: number, hi: number): number => {
    const mid = (lo + hi) / 2;
    const half = Math.max(0, (hi - lo) / 2) * 0.6;
    return rng.float(mid - half, mid + half);
  };
  const cx = placeX(margin - minX, fw - margin - maxX);
  const cy = placeX(margin - minY, fh - margin - maxY);
  return projected.map(([x, y]): Pt => [x + cx, y + cy]);
}
