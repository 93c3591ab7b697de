/*
 * The review page's behaviour: the card list (virtualised: 10,000 cards stay quick), the card
 * on the right with each value beside its crop, filters and search, keyboard navigation,
 * corrections kept in localStorage under the results' content key, and the corrected CSV
 * (csvText from csv.js). The data comes from the page itself (gzipped JSON in base64 inside
 * <script> elements, unpacked with DecompressionStream): a page opened from file:// fetches
 * nothing. Values are only ever set as text, never as HTML.
 *
 * A classic script, inlined after csv.js; type-checked by tsconfig.client.json.
 */

/** @typedef {'' | 'valid' | 'invalid' | 'unverified'} Verdict */
/** @typedef {{ src: string, w: number, h: number } | { missing: 'no-path' | 'not-found' | 'unreadable', path: string }} PageImage */
/** @typedef {{ n: string, v: string, c: Verdict, s: string, d?: 0 | 1, q?: number[], x?: string }} PageField  x: crop img/<r>/<x>.jpg */
/**
 * @typedef {{ r: number, id: string, k: 'flagged' | 'failed' | 'ok', flags: number, status: string, code: string,
 *   error: string, review: [string, string][], warnings: [string, string][], quality: [string, string],
 *   images: [PageImage, PageImage], face?: number[], fields: PageField[] }} PageCard
 */
/**
 * @typedef {{ v: number, key: string, title: string, columns: string[], fields: string[],
 *   labels: Record<string, string>, bits: Record<string, number>, cards: PageCard[] }} ReportData
 */
/** @typedef {Record<string, Record<string, string>>} Edits  row number → field → corrected value */

/**
 * Data the page carries packed: gzipped JSON in base64, the text of the element `id`.
 * @param {string} id
 * @returns {Promise<unknown>}
 */
async function unpack(id) {
  const b64 = document.getElementById(id)?.textContent ?? '';
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text);
}

(async () => {
  const started = performance.now();
  const data = /** @type {ReportData} */ (await unpack('report-data'));
  /** The rows to download (the batch's CSV cells), unpacked once the page is shown. @type {Promise<string[][]> | undefined} */
  let rowsPromise;
  const rows = () => (rowsPromise ??= /** @type {Promise<string[][]>} */ (unpack('report-rows')));
  const cards = data.cards;
  const bits = data.bits;
  const ROW_PX = 36;
  const STORE_KEY = `ine-ocr-report:${data.key}`;

  /** What each filter shows; digit keys 1–7 pick them in this order. */
  const SHOWS = /** @type {const} */ ([
    ['all', 'All cards'],
    ['flagged', 'Flagged for review'],
    ['failed', 'Failed'],
    ['invalid', 'A field invalid'],
    ['unverified', 'A field unverified'],
    ['poor', 'Poor capture'],
    ['edited', 'Edited by you'],
  ]);
  /** @type {Record<string, string>} */
  const KIND_WORDS = { flagged: 'Flagged', failed: 'Failed', ok: 'OK' };
  /** @type {Record<string, string>} */
  const VERDICT_WORDS = { valid: '✓ valid', unverified: '? unverified', invalid: '✗ invalid', '': '– no verdict' };
  /** @type {Record<string, string>} */
  const SOURCE_WORDS = { front: 'front', back: 'back (MRZ)', both: 'both sides', derived: 'derived', '': '—' };
  /** @type {Record<string, string>} */
  const MISSING_WORDS = { 'no-path': 'no image given', 'not-found': 'image not found', unreadable: 'image could not be decoded' };

  // ---- state
  let show = 'all';
  let fieldFilter = '';
  let query = '';
  /** Indexes into `cards` that pass the filters, in review order. */
  /** @type {number[]} */
  let shown = [];
  /** Position in `shown` of the card on the right. */
  let pos = 0;
  let storageOk = true;
  /** @type {Edits} */
  let edits = loadEdits();

  // ---- small DOM helpers

  /**
   * An element with attributes (`text` sets its text; a false/undefined value is left out) and children.
   * @param {string} tag
   * @param {Record<string, string | number | boolean | undefined>} [attrs]
   * @param {(Node | string)[]} children
   * @returns {HTMLElement}
   */
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (k === 'text') el.textContent = String(v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    el.append(...children);
    return el;
  }

  /**
   * An SVG element.
   * @param {string} tag
   * @param {Record<string, string | number>} attrs
   */
  function svg(tag, attrs) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    return el;
  }

  /** @param {string} id */
  function byId(id) {
    const el = document.getElementById(id);
    if (!el) throw new Error(`#${id} missing`);
    return el;
  }

  // ---- corrections

  /** @returns {Edits} */
  function loadEdits() {
    try {
      const saved = localStorage.getItem(STORE_KEY);
      return saved ? JSON.parse(saved) : {};
    } catch {
      storageOk = false;
      return {};
    }
  }

  function saveEdits() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(edits));
      storageOk = true;
    } catch {
      storageOk = false;
    }
    updateEditCount();
  }

  /**
   * Records a corrected value; the value as read removes the correction.
   * @param {number} row @param {string} field @param {string} value @param {string} original
   */
  function setEdit(row, field, value, original) {
    const key = String(row);
    const forRow = edits[key] ?? {};
    if (value === original) delete forRow[field];
    else forRow[field] = value;
    if (Object.keys(forRow).length > 0) edits[key] = forRow;
    else delete edits[key];
    saveEdits();
  }

  /** @param {number} row */
  const editsOf = (row) => edits[String(row)] ?? {};

  function editCount() {
    return Object.values(edits).reduce((n, e) => n + Object.keys(e).length, 0);
  }

  function updateEditCount() {
    const n = editCount();
    byId('edit-count').textContent = `${n} correction${n === 1 ? '' : 's'}${storageOk ? ' (kept in this browser)' : ' — this browser does not keep them: download before closing'}`;
  }

  /**
   * The corrected CSV: the batch's columns and cells, corrected values in place, and `corrected`.
   * @param {string[][]} rows @param {boolean} bom
   */
  function correctedCsv(rows, bom) {
    /** @type {Record<string, number>} */
    const col = {};
    data.columns.forEach((c, i) => (col[c] = i));
    const out = rows.map((cells, row) => {
      const fixed = [...cells];
      const e = editsOf(row);
      const changed = [];
      for (const f of data.fields) {
        const at = col[f];
        const v = e[f];
        if (at === undefined || v === undefined || v === cells[at]) continue;
        fixed[at] = v;
        changed.push(f);
      }
      fixed.push(changed.join(';'));
      return fixed;
    });
    return csvText([...data.columns, 'corrected'], out, bom);
  }

  async function download() {
    const bom = /** @type {HTMLInputElement} */ (byId('bom')).checked;
    const blob = new Blob([correctedCsv(await rows(), bom)], { type: 'text/csv;charset=utf-8' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `${data.title.replace(/\.[^.]+$/, '')}-corrected.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(/** @type {HTMLAnchorElement} */ (a).href), 10_000);
  }

  // ---- filters

  /** @param {PageCard} c */
  function passes(c) {
    if (query !== '' && !c.id.toLowerCase().includes(query)) return false;
    switch (show) {
      case 'flagged':
        return (c.flags & (bits.flagged ?? 0)) !== 0;
      case 'failed':
        return (c.flags & (bits.failed ?? 0)) !== 0;
      case 'invalid':
      case 'unverified':
        return fieldFilter === '' ? (c.flags & (bits[show] ?? 0)) !== 0 : c.fields.some((f) => f.n === fieldFilter && f.c === show);
      case 'poor':
        return (c.flags & (bits.poorCapture ?? 0)) !== 0;
      case 'edited':
        return Object.keys(editsOf(c.r)).length > 0;
      default:
        return true;
    }
  }

  function applyFilters() {
    const current = cards[shown[pos] ?? -1];
    shown = [];
    cards.forEach((c, i) => {
      if (passes(c)) shown.push(i);
    });
    const keep = current ? shown.findIndex((i) => cards[i] === current) : -1;
    pos = keep >= 0 ? keep : 0;
    byId('shown').textContent = `${shown.length} of ${cards.length} cards shown`;
    /** @type {HTMLSelectElement} */ (byId('field')).disabled = show !== 'invalid' && show !== 'unverified';
    byId('list-spacer').style.height = `${shown.length * ROW_PX}px`;
    renderList();
    renderCard();
  }

  // ---- the list (only the rows in view exist)

  function renderList() {
    const nav = byId('list');
    const ul = byId('list-items');
    const first = Math.max(0, Math.floor(nav.scrollTop / ROW_PX) - 10);
    const last = Math.min(shown.length, Math.ceil((nav.scrollTop + nav.clientHeight) / ROW_PX) + 10);
    ul.style.transform = `translateY(${first * ROW_PX}px)`;
    const items = [];
    for (let p = first; p < last; p++) {
      const c = cards[shown[p] ?? -1];
      if (!c) continue;
      const tags = [h('span', { class: `tag ${c.k}`, text: c.k === 'failed' ? c.code || 'Failed' : KIND_WORDS[c.k] ?? c.k })];
      if (Object.keys(editsOf(c.r)).length > 0) tags.push(h('span', { class: 'tag edited', text: 'edited' }));
      const b = h('button', { type: 'button', 'data-pos': p, 'aria-current': p === pos ? 'true' : undefined }, h('span', { class: 'id', text: c.id }), ...tags);
      items.push(h('li', {}, b));
    }
    ul.replaceChildren(...items);
    if (shown.length === 0) ul.replaceChildren(h('li', { class: 'empty', text: 'No card matches.' }));
  }

  /** Scrolls the list so the current card is in view. */
  function revealCurrent() {
    const nav = byId('list');
    const top = pos * ROW_PX;
    if (top < nav.scrollTop) nav.scrollTop = top;
    else if (top + ROW_PX > nav.scrollTop + nav.clientHeight) nav.scrollTop = top + ROW_PX - nav.clientHeight;
  }

  /** @param {number} p */
  function select(p) {
    if (shown.length === 0) return;
    pos = Math.max(0, Math.min(shown.length - 1, p));
    revealCurrent();
    renderList();
    renderCard();
  }

  /** The next (step 1) or previous (-1) card of `kind` after the current one, in list order. */
  function jumpTo(/** @type {string} */ kind, /** @type {number} */ step) {
    for (let p = pos + step; p >= 0 && p < shown.length; p += step) {
      if (cards[shown[p] ?? -1]?.k === kind) return select(p);
    }
    flash(`No ${step > 0 ? 'later' : 'earlier'} ${kind} card in this list.`);
  }

  /** @param {string} words */
  function flash(words) {
    byId('status').textContent = words;
  }

  // ---- the card

  /** @param {PageCard} c @param {0 | 1} side */
  function thumb(c, side) {
    const img = c.images[side];
    const name = side === 0 ? 'Front' : 'Back';
    if ('missing' in img) {
      const why = MISSING_WORDS[img.missing] ?? img.missing;
      return h('figure', {}, h('div', { class: 'missing', role: 'img', 'aria-label': `${name}: ${why}`, text: `${name}: ${why}${img.path ? ` — ${img.path}` : ''}` }), h('figcaption', { text: name }));
    }
    const overlay = svg('svg', { viewBox: `0 0 ${img.w} ${img.h}`, 'aria-hidden': 'true' });
    for (const f of c.fields) {
      if (f.d !== side || !f.q) continue;
      overlay.append(svg('polygon', { points: pairs(f.q), class: f.c || 'none', 'data-field': f.n }));
    }
    if (side === 0 && c.face) overlay.append(svg('polygon', { points: pairs(c.face), class: 'face' }));
    const picture = h('img', { src: img.src, width: img.w, height: img.h, alt: `${name} image of card ${c.id}, with the boxes the values were read from` });
    return h('figure', { style: `max-width:${img.w}px` }, h('div', { class: 'thumb' }, picture, overlay), h('figcaption', { text: `${name}: boxes show where each value was read${side === 0 ? '; dashed, the photo' : ''}` }));
  }

  /** @param {number[]} q */
  function pairs(q) {
    const out = [];
    for (let i = 0; i + 1 < q.length; i += 2) out.push(`${q[i]},${q[i + 1]}`);
    return out.join(' ');
  }

  /** A field's row: label, crop, editable value, verdict in colour and words, source. */
  function fieldRow(/** @type {PageCard} */ c, /** @type {PageField} */ f) {
    const label = data.labels[f.n] ?? f.n;
    const edited = editsOf(c.r)[f.n];
    const input = /** @type {HTMLInputElement} */ (h('input', { id: `in-${f.n}`, type: 'text', value: edited ?? f.v, spellcheck: 'false', autocomplete: 'off', 'data-field': f.n }));
    input.addEventListener('change', () => {
      setEdit(c.r, f.n, input.value, f.v);
      renderList();
      markRow(tr, c, f);
    });
    const undo = h('button', { type: 'button', text: 'Undo edit', hidden: edited === undefined, 'aria-label': `Undo the edit of ${label}` });
    undo.addEventListener('click', () => {
      input.value = f.v;
      setEdit(c.r, f.n, f.v, f.v);
      renderList();
      markRow(tr, c, f);
    });
    const crop = f.x
      ? h('img', { src: `img/${c.r}/${f.x}.jpg`, alt: `${label} as printed on the card`, 'data-field': f.n })
      : h('span', { class: 'nocrop', text: f.v === '' ? '' : 'no crop' });
    const tr = h(
      'tr',
      { 'data-field': f.n },
      h('th', { scope: 'row' }, h('label', { for: `in-${f.n}`, text: label })),
      h('td', { class: 'crop' }, crop),
      h('td', { class: 'value' }, input, undo),
      h('td', {}, h('span', { class: `verdict ${f.c || 'none'}`, text: VERDICT_WORDS[f.c] ?? f.c })),
      h('td', { text: SOURCE_WORDS[f.s] ?? f.s }),
    );
    markRow(tr, c, f);
    tr.addEventListener('mouseenter', () => highlight(f.n, true));
    tr.addEventListener('mouseleave', () => highlight(f.n, false));
    tr.addEventListener('focusin', () => highlight(f.n, true));
    tr.addEventListener('focusout', () => highlight(f.n, false));
    return tr;
  }

  /** @param {HTMLElement} tr @param {PageCard} c @param {PageField} f */
  function markRow(tr, c, f) {
    const edited = editsOf(c.r)[f.n] !== undefined;
    tr.classList.toggle('edited', edited);
    const undo = tr.querySelector('button');
    if (undo) undo.hidden = !edited;
  }

  /** @param {string} field @param {boolean} on */
  function highlight(field, on) {
    for (const el of document.querySelectorAll(`[data-field="${field}"]`)) {
      if (el instanceof SVGElement || el.tagName === 'TR') el.classList.toggle('hl', on);
    }
  }

  /** @param {string} caption @param {HTMLElement[]} rows */
  function fieldTable(caption, rows) {
    const head = h('tr', {}, ...['Field', 'As printed', 'Value (edit to correct)', 'Verdict', 'Read from'].map((t) => h('th', { scope: 'col', text: t })));
    return h('table', { class: 'fields' }, h('caption', { text: caption }), h('thead', {}, head), h('tbody', {}, ...rows));
  }

  /** A review reason or a warning: its words, and its code for whoever needs to look it up. */
  function note(/** @type {[string, string]} */ [code, words]) {
    return h('li', {}, words || code, code && words ? ' ' : '', code && words ? h('code', { text: `(${code})` }) : '');
  }

  /** @param {string} cell */
  function qualityWords(cell) {
    if (cell === '') return h('span', { text: 'not measured' });
    const poor = cell.startsWith('poor');
    return h('span', { class: poor ? 'poor' : '', text: cell });
  }

  function renderCard() {
    const box = byId('card');
    const c = cards[shown[pos] ?? -1];
    if (!c) {
      box.replaceChildren(h('p', { class: 'empty', text: 'No card to show: change the filters or the search.' }));
      return;
    }
    const parts = [];
    const tag = c.k === 'failed' ? `Failed ${c.code}` : KIND_WORDS[c.k] ?? c.k;
    parts.push(h('h3', { class: 'id' }, h('span', { text: c.id }), h('span', { class: `tag ${c.k}`, text: tag }), h('span', { class: 'where', text: `${pos + 1} of ${shown.length} shown · row ${c.r + 1} of the results` })));
    if (c.status !== 'ok') parts.push(h('p', { class: 'error', role: 'alert' }, h('strong', { text: `${c.code || 'Error'}: ` }), c.error));
    if (c.review.length > 0) {
      parts.push(h('ul', { class: 'reasons', 'aria-label': 'Why this card needs a person' }, ...c.review.map(note)));
    }
    parts.push(h('div', { class: 'meta' }, h('span', {}, 'Front capture: ', qualityWords(c.quality[0])), h('span', {}, 'Back capture: ', qualityWords(c.quality[1]))));
    if (c.warnings.length > 0) {
      parts.push(h('details', {}, h('summary', { text: `Warnings (${c.warnings.length})` }), h('ul', {}, ...c.warnings.map(note))));
    }
    parts.push(h('div', { class: 'thumbs' }, thumb(c, 0), thumb(c, 1)));
    const read = new Set(c.fields.map((f) => f.n));
    if (c.fields.length > 0) parts.push(fieldTable('Fields read', c.fields.map((f) => fieldRow(c, f))));
    const unread = data.fields.filter((n) => !read.has(n)).map((n) => fieldRow(c, { n, v: '', c: '', s: '' }));
    if (unread.length > 0) {
      const anyEdited = unread.some((tr) => tr.classList.contains('edited'));
      parts.push(h('details', { open: c.fields.length === 0 || anyEdited }, h('summary', { text: `Fields not read (${unread.length}): add a value if the card shows one` }), fieldTable('Fields not read', unread)));
    }
    box.replaceChildren(...parts);
    box.scrollTop = 0;
  }

  /** Focuses the first value to look at: invalid, then unverified, then the first field. */
  function editCurrent() {
    const c = cards[shown[pos] ?? -1];
    if (!c) return;
    const target = c.fields.find((f) => f.c === 'invalid') ?? c.fields.find((f) => f.c === 'unverified') ?? c.fields[0];
    const input = target ? document.getElementById(`in-${target.n}`) : byId('card').querySelector('input');
    if (input instanceof HTMLInputElement) {
      input.closest('details')?.setAttribute('open', '');
      input.focus();
      input.select();
    }
  }

  // ---- keyboard

  /** One table: what each key does; the page's list of keys is made from it. */
  /** @type {{ keys: string[], words: string, run: (key: string) => void }[]} */
  const KEYS = [
    { keys: ['j', 'ArrowDown'], words: 'next card', run: () => select(pos + 1) },
    { keys: ['k', 'ArrowUp'], words: 'previous card', run: () => select(pos - 1) },
    { keys: ['n'], words: 'next flagged card', run: () => jumpTo('flagged', 1) },
    { keys: ['p'], words: 'previous flagged card', run: () => jumpTo('flagged', -1) },
    { keys: ['Home', 'End'], words: 'first / last card', run: (key) => select(key === 'Home' ? 0 : shown.length - 1) },
    { keys: ['e'], words: 'edit the first doubtful value (Tab: next value; Enter keeps it; Esc cancels)', run: editCurrent },
    { keys: ['/'], words: 'search by id', run: () => byId('search').focus() },
    {
      keys: SHOWS.map((_, i) => String(i + 1)),
      words: `show: ${SHOWS.map(([, w], i) => `${i + 1} ${w.toLowerCase()}`).join(', ')}`,
      run: (key) => setShow(SHOWS[Number(key) - 1]?.[0] ?? 'all'),
    },
    { keys: ['d'], words: 'download the corrected CSV', run: download },
    { keys: ['?'], words: 'show or hide this list', run: () => toggleKeys() },
  ];
  /** @type {Record<string, string>} */
  const KEY_NAMES = { ArrowDown: '↓', ArrowUp: '↑' };
  /** @type {Map<string, (key: string) => void>} */
  const KEY_ACTIONS = new Map(KEYS.flatMap((k) => k.keys.map((key) => /** @type {const} */ ([key, k.run]))));

  function toggleKeys() {
    const d = /** @type {HTMLDetailsElement} */ (byId('keys'));
    d.open = !d.open;
  }

  /** @param {string} value */
  function setShow(value) {
    show = value;
    /** @type {HTMLSelectElement} */ (byId('show')).value = value;
    applyFilters();
  }

  /** @param {KeyboardEvent} ev */
  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) {
      if (t instanceof HTMLInputElement && t.dataset['field'] !== undefined && (ev.key === 'Enter' || ev.key === 'Escape')) finishEdit(ev, t);
      else if (t.id === 'search' && (ev.key === 'Escape' || ev.key === 'Enter')) t.blur();
      return;
    }
    const action = KEY_ACTIONS.get(ev.key);
    if (!action) return;
    ev.preventDefault();
    action(ev.key);
  }

  /** Enter keeps the value typed, Escape puts back the one kept; either hands the keys back to the page. */
  function finishEdit(/** @type {KeyboardEvent} */ ev, /** @type {HTMLInputElement} */ input) {
    ev.preventDefault();
    if (ev.key === 'Escape') {
      const c = cards[shown[pos] ?? -1];
      const field = input.dataset['field'] ?? '';
      const f = c?.fields.find((x) => x.n === field);
      input.value = (c && editsOf(c.r)[field]) ?? f?.v ?? '';
    }
    input.blur();
  }

  // ---- the frame

  function build() {
    const showSel = h('select', { id: 'show' }, ...SHOWS.map(([v, w], i) => h('option', { value: v, text: `${i + 1}. ${w}` })));
    const fieldSel = h('select', { id: 'field' }, h('option', { value: '', text: 'any field' }), ...data.fields.map((f) => h('option', { value: f, text: data.labels[f] ?? f })));
    const search = h('input', { id: 'search', type: 'search', placeholder: 'card id', autocomplete: 'off' });
    const keys = h(
      'details',
      { class: 'keys', id: 'keys' },
      h('summary', { text: 'Keyboard (?)' }),
      h('dl', {}, ...KEYS.flatMap((k) => [h('dt', {}, ...k.keys.flatMap((key, i) => [i > 0 ? ' ' : '', h('kbd', { text: KEY_NAMES[key] ?? key })])), h('dd', { text: k.words })])),
    );
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'group', 'aria-label': 'Filters and corrections' },
      h('label', {}, 'Show', showSel),
      h('label', {}, 'Field', fieldSel),
      h('label', {}, 'Search', search),
      h('span', { id: 'shown', 'aria-live': 'polite' }),
      h('button', { id: 'download', type: 'button', class: 'primary', text: 'Download corrected CSV' }),
      h('label', {}, h('input', { id: 'bom', type: 'checkbox' }), 'with BOM (Excel)'),
      h('span', { id: 'edit-count' }),
      h('span', { id: 'status', class: 'note', role: 'status' }),
      keys,
    );
    const list = h('nav', { class: 'list', id: 'list', 'aria-label': 'Cards, doubtful first' }, h('div', { id: 'list-spacer' }), h('ul', { id: 'list-items' }));
    const panes = h('div', { class: 'panes' }, list, h('article', { class: 'card', id: 'card', 'aria-live': 'polite' }));
    byId('app').replaceChildren(toolbar, panes);

    showSel.addEventListener('change', () => setShow(/** @type {HTMLSelectElement} */ (showSel).value));
    fieldSel.addEventListener('change', () => {
      fieldFilter = /** @type {HTMLSelectElement} */ (fieldSel).value;
      applyFilters();
    });
    search.addEventListener('input', () => {
      query = /** @type {HTMLInputElement} */ (search).value.trim().toLowerCase();
      applyFilters();
    });
    byId('download').addEventListener('click', download);
    list.addEventListener('scroll', () => renderList(), { passive: true });
    list.addEventListener('click', (ev) => {
      const b = ev.target instanceof Element ? ev.target.closest('button[data-pos]') : null;
      if (b) select(Number(b.getAttribute('data-pos')));
    });
    document.addEventListener('keydown', onKey);
    window.addEventListener('resize', () => renderList());
  }

  build();
  updateEditCount();
  applyFilters();
  document.body.dataset['ready'] = 'true';
  document.body.dataset['readyMs'] = String(Math.round(performance.now() - started));
  setTimeout(rows, 0);
})();
