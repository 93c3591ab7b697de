/**
 * `--engine hybrid`: tesseract.js reads every side (free, offline); only a side whose fields
 * fail validation is sent to the cloud engine, once, and the better of the two readings is
 * kept. What "fails" means is what the checks can tell without the other side:
 *
 * - back: no MRZ found, or its check digits (ICAO 9303 7-3-1: CIC, birth date, expiry,
 *   composite) do not all pass;
 * - front: CURP missing or failing its structure/check digit (RENAPO), clave de elector
 *   missing or malformed, fewer than two name lines, or no date of birth.
 *
 * A cloud call that fails for the card (INOCR007/INOCR009) leaves the local reading in place,
 * with a warning, when that reading has something to give (an MRZ, if not a valid one; a front
 * with its labels); a side with nothing usable takes the cloud's error as the card's (so
 * --resume retries it). A refusal of the credentials (RunError) stops the run as everywhere else.
 */
import type { Note } from '../evidence.ts';
import { InocrError } from '../errors.ts';
import type { BackReading } from '../extract/back.ts';
import { parseClave } from '../extract/clave.ts';
import { parseCurp } from '../extract/curp.ts';
import type { FrontReading } from '../extract/front.ts';
import type { CloudPlan } from '../reading/cloud-plan.ts';
import type { BackRead, FrontRead, SideRead, SideTrace } from '../reading/types.ts';
import type { DecodedRaster } from './image.ts';

/** Why the back needs the cloud engine, or undefined when its MRZ passes every check digit. */
export function backFails(b: BackReading): string | undefined {
  if (!b.mrz) return 'no MRZ read';
  if (!b.mrz.valid) return 'MRZ check digits fail';
  return undefined;
}

/** Why the front needs the cloud engine, or undefined when its checkable fields pass. */
export function frontFails(f: FrontReading): string | undefined {
  const reasons: string[] = [];
  if (!parseCurp(f.curp.slice(0, 18)).valid) reasons.push(f.curp ? 'CURP invalid' : 'no CURP');
  if (!parseClave(f.clave.slice(0, 18)).valid) reasons.push(f.clave ? 'clave invalid' : 'no clave');
  if (f.nameLines.length < 2) reasons.push('name lines missing');
  if (!f.dateOfBirth) reasons.push('no date of birth');
  return reasons.length > 0 ? reasons.join(', ') : undefined;
}

/** A valid MRZ beats an invalid one; otherwise the higher score, the cloud's on a tie (it was asked because the local one failed). */
export function betterBack(local: BackReading, cloud: BackReading): BackReading {
  const lv = local.mrz?.valid ?? false;
  const cv = cloud.mrz?.valid ?? false;
  if (lv !== cv) return cv ? cloud : local;
  return cloud.score >= local.score ? cloud : local;
}

/** Checks a front reading passes, weighted by what they bind: the codes carry check digits. */
export function frontScore(f: FrontReading): number {
  return (
    (parseCurp(f.curp.slice(0, 18)).valid ? 3 : 0) +
    (parseClave(f.clave.slice(0, 18)).valid ? 3 : 0) +
    (f.nameLines.length >= 2 ? 2 : 0) +
    (f.dateOfBirth ? 1 : 0) +
    (f.sex ? 1 : 0) +
    0.1 * f.labels.length
  );
}

export function betterFront(local: FrontReading, cloud: FrontReading): FrontReading {
  return frontScore(cloud) >= frontScore(local) ? cloud : local;
}

export interface Sides {
  readonly front: FrontRead;
  readonly back: BackRead;
  /** Notes for the record (no field values). */
  readonly notes: Note[];
}

/** Re-reads the failing sides with the cloud engine (both at once) and keeps the better readings. */
export async function escalate(
  cloud: CloudPlan,
  local: { front: FrontRead; frontRaster: DecodedRaster; back: BackRead; backRaster: DecodedRaster },
  trace: { front?: SideTrace; back?: SideTrace },
  signal?: AbortSignal,
): Promise<Sides> {
  const notes: Note[] = [];
  const side = async <T>(
    name: 'front' | 'back',
    read: SideRead<T>,
    reason: string | undefined,
    usable: boolean,
    reRead: (t: SideTrace) => Promise<SideRead<T>>,
    pick: (a: T, b: T) => T,
  ): Promise<SideRead<T>> => {
    if (reason === undefined) return read;
    const t = trace[name];
    const own: SideTrace = { rotation: 0, ocrCalls: 0, textChars: 0 };
    try {
      const cloudRead = await reRead(own);
      return pick(read.reading, cloudRead.reading) === cloudRead.reading ? cloudRead : read;
    } catch (err) {
      if (!(err instanceof InocrError) || !usable) throw err;
      notes.push({ code: 'escalation-failed', side: name, engine: cloud.sides.engine.name, error: `${err.code}: ${err.message}` });
      return read;
    } finally {
      if (t) {
        t.ocrCalls += own.ocrCalls;
        t.textChars = Math.max(t.textChars, own.textChars);
        t.escalated = reason;
      }
    }
  };
  const [front, back] = await Promise.all([
    side('front', local.front, frontFails(local.front.reading), local.front.reading.labels.length >= 2, (t) => cloud.readFront(local.frontRaster, t, signal), betterFront),
    side('back', local.back, backFails(local.back.reading), local.back.reading.mrz !== null, (t) => cloud.readBack(local.backRaster, t, signal), betterBack),
  ]);
  return { front, back, notes };
}

/**
 * Sides unknown (camera-named pair) and no MRZ read locally in either image: the cloud
 * engine's reading of each, in turn, until one shows an MRZ (1 or 2 calls; the other image's
 * result is kept for its front reading). Undefined when neither does.
 */
export async function findBack(
  cloud: CloudPlan,
  rasters: readonly [DecodedRaster, DecodedRaster],
  traces: readonly [SideTrace, SideTrace],
  signal?: AbortSignal,
): Promise<{ index: 0 | 1; back: BackRead } | undefined> {
  for (const index of [0, 1] as const) {
    const back = await cloud.readBack(rasters[index], traces[index], signal);
    if (back.reading.mrz) {
      traces[index].escalated = 'no MRZ read in either image';
      return { index, back };
    }
  }
  return undefined;
}
