/**
 * The record's `fieldBoxes`: for each field read, the side it was read on and where, in that
 * input image's pixels. The side is the one the judge took the value from (`checks.source`:
 * the back for `back`, the front for `front`, `both` and `derived` when the front has a box).
 * An MRZ field's box is its characters' share of its line.
 */
import type { BBox } from '../engines/types.ts';
import { assignAddress } from '../judge/front-only.ts';
import type { CardFields, FieldBox, FieldBoxes, FieldCheck, FieldName } from '../record.ts';
import { toInputQuad } from './geometry.ts';
import type { BackRead, FrontRead } from './types.ts';

/** Where an MRZ field sits: line (0-based) and characters [start, end) of 30 (ICAO 9303 TD1, ine-formats.md §2). */
const MRZ_SPANS: Readonly<Partial<Record<FieldName, readonly [number, number, number]>>> = {
  mz1: [0, 0, 30],
  mz2: [1, 0, 30],
  mz3: [2, 0, 30],
  idMex: [0, 5, 14],
  idNumber: [0, 17, 30],
  section: [0, 17, 21],
  citizenId: [0, 21, 30],
  dateOfBirth: [1, 0, 6],
  sex: [1, 7, 8],
  expirationDate: [1, 8, 14],
  issueNumber: [1, 19, 21],
  firstLastName: [2, 0, 30],
  secondLastName: [2, 0, 30],
  name: [2, 0, 30],
};

/** The box of an MRZ field in the band (three lines of equal height). */
function mrzBox(band: BBox, span: readonly [number, number, number]): BBox {
  const [line, start, end] = span;
  const h = (band.y1 - band.y0) / 3;
  const w = (band.x1 - band.x0) / 30;
  return { x0: band.x0 + start * w, y0: band.y0 + line * h, x1: band.x0 + end * w, y1: band.y0 + (line + 1) * h };
}

/** The front's box for each field, in its upright image. */
function frontBoxes(front: FrontRead, fields: CardFields): Partial<Record<FieldName, BBox>> {
  const r = front.reading;
  const out: Partial<Record<FieldName, BBox>> = { ...r.boxes.fields };
  if (r.zones.curp) out.curp = r.zones.curp;
  if (r.zones.clave) out.electoralId = r.zones.clave;
  // Name lines as the judge assigns them: paterno, materno, given (two lines: no materno when the card has one surname).
  const names = r.boxes.nameLines;
  if (names.length >= 3) Object.assign(out, { firstLastName: names[0], secondLastName: names[1], name: names[2] });
  else if (names.length === 2) Object.assign(out, fields.secondLastName ? { firstLastName: names[0], secondLastName: names[1] } : { firstLastName: names[0], name: names[1] });
  else if (names.length === 1) out.firstLastName = names[0];
  const lines = r.boxes.addressLines;
  const placed = assignAddress(lines.map((_, i) => String(i)));
  placed.forEach((k, i) => {
    const box = k === '' ? undefined : lines[Number(k)];
    if (box) out[`addressLine${i + 1}` as FieldName] = box;
  });
  if (out.addressLine2) out.postalCode = out.addressLine2;
  return out;
}

export async function fieldBoxes(fields: CardFields, checks: Partial<Record<FieldName, FieldCheck>>, front: FrontRead | undefined, back: BackRead | undefined): Promise<FieldBoxes> {
  const fromFront = front ? frontBoxes(front, fields) : {};
  const band = back?.reading.mrz ? back.reading.band : null;
  const out: FieldBoxes = {};
  for (const [field, check] of Object.entries(checks) as [FieldName, FieldCheck][]) {
    if (!fields[field]) continue;
    const span = MRZ_SPANS[field];
    const backBox = band && span ? mrzBox(band, span) : undefined;
    const frontBox = fromFront[field];
    const side: FieldBox['side'] | undefined = check.source === 'back' ? (backBox ? 'back' : undefined) : frontBox ? 'front' : backBox ? 'back' : undefined;
    if (side === 'front' && front && frontBox) out[field] = { side, quad: await toInputQuad(frontBox, front.geometry) };
    else if (side === 'back' && back && backBox) out[field] = { side, quad: await toInputQuad(backBox, back.geometry) };
  }
  return out;
}
