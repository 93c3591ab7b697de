/**
 * Which image is which side, decided from typed evidence (src/judge/sides.ts): tables of what
 * two images show, and what the reader must make of them. No OCR.
 */
import { describe, expect, it } from 'vitest';
import { extractFront } from '../src/extract/front.ts';
import { decideNamedPair, decideUnsided, describeFinding, type ImageEvidence } from '../src/judge/sides.ts';
import { ocrOf } from './ocr-builder.ts';

const noFront = extractFront({ text: '', lines: [], width: 0, height: 0, confidence: 0 });
const aFront = extractFront(
  ocrOf([
    { x: 40, y: 40, text: 'NOMBRE' },
    { x: 40, y: 80, text: 'PEREZ' },
    { x: 40, y: 120, text: 'LOPEZ' },
    { x: 40, y: 160, text: 'JUAN CARLOS' },
    { x: 40, y: 200, text: 'DOMICILIO' },
    { x: 40, y: 240, text: 'C 5 DE MAYO 123' },
    { x: 40, y: 300, text: 'CLAVE DE ELECTOR PRLPJN90031509H123' },
    { x: 40, y: 340, text: 'CURP PELJ900315HDFRPN09' },
  ]),
);
const prose = extractFront(
  ocrOf([
    { x: 40, y: 40, text: 'CONSTANCIA DE SERVICIO' },
    { x: 40, y: 80, text: 'DOMICILIO' },
    { x: 40, y: 120, text: 'CALLE 5 DE MAYO 123 COL CENTRO' },
  ]),
);

const img = (over: Partial<ImageEvidence>): ImageEvidence => ({ textChars: 300, ineMrz: false, ineMrzChecks: 0, foreignMrz: null, front: noFront, proseLines: 0, ...over });
const FRONT = img({ front: aFront });
const BACK = img({ ineMrz: true, ineMrzChecks: 4 });
const BACK_UNREAD = img({ ineMrz: true, ineMrzChecks: 0 });
const BLANK = img({ textChars: 0 });
const PASSPORT = img({ foreignMrz: { format: 'TD3', documentCode: 'P<', issuer: 'MEX', checksPassed: 3 }, front: aFront });
const BILL = img({ front: prose, proseLines: 6 });
/** A genuine front too blurred for its labels and codes: little text, no paragraphs. */
const BLURRED_FRONT = img({ front: prose, textChars: 60 });

describe('decideNamedPair', () => {
  it.each([
    { name: 'a front and a back', front: FRONT, back: BACK, want: { ok: true, front: 0, back: 1 } },
    { name: 'a back whose MRZ could not be read is still read (flagged later)', front: FRONT, back: BACK_UNREAD, want: { ok: true, front: 0, back: 1 } },
    { name: 'swapped: the front shows a valid MRZ, the back a front', front: BACK, back: FRONT, want: { ok: true, front: 1, back: 0 } },
    { name: 'the back twice', front: BACK, back: BACK, want: { ok: false, code: 'INOCR002' } },
    { name: 'the front twice', front: FRONT, back: FRONT, want: { ok: false, code: 'INOCR003' } },
    { name: 'a genuine front with a blank back', front: FRONT, back: BLANK, want: { ok: false, code: 'INOCR012', finding: { kind: 'blank', side: 'back' } } },
    { name: 'a passport page as both images', front: PASSPORT, back: PASSPORT, want: { ok: false, code: 'INOCR004', finding: { kind: 'foreign-mrz', side: 'front' } } },
    { name: 'a utility bill as the front of a genuine back', front: BILL, back: BACK, want: { ok: false, code: 'INOCR004', finding: { kind: 'not-front' } } },
    { name: 'a utility bill as both images', front: BILL, back: BILL, want: { ok: false, code: 'INOCR004', finding: { kind: 'not-a-card' } } },
    { name: 'two short notes, no prose, nothing of a card', front: img({ textChars: 40 }), back: img({ textChars: 20 }), want: { ok: false, code: 'INOCR004', finding: { kind: 'not-a-card' } } },
    { name: 'a blurred genuine front beside a back whose MRZ is found but fails its checks is read', front: BLURRED_FRONT, back: BACK_UNREAD, want: { ok: true, front: 0, back: 1 } },
    { name: 'a utility bill as the back of a genuine front', front: FRONT, back: BILL, want: { ok: false, code: 'INOCR004', finding: { kind: 'not-back' } } },
    { name: 'a blurred genuine front is read (its fields flagged), not refused', front: BLURRED_FRONT, back: BACK, want: { ok: true, front: 0, back: 1 } },
  ])('$name', ({ front, back, want }) => {
    expect(decideNamedPair(front, back)).toMatchObject(want);
  });
});

describe('decideUnsided', () => {
  it.each([
    { name: 'back first', a: BACK, b: FRONT, want: { ok: true, front: 1, back: 0 } },
    { name: 'front first', a: FRONT, b: BACK, want: { ok: true, front: 0, back: 1 } },
    // The camera-named pair read the wrong way round: an "MRZ" assembled from the front's text,
    // failing its checks, never makes the front the back.
    { name: 'a failing MRZ on the front does not decide', a: img({ front: aFront, ineMrz: true, ineMrzChecks: 1 }), b: BACK, want: { ok: true, front: 0, back: 1 } },
    { name: 'the back with fewer passing checks is not the back', a: img({ ineMrz: true, ineMrzChecks: 2, front: aFront }), b: img({ ineMrz: true, ineMrzChecks: 4 }), want: { ok: true, front: 0, back: 1 } },
    { name: 'no MRZ in either', a: FRONT, b: BILL, want: { ok: false, code: 'INOCR003' } },
    { name: 'two fronts', a: FRONT, b: FRONT, want: { ok: false, code: 'INOCR003', finding: { kind: 'two-fronts' } } },
    { name: 'a front and an unreadable MRZ: the MRZ side is the back', a: FRONT, b: BACK_UNREAD, want: { ok: true, front: 0, back: 1 } },
    { name: 'two unreadable MRZs: both ways', a: BACK_UNREAD, b: BACK_UNREAD, want: { ok: 'ambiguous' } },
  ])('$name', ({ a, b, want }) => {
    expect(decideUnsided(a, b)).toMatchObject(want);
  });
});

describe('findings in words', () => {
  it('name the side and what was found, never a value', () => {
    expect(describeFinding({ kind: 'blank', side: 'back' })).toMatch(/^The back image shows no text/);
    expect(describeFinding({ kind: 'foreign-mrz', side: 'front', mrz: { format: 'TD3', documentCode: 'P<', issuer: 'MEX', checksPassed: 3 } })).toMatch(/passport's, issued by MEX/);
    expect(describeFinding({ kind: 'foreign-mrz', side: 'back', mrz: { format: 'TD1', documentCode: 'ID', issuer: 'CHE', checksPassed: 3 } })).toMatch(/identity document \(TD1\)'s, issued by CHE/);
    expect(describeFinding({ kind: 'two-backs' })).toMatch(/Both images show the back/);
  });
});
