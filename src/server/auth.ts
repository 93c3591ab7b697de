/**
 * API keys for `ine-ocr serve`: the seed API's `apikey` header (INOCR016 when it does not match).
 *
 * Keys are kept only as SHA-256 digests. A candidate is hashed and compared with every key's
 * digest by crypto.timingSafeEqual, always all of them: the time taken depends neither on how
 * much of a key matched, nor on a key's length (every digest is 32 bytes), nor on which key
 * matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class ApiKeys {
  private readonly digests: readonly Buffer[];

  constructor(keys: readonly string[]) {
    const unique = [...new Set(keys.filter((k) => k !== ''))];
    this.digests = unique.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  /** True when the candidate is one of the keys. A missing or empty candidate never is. */
  verify(candidate: string | undefined): boolean {
    const d = digest(candidate ?? '');
    let match = false;
    // No early exit: every key is compared whatever the outcome.
    for (const k of this.digests) match = timingSafeEqual(k, d) || match;
    return match && candidate !== undefined && candidate !== '';
  }
}

/** `INE_OCR_API_KEYS`: comma-separated; blanks around keys and empty entries are dropped. */
export function keysFromList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

/** `--api-keys-file`: one key per line; blank lines and `#` comment lines are skipped; CRLF is fine. */
export function keysFromFile(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
