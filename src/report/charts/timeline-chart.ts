import type { ReportModel } from '../types.js';
import { escapeText, type Trusted } from '../trusted.js';
import { familyColour } from './palette.js';
import { clipLabel, num, rect, svg, text } from './svg.js';

// The incident on one axis: when each infected host shows its first trace (dots, coloured by
// family, stacked per time slot), and the response window of this run (shaded band).

const W = 1000;
const H = 180;
const X0 = 30;
const X1 = W - 20;
const BASE = 130;
const DOT = 9;
const MAX_STACK = 11;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEPS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

/** Ticks on UTC-aligned round steps (minutes, hours, days…), at most ~8. */
export function niceTicks(lo: number, hi: number): { at: number[]; label: (ms: number) => string } {
  const step = STEPS.find((s) => (hi - lo) / s <= 8) ?? 365 * DAY;
  const at: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) at.push(t);
  const label = (ms: number) => {
    const iso = new Date(ms).toISOString();
    if (step >= DAY) return iso.slice(0, 10);
    if (step >= HOUR) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    return iso.slice(11, 16);
  };
  return { at, label };
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
    body += rect(bx, 18, Math.max(3, x(runEnd) - bx), BASE - 18, '#cfe0f6', `this run: ${m.run.startedAt} to ${m.run.finishedAt}`);
    const right = bx > (X0 + X1) / 2;
    body += text(right ? Math.max(x(runEnd), bx + 3) : bx, 14, `minesweep ${m.run.command}`, `class="lbl" text-anchor="${right ? 'end' : 'start'}"`);
  }
  // family legend, top left
  let lx = X0;
  m.summary.families.slice(0, 8).forEach((f, i) => {
    body += `<circle cx="${num(lx + 4)}" cy="10" r="4" fill="${familyColour(i)}"/>` + text(lx + 12, 14, clipLabel(f.id), 'class="num"');
    lx += 24 + Math.min(f.id.length, 22) * 7;
  });
  // axis and ticks
  body += `<line x1="${X0}" y1="${BASE}" x2="${X1}" y2="${BASE}" stroke="#555" stroke-width="1"/>`;
  const ticks = niceTicks(lo, hi);
  for (const t of ticks.at) {
    const tx = x(t);
    body += `<line x1="${num(tx)}" y1="${BASE}" x2="${num(tx)}" y2="${BASE + 5}" stroke="#555"/>`;
    body += text(tx, BASE + 20, ticks.label(t), 'text-anchor="middle" class="num"');
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
    body += `<circle cx="${num(slot * DOT)}" cy="${num(BASE - 5 - k * DOT)}" r="4" fill="${colour}"><title>${escapeText(`${e.iso.slice(0, 16).replace('T', ' ')} UTC, ${e.host ?? ''}: ${e.text}`)}</title></circle>`;
  }
  for (const [slot, extra] of overflow) body += text(slot * DOT, BASE - 8 - MAX_STACK * DOT, `+${extra}`, 'text-anchor="middle" class="num"');
  body += text(X0, H - 4, first.length ? 'Each dot: the first trace found on one infected host (colour = family). Shaded: this run.' : 'No dated trace of infection. Shaded: this run.', 'class="note"');
  return svg(W, H, `Timeline: first traces on ${first.length} hosts and the response`, body);
}
