import type { ReportModel } from '../types.js';
import { escapeText, type Trusted } from '../trusted.js';
import { familyColour } from './palette.js';
import { num, rect, svg, text } from './svg.js';

// The incident on one axis: when each infected host shows its first trace (dots, coloured by
// family, stacked per time slot), and the response window of this run (shaded band).

const W = 760;
const H = 170;
const X0 = 30;
const X1 = W - 20;
const BASE = 130;
const DOT = 7;
const MAX_STACK = 14;

function tickLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : spanMs > 3_600_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** SVG timeline of first traces and the response. */
export function timelineChart(m: Pick<ReportModel, 'timeline' | 'run' | 'summary'>): Trusted {
  const first = m.timeline.filter((e) => e.kind === 'first-evidence');
  const runStart = Date.parse(m.run.startedAt);
  const runEnd = Date.parse(m.run.finishedAt);
  const times = [...first.map((e) => e.at), runStart, runEnd].filter(Number.isFinite);
  if (!times.length) return svg(W, 40, 'Timeline: no dated event', text(X0, 24, 'No dated event in this run.', 'class="note"'));
  let lo = Math.min(...times);
  let hi = Math.max(...times);
  if (hi - lo < 60_000) {
    lo -= 30_000;
    hi += 30_000;
  }
  const pad = (hi - lo) * 0.03;
  lo -= pad;
  hi += pad;
  const x = (ms: number) => X0 + ((ms - lo) / (hi - lo)) * (X1 - X0);
  const famIndex = new Map(m.summary.families.map((f, i) => [f.id, i]));
  let body = '';
  // response band
  if (Number.isFinite(runStart) && Number.isFinite(runEnd)) {
    const bx = x(runStart);
    body += rect(bx, 18, Math.max(3, x(runEnd) - bx), BASE - 18, '#e3ecf9', `this run: ${m.run.startedAt} to ${m.run.finishedAt}`);
    body += text(Math.min(bx, X1 - 110), 14, `minesweep ${m.run.command}`, 'class="lbl"');
  }
  // axis and ticks
  body += `<line x1="${X0}" y1="${BASE}" x2="${X1}" y2="${BASE}" stroke="#555" stroke-width="1"/>`;
  for (let i = 0; i <= 4; i++) {
    const t = lo + ((hi - lo) * i) / 4;
    const tx = x(t);
    body += `<line x1="${num(tx)}" y1="${BASE}" x2="${num(tx)}" y2="${BASE + 5}" stroke="#555"/>`;
    body += text(tx, BASE + 20, tickLabel(t, hi - lo), 'text-anchor="middle" class="num"');
  }
  // first traces, stacked per slot
  const stacks = new Map<number, number>();
  const overflow = new Map<number, number>();
  for (const e of first) {
    const slot = Math.round(x(e.at) / DOT);
    const k = stacks.get(slot) ?? 0;
    stacks.set(slot, k + 1);
    if (k >= MAX_STACK) {
      overflow.set(slot, (overflow.get(slot) ?? 0) + 1);
      continue;
    }
    const colour = e.family !== undefined && famIndex.has(e.family) ? familyColour(famIndex.get(e.family)!) : '#444';
    body += `<circle cx="${num(slot * DOT)}" cy="${num(BASE - 5 - k * DOT)}" r="3" fill="${colour}"><title>${escapeText(`${e.iso.slice(0, 16).replace('T', ' ')} UTC, ${e.host ?? ''}: ${e.text}`)}</title></circle>`;
  }
  for (const [slot, extra] of overflow) body += text(slot * DOT, BASE - 8 - MAX_STACK * DOT, `+${extra}`, 'text-anchor="middle" class="num"');
  body += text(X0, H - 6, first.length ? 'Each dot: the first trace found on one infected host (colour = family). Shaded: this run.' : 'No dated trace of infection. Shaded: this run.', 'class="note"');
  return svg(W, H, `Timeline: first traces on ${first.length} hosts and the response`, body);
}
