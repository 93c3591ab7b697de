/**
 * What a simulated capture hands back: the encoded image and, for the hard conditions, what
 * was done to it (so a truth file can say where the shadow fell or how far the card tilted).
 */
import type { Pt } from './geometry.ts';
import type { Finger, ShadowBand, Sheen, Wear } from './marks.ts';
import type { ScreenSpec } from './screen.ts';

export interface CaptureMeta {
  /** Upright frame size, px (photos). */
  readonly frame?: readonly [number, number];
  /** Card corners TL, TR, BR, BL in the upright frame (photos). */
  readonly quad?: readonly Pt[];
  /** Angle between the card's normal and the camera's axis, degrees (photos). */
  readonly tiltDeg?: number;
  /** Width of the card texture placed in the frame, px. */
  readonly cardPx?: number;
  readonly jpegQuality?: number;
  /** Pixels stored turned clockwise by this many degrees. */
  readonly turn?: 90 | 270;
  /** EXIF orientation tag written (6 or 8), absent when none. */
  readonly orientation?: 6 | 8;
  readonly shadow?: ShadowBand & { readonly overMrz: boolean };
  readonly finger?: Finger;
  /** The hologram's film, and the glare spot over it: its strength, size (σ, px) and centre in the upright frame. */
  readonly sheen?: Sheen & { readonly glareStrength: number; readonly glareSize: number; readonly glareAt: Pt };
  readonly wear?: Wear & { readonly base: 'scan' | 'photo' };
  readonly motion?: { readonly length: number; readonly angleDeg: number };
  readonly screen?: ScreenSpec;
}

export interface Captured {
  readonly data: Buffer;
  readonly ext: 'jpg' | 'png';
  /** Hard conditions only: what the capture did. */
  readonly meta?: CaptureMeta;
}

export interface CaptureOptions {
  /** Always encode scans as JPEG, at a quality that keeps files small (the checked-in samples). */
  readonly forceJpeg?: boolean;
}
