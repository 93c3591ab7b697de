/**
 * Pairing a folder's images into cards (front + back) from their names alone.
 *
 * Pure: no file system, no images. Rules, strongest first, within one directory only:
 *  1. An explicit side word anywhere in the name as its own token (separator, case or camelCase
 *     boundary): front / frontal / anverso / frente / delantera … and back / reverso / trasera /
 *     vuelta / dorso …  Files with the same remaining base (case, accents and separators ignored)
 *     pair when there is exactly one of each side. More than one of a side (with the other side
 *     present) is ambiguous: every such file becomes an orphan row and the clash is reported.
 *  2. A lone sided file whose base equals a plain file's whole name (`juan.jpg` + `juan_back.jpg`)
 *     takes that file as its other side, when that is the only candidate.
 *  3. Suffix markers `_a`/`_b` and `_1`/`_2` (after a separator) pair when a base has exactly
 *     that one pair of markers and nothing else (`x_1 … x_4` is a sequence, not sides).
 *  4. Camera sequences, sides unknown (the runner tells them apart by the MRZ):
 *     - names with a date and time (`PXL_20240101_123456789`, `IMG_20240101_123456`,
 *       `WhatsApp Image 2024-01-01 at 10.11.12 (1)`): same surrounding text, ordered by time then
 *       copy number, a run continues while photos are at most SEQUENCE_MAX_GAP_MS apart;
 *     - counters (`IMG_1234`, `DSC00012`, `scan (1)`, `scan (2)` with `scan` as copy 0): same
 *       prefix, numbers n, n+1, n+2 … form a run.
 *     A run pairs in order (1st+2nd, 3rd+4th …); an odd run leaves its last file as an orphan and
 *     is reported as ambiguous. Files sharing one sequence number are ambiguous orphans.
 *  5. Anything else is an orphan.
 * Every input path ends up in exactly one of pairs / unsided / orphans.
 */

export interface Pair {
  id: string;
  front: string;
  back: string;
}

/** Two images that belong together but whose sides are unknown: the runner decides (back = MRZ). */
export interface UnsidedPair {
  id: string;
  files: [string, string];
}

export interface Orphan {
  id: string;
  path: string;
  side: 'front' | 'back' | 'unknown';
  /** INOCR003 for a front without a back; INOCR002 for a back without a front, and for an unknown side. */
  code: 'INOCR002' | 'INOCR003';
  message: string;
}

export interface Ambiguity {
  paths: string[];
  reason: string;
}

export interface PairPlan {
  pairs: Pair[];
  unsided: UnsidedPair[];
  orphans: Orphan[];
  ambiguous: Ambiguity[];
}

/** Extensions listed from a folder: JPG/PNG plus formats that must surface as INOCR014 rows, not vanish. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.heic', '.heif', '.webp', '.avif', '.tif', '.tiff', '.bmp', '.gif', '.pdf',
];

/** Photos further apart than this end a date-time sequence run. */
export const SEQUENCE_MAX_GAP_MS = 5 * 60 * 1000;

type Side = 'front' | 'back';

const FRONT_WORDS = new Set([
  'front', 'frontal', 'obverse', 'recto', 'anverso', 'frente', 'delantera', 'delantero', 'delante', 'adelante',
]);
const BACK_WORDS = new Set([
  'back', 'rear', 'reverse', 'verso', 'reverso', 'trasera', 'trasero', 'atras', 'detras', 'vuelta', 'dorso', 'posterior',
]);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Comparison key for a base: case, accents and separators ignored. */
const keyOf = (s: string): string => fold(s).replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '');

const isSep = (ch: string | undefined): boolean => ch !== undefined && !/[\p{L}\p{N}\p{M}]/u.test(ch);

function trimSeps(s: string): string {
  return s
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/^[\s_\-.,+~]+|[\s_\-.,+~]+$/g, '');
}

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Words split at separators, letter/digit changes and camelCase humps (`juanFront` → juan, Front). */
function tokenize(stem: string): Token[] {
  const re = /\p{Lu}[\p{Ll}\p{M}]+|\p{Lu}+(?![\p{Ll}\p{M}])|[\p{Ll}\p{M}]+|\p{N}+|[\p{L}\p{M}]+/gu;
  const out: Token[] = [];
  for (const m of stem.matchAll(re)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

function cutToken(stem: string, t: Token): string {
  const left = stem.slice(0, t.start);
  let right = stem.slice(t.end);
  if (isSep(left.at(-1)) && isSep(right[0])) right = right.replace(/^[^\p{L}\p{N}\p{M}]+/u, '');
  return trimSeps(left + right);
}

/** The file name without directory and without a known image extension, NFC. */
export function stemOf(p: string): string {
  const name = p.slice(p.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 && IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase()) ? name.slice(0, dot) : name;
  return stem.normalize('NFC');
}

/** Side told by an explicit word in the name, and the name without it; null if none or contradictory. */
export function explicitSide(stem: string): { side: Side; base: string } | null {
  let found: { side: Side; tok: Token } | null = null;
  for (const tok of tokenize(stem)) {
    const w = fold(tok.text);
    const side: Side | null = FRONT_WORDS.has(w) ? 'front' : BACK_WORDS.has(w) ? 'back' : null;
    if (!side) continue;
    if (found) return null; // two side words ("anverso y reverso", "front_back"): can't tell
    found = { side, tok };
  }
  return found ? { side: found.side, base: cutToken(stem, found.tok) } : null;
}

/** A trailing marker after a separator: a single letter or a number. */
function suffixMarker(stem: string): { kind: 'letter' | 'digit'; mark: string; base: string } | null {
  const toks = tokenize(stem);
  const last = toks.at(-1);
  if (!last || toks.length < 2 || last.end !== stem.length || !isSep(stem[last.start - 1])) return null;
  if (COPY_RE.test(stem)) return null; // `scan (1)`, `scan (2)` are copies, not sides
  const base = trimSeps(stem.slice(0, last.start));
  if (!base) return null;
  if (/^\p{L}$/u.test(last.text)) return { kind: 'letter', mark: fold(last.text), base };
  if (/^\d+$/.test(last.text)) return { kind: 'digit', mark: last.text, base };
  return null;
}

/** The id a manifest entry gets when it has none: the front's name without its side word. */
export function deriveId(front: string, back: string): string {
  for (const p of [front, back]) {
    if (!p) continue;
    const stem = stemOf(p.replace(/\\/g, '/'));
    const ex = explicitSide(stem);
    if (ex) return ex.base || stem;
    const mk = suffixMarker(stem);
    if (mk && (mk.mark === 'a' || mk.mark === 'b' || mk.mark === '1' || mk.mark === '2')) {
      const other = (front && back) ? suffixMarker(stemOf((p === front ? back : front).replace(/\\/g, '/'))) : null;
      if (other && keyOf(other.base) === keyOf(mk.base)) return mk.base;
    }
    return stem;
  }
  return '';
}

const COPY_RE = /^(.*?)\s*\((\d{1,4})\)$/u;
const DATETIME_RE =
  /(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?:\s+at\s+|[\s_\-T.]*)([01]\d|2[0-3])[-_.:]?([0-5]\d)[-_.:]?([0-5]\d)(\d{0,3})(?:\s*([AaPp])\.?[Mm]\.?)?(?!\d)/u;

interface Item {
  path: string;
  dir: string;
  stem: string;
}

interface SeqMember {
  item: Item;
  /** Counter value, or time in ms for date-time names. */
  n: number;
  copy: number;
}

export function pairFiles(paths: readonly string[]): PairPlan {
  const all = [...new Set(paths)].sort(cmp);
  type Draft =
    | { kind: 'pair'; base: string; dir: string; front: string; back: string }
    | { kind: 'unsided'; base: string; dir: string; files: [string, string] }
    | { kind: 'orphan'; base: string; dir: string; path: string; side: Orphan['side']; message: string };
  const drafts: Draft[] = [];
  const ambiguous: Ambiguity[] = [];

  const byDir = new Map<string, Item[]>();
  for (const p of all) {
    const slash = p.lastIndexOf('/');
    const dir = slash >= 0 ? p.slice(0, slash) : '';
    const list = byDir.get(dir) ?? [];
    list.push({ path: p, dir, stem: stemOf(p) });
    byDir.set(dir, list);
  }

  const orphan = (item: Item, side: Orphan['side'], message: string, base = item.stem): void => {
    drafts.push({ kind: 'orphan', base, dir: item.dir, path: item.path, side, message });
  };

  for (const [dir, items] of byDir) {
    const done = new Set<string>();

    // 1. explicit side words
    const sided = new Map<string, { fronts: { item: Item; base: string }[]; backs: { item: Item; base: string }[] }>();
    for (const item of items) {
      const ex = explicitSide(item.stem);
      if (!ex) continue;
      const key = keyOf(ex.base);
      const g = sided.get(key) ?? { fronts: [], backs: [] };
      (ex.side === 'front' ? g.fronts : g.backs).push({ item, base: ex.base });
      sided.set(key, g);
      done.add(item.path);
    }
    const plainByKey = new Map<string, Item[]>();
    for (const item of items) {
      if (done.has(item.path)) continue;
      const k = keyOf(item.stem);
      plainByKey.set(k, [...(plainByKey.get(k) ?? []), item]);
    }
    for (const [key, { fronts, backs }] of sided) {
      const [f] = fronts;
      const [b] = backs;
      if (f && b && fronts.length === 1 && backs.length === 1) {
        drafts.push({ kind: 'pair', base: f.base, dir, front: f.item.path, back: b.item.path });
      } else if (f && b) {
        const files = [...fronts, ...backs].map((x) => x.item.path).sort(cmp);
        const shown = f.base || dir || 'card';
        const reason = `${fronts.length} front and ${backs.length} back images share the name "${shown}": not paired`;
        ambiguous.push({ paths: files, reason });
        for (const x of fronts) orphan(x.item, 'front', `ambiguous: ${reason}; back not assigned`);
        for (const x of backs) orphan(x.item, 'back', `ambiguous: ${reason}; front not assigned`);
      } else {
        // 2. one side only: a plain file named like the base is the other side
        const only = fronts.length ? fronts : backs;
        const side: Side = fronts.length ? 'front' : 'back';
        const plain = plainByKey.get(key);
        const [o] = only;
        const [mate] = plain ?? [];
        if (o && mate && only.length === 1 && plain?.length === 1) {
          done.add(mate.path);
          const [front, back] = side === 'front' ? [o.item.path, mate.path] : [mate.path, o.item.path];
          drafts.push({ kind: 'pair', base: o.base, dir, front, back });
          continue;
        }
        for (const x of only) {
          const message =
            side === 'front'
              ? `back image missing: no back found for front "${x.item.stem}"`
              : `front image missing: no front found for back "${x.item.stem}"`;
          orphan(x.item, side, message, only.length === 1 ? x.base : x.item.stem);
        }
      }
    }

    // 3. suffix markers _a/_b, _1/_2
    const marked = new Map<string, { item: Item; mark: string; base: string }[]>();
    for (const item of items) {
      if (done.has(item.path)) continue;
      const mk = suffixMarker(item.stem);
      if (!mk) continue;
      const k = `${mk.kind}\0${keyOf(mk.base)}`;
      marked.set(k, [...(marked.get(k) ?? []), { item, mark: mk.mark, base: mk.base }]);
    }
    for (const [k, group] of marked) {
      const letters = k.startsWith('letter');
      const [fm, bm] = letters ? ['a', 'b'] : ['1', '2'];
      const f = group.find((g) => g.mark === fm);
      const b = group.find((g) => g.mark === bm);
      if (group.length === 2 && f && b) {
        drafts.push({ kind: 'pair', base: f.base, dir, front: f.item.path, back: b.item.path });
        done.add(f.item.path);
        done.add(b.item.path);
      } else if (letters && f && b) {
        const marks = group.map((g) => g.mark).sort(cmp).join('/');
        ambiguous.push({
          paths: group.map((g) => g.item.path).sort(cmp),
          reason: `suffixes ${marks} on the name "${f.base}": cannot tell which two are one card`,
        });
        for (const g of group) {
          orphan(g.item, 'unknown', `ambiguous: suffixes ${marks} on the name "${f.base}"; no partner assigned`);
          done.add(g.item.path);
        }
      }
    }

    // 4. camera sequences
    const rest = items.filter((i) => !done.has(i.path));
    const copyBases = new Set<string>();
    for (const item of rest) {
      const m = COPY_RE.exec(item.stem);
      if (m) copyBases.add(fold(m[1] ?? ''));
    }
    const seqs = new Map<string, SeqMember[]>();
    const addSeq = (key: string, m: SeqMember): void => {
      seqs.set(key, [...(seqs.get(key) ?? []), m]);
      done.add(m.item.path);
    };
    for (const item of rest) {
      const cm = COPY_RE.exec(item.stem);
      const core = cm ? (cm[1] ?? '') : item.stem;
      const copy = cm ? Number(cm[2]) : 0;
      const dt = DATETIME_RE.exec(core);
      if (dt) {
        const [, y, mo, d, h, mi, s, ms, ampm] = dt;
        let hour = Number(h);
        if (ampm && /p/i.test(ampm) && hour < 12) hour += 12;
        if (ampm && /a/i.test(ampm) && hour === 12) hour = 0;
        const t =
          Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s)) +
          (ms ? Number(ms.padEnd(3, '0')) : 0);
        const key = `t\0${fold(core.slice(0, dt.index))}\0${fold(core.slice(dt.index + dt[0].length))}`;
        addSeq(key, { item, n: t, copy });
      } else if (cm || copyBases.has(fold(item.stem))) {
        addSeq(`c\0${fold(core)}`, { item, n: copy, copy: 0 });
      } else {
        const nm = /^(.*?)(\d{1,15})$/u.exec(item.stem);
        if (nm) addSeq(`n\0${fold(nm[1] ?? '')}`, { item, n: Number(nm[2]), copy: 0 });
      }
    }
    for (const [key, members] of seqs) {
      const timed = key.startsWith('t');
      members.sort((a, b) => a.n - b.n || a.copy - b.copy || cmp(a.item.path, b.item.path));
      // files sharing one sequence position cannot be placed
      const clash = new Set<SeqMember>();
      for (let i = 1; i < members.length; i++) {
        const a = members[i - 1];
        const b = members[i];
        if (a && b && a.n === b.n && a.copy === b.copy) {
          clash.add(a);
          clash.add(b);
        }
      }
      if (clash.size) {
        const files = [...clash].map((m) => m.item.path).sort(cmp);
        const reason = `${files.length} images share one place in a camera sequence (same number or time): not paired`;
        ambiguous.push({ paths: files, reason });
        for (const m of clash) orphan(m.item, 'unknown', `ambiguous: ${reason}`);
      }
      const runs: SeqMember[][] = [];
      let prev: SeqMember | undefined;
      for (const m of members) {
        if (clash.has(m)) {
          prev = undefined;
          continue;
        }
        const follows =
          prev !== undefined && (timed ? m.n - prev.n <= SEQUENCE_MAX_GAP_MS : m.n === prev.n + 1);
        const last = runs.at(-1);
        if (follows && last) last.push(m);
        else runs.push([m]);
        prev = m;
      }
      for (const run of runs) {
        for (let i = 0; i + 1 < run.length; i += 2) {
          const a = run[i];
          const b = run[i + 1];
          if (a && b) drafts.push({ kind: 'unsided', base: a.item.stem, dir, files: [a.item.path, b.item.path] });
        }
        const last = run.at(-1);
        if (!last) continue;
        if (run.length === 1) {
          orphan(last.item, 'unknown', 'no partner image found and its side could not be told from the name');
        } else if (run.length % 2 === 1) {
          const reason = `odd run of ${run.length} consecutive camera images: paired in order, the last has no partner`;
          ambiguous.push({ paths: run.map((m) => m.item.path), reason });
          orphan(last.item, 'unknown', `ambiguous: ${reason}`);
        }
      }
    }

    // 5. everything else
    for (const item of items) {
      if (done.has(item.path)) continue;
      orphan(item, 'unknown', 'no partner image found and its side could not be told from the name');
    }
  }

  // ids: dir-prefixed base, unique across the plan in path order
  const first = (d: Draft): string =>
    d.kind === 'pair' ? (d.front < d.back ? d.front : d.back) : d.kind === 'unsided' ? d.files[0] : d.path;
  drafts.sort((a, b) => cmp(first(a), first(b)));
  const taken = new Set<string>();
  const plan: PairPlan = { pairs: [], unsided: [], orphans: [], ambiguous };
  for (const d of drafts) {
    // a card named only by its folder (`juan/front.jpg`, `juan/back.jpg`) is `juan`
    const wanted = d.base ? (d.dir ? `${d.dir}/${d.base}` : d.base) : d.dir || 'card';
    const id = uniqueId(wanted, taken);
    if (d.kind === 'pair') plan.pairs.push({ id, front: d.front, back: d.back });
    else if (d.kind === 'unsided') plan.unsided.push({ id, files: d.files });
    else {
      const code = d.side === 'front' ? 'INOCR003' : 'INOCR002';
      plan.orphans.push({ id, path: d.path, side: d.side, code, message: d.message });
    }
  }
  for (const a of ambiguous) a.paths.sort(cmp);
  ambiguous.sort((a, b) => cmp(a.paths[0] ?? '', b.paths[0] ?? ''));
  return plan;
}

/** `id`, or `id~2`, `id~3` … whichever is free; records it as taken. */
export function uniqueId(id: string, taken: Set<string>): string {
  let out = id;
  for (let n = 2; taken.has(out); n++) out = `${id}~${n}`;
  taken.add(out);
  return out;
}
