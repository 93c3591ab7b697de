/**
 * Greedy CTC decoding of the recogniser's output, as PaddleOCR's CTCLabelDecode (best class at
 * every time step, repeats merged, blanks dropped), with two differences: the best class is
 * taken among the classes the caller allows (a Latin document, the MRZ alphabet) and the blank,
 * and every emitted character keeps its time step and probability, so the caller can place it
 * in the line and split words where the model dropped a space.
 */
import { BLANK } from './models.ts';

/** One line's output: `steps` rows of `classes` probabilities (softmax), row-major. */
export interface LineProbs {
  readonly data: Float32Array;
  readonly steps: number;
  readonly classes: number;
}

export interface DecodedChar {
  readonly char: string;
  readonly classId: number;
  /** First time step of the run that emitted it. */
  readonly step: number;
  /** Last time step of that run. */
  readonly lastStep: number;
  /** Its probability: the highest over its run (the softmax's, not renormalised over the allowed classes). */
  readonly prob: number;
}

/**
 * Decodes one line. `allowed`: sorted class ids the argmax may take (must include the blank);
 * `chars[i]` is class i's character.
 */
export function decodeCtc(line: LineProbs, allowed: Int32Array, chars: readonly string[]): DecodedChar[] {
  const out: DecodedChar[] = [];
  let prev = BLANK;
  for (let t = 0; t < line.steps; t++) {
    const row = t * line.classes;
    let best = BLANK;
    let bestP = -1;
    for (let k = 0; k < allowed.length; k++) {
      const c = allowed[k]!;
      const p = line.data[row + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== BLANK && best === prev) {
      // The same character held over several steps: one character, its best step's probability.
      const last = out[out.length - 1]!;
      out[out.length - 1] = { ...last, lastStep: t, prob: Math.max(last.prob, bestP) };
    } else if (best !== BLANK) {
      out.push({ char: chars[best] ?? '', classId: best, step: t, lastStep: t, prob: bestP });
    }
    prev = best;
  }
  return out;
}

/** The probability of one class at each time step (e.g. the space's, to find dropped spaces). */
export function classTrack(line: LineProbs, classId: number): Float32Array {
  const out = new Float32Array(line.steps);
  for (let t = 0; t < line.steps; t++) out[t] = line.data[t * line.classes + classId]!;
  return out;
}
