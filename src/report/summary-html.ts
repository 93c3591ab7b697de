/**
 * The top of the review page, rendered once at build time: the counts (cards, ok, flagged,
 * failed by INOCR code), a bar per field of its verdicts (inline SVG), the capture problems
 * and the run's speed when known. Figures carry ids so a test can read them back.
 */
import { INOCR, type InocrCode } from '../errors.ts';
import type { FieldName } from '../record.ts';
import { FIELD_LABELS } from './labels.ts';
import { fieldsSeen, type FieldTally, type ReportSummary } from './summary.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The chart's segments, in bar order, with their words and colours (also the page's legend). */
export const SEGMENTS: readonly { key: keyof FieldTally; words: string; colour: string }[] = [
  { key: 'valid', words: 'valid', colour: '#2e7d32' },
  { key: 'unverified', words: 'unverified', colour: '#b86e00' },
  { key: 'invalid', words: 'invalid', colour: '#c62828' },
  { key: 'unchecked', words: 'read, no verdict', colour: '#6b7785' },
  { key: 'missing', words: 'not read', colour: '#d5dae1' },
];

const pct = (n: number, total: number): string => (total > 0 ? `${Math.round((100 * n) / total)}%` : '–');

function counts(s: ReportSummary): string {
  const item = (id: string, label: string, n: number, cls: string): string =>
    `<div class="count ${cls}"><dt>${label}</dt><dd id="n-${id}">${n}</dd></div>`;
  return `<dl class="counts">${[
    item('cards', 'Cards', s.cards, 'all'),
    item('ok', 'OK', s.kinds.ok, 'ok'),
    item('flagged', 'Flagged for review', s.kinds.flagged, 'flagged'),
    item('failed', 'Failed', s.kinds.failed, 'failed'),
  ].join('')}</dl>`;
}

function codeTable(caption: string, id: string, rows: Record<string, number>, words: (code: string) => string): string {
  const entries = Object.entries(rows).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return '';
  const body = entries
    .map(([code, n]) => `<tr data-code="${esc(code)}"><th scope="row"><code>${esc(code || '(none)')}</code></th><td class="num">${n}</td><td>${esc(words(code))}</td></tr>`)
    .join('');
  return `<table class="codes" id="${id}"><caption>${caption}</caption><thead><tr><th scope="col">Code</th><th scope="col">Cards</th><th scope="col">Meaning</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Why cards were flagged: a row per kind of reason, with the fields (or sides) it named. */
function reviewTable(s: ReportSummary): string {
  const counts = Object.fromEntries(Object.entries(s.review).map(([kind, t]) => [kind, t.cards]));
  const subjectWords = (subject: string): string => (subject in FIELD_LABELS ? FIELD_LABELS[subject as FieldName] : subject);
  return codeTable('Flagged cards by review reason', 'review-codes', counts, (kind) => {
    const t = s.review[kind]!;
    const subjects = Object.entries(t.subjects).map(([sub, n]) => `${subjectWords(sub)}${n > 1 ? ` ×${n}` : ''}`);
    return subjects.length > 0 ? `for: ${subjects.join(', ')}` : t.words;
  });
}

const inocrWords = (code: string): string => (code in INOCR ? INOCR[code as InocrCode] : 'no INOCR code given');

/** One bar per field some card had: its verdicts' shares, with the figures written beside it. */
export function fieldChart(s: ReportSummary): string {
  const fields = fieldsSeen(s);
  const read = s.kinds.ok + s.kinds.flagged;
  if (fields.length === 0 || read === 0) return '<p>No field was read.</p>';
  const row = 20;
  const barX = 200;
  const barW = 330;
  const legendH = 28;
  const bars = fields.map((f, i) => {
    const t = s.fields[f];
    const y = legendH + i * row;
    let x = barX;
    const segs = SEGMENTS.filter((g) => t[g.key] > 0).map((g) => {
      const w = (barW * t[g.key]) / read;
      const rect = `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 6}" fill="${g.colour}"><title>${esc(`${FIELD_LABELS[f]}: ${t[g.key]} ${g.words}`)}</title></rect>`;
      x += w;
      return rect;
    });
    const words = ['valid', 'unverified', 'invalid'].map((k) => `${pct(t[k as keyof FieldTally], read)} ${k}`).join(' · ');
    return `<g data-field="${f}"><text x="0" y="${y + row / 2 + 5}">${esc(FIELD_LABELS[f])}</text>${segs.join('')}<text x="${barX + barW + 12}" y="${y + row / 2 + 5}" class="fig">${words}</text></g>`;
  });
  let lx = 0;
  const legend = SEGMENTS.map((g) => {
    const item = `<rect x="${lx}" y="6" width="14" height="14" fill="${g.colour}"/><text x="${lx + 19}" y="18">${esc(g.words)}</text>`;
    lx += 30 + g.words.length * 7.5;
    return item;
  }).join('');
  const height = legendH + fields.length * row + 4;
  return (
    `<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 820 ${height}" width="820" height="${height}">` +
    `<title id="chart-title">Verdicts per field over the ${read} cards read</title><g class="legend">${legend}</g>${bars.join('')}</svg>`
  );
}

function capture(s: ReportSummary): string {
  const side = (name: 'front' | 'back'): string => {
    const problems = Object.entries(s.capture[name]).map(([p, n]) => `${esc(p.replace(/-/g, ' '))} ${n}`).join(', ');
    return `<li><span id="poor-${name}">${s.poorSides[name]}</span> ${name === 'front' ? 'fronts' : 'backs'} poor${problems ? ` (${problems})` : ''}</li>`;
  };
  return `<ul class="capture">${side('front')}${side('back')}</ul>`;
}

function run(s: ReportSummary): string {
  if (!s.run) return '';
  const secs = s.run.elapsedMs / 1000;
  return `<p class="run">This run read <span id="run-cards">${s.run.cards}</span> card(s) in <span id="run-seconds">${secs.toFixed(1)}</span> s: <span id="run-rate">${s.run.cardsPerMinute.toFixed(1)}</span> cards/min.</p>`;
}

/** The summary section's HTML. */
export function summaryHtml(s: ReportSummary): string {
  return [
    '<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>',
    '<div class="summary-grid"><div>',
    counts(s),
    run(s),
    codeTable('Failed cards by INOCR code', 'failed-codes', s.failedByCode, inocrWords),
    reviewTable(s),
    '<h3>Capture quality</h3>',
    capture(s),
    '</div><div><h3>Fields</h3>',
    fieldChart(s),
    '</div></div></section>',
  ].join('');
}
