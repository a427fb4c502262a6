import type { GroupCount, Summary } from '../types.js';
import { STATE_COLOUR } from './palette.js';
import { clipLabel, rect, svg, text } from './svg.js';
import type { Trusted } from '../trusted.js';

// Infected / cleaned / clean / unreachable: one bar for the fleet, one per group.

type Counts = Pick<GroupCount, 'stillInfected' | 'cleaned' | 'clean' | 'unreachable' | 'notChecked'>;

const SEGMENTS: Array<[keyof Counts, keyof typeof STATE_COLOUR, string]> = [
  ['stillInfected', 'still-infected', 'still infected'],
  ['cleaned', 'cleaned', 'cleaned'],
  ['notChecked', 'not-checked', 'not checked'],
  ['unreachable', 'unreachable', 'unreachable'],
  ['clean', 'clean', 'clean'],
];

const total = (c: Counts) => c.stillInfected + c.cleaned + c.clean + c.unreachable + c.notChecked;

function segments(c: Counts, x0: number, y: number, width: number, h: number, scale: number, label: string): string {
  let x = x0;
  let out = '';
  for (const [key, colour, word] of SEGMENTS) {
    const v = c[key];
    if (!v) continue;
    const w = Math.max(v * scale, 2);
    out += rect(x, y, Math.min(w, x0 + width - x), h, STATE_COLOUR[colour], `${label}: ${v} ${word}`);
    x += w;
  }
  return out;
}

/** The whole fleet as one stacked bar. */
export function fleetBar(s: Summary): Trusted {
  const c: Counts = { stillInfected: s.stillInfected, cleaned: s.cleaned, clean: s.clean, unreachable: s.unreachable, notChecked: s.notChecked };
  const W = 1000;
  const n = total(c) || 1;
  return svg(W, 28, `Fleet: ${s.stillInfected} still infected, ${s.cleaned} cleaned, ${s.clean} clean, ${s.unreachable} unreachable, ${s.notChecked} not checked`, segments(c, 0, 2, W, 24, W / n, 'fleet'));
}

/** One stacked bar per group (the `max` most affected), scaled to the largest group. */
export function groupBars(groups: GroupCount[], max = 14): Trusted {
  const shown = groups.slice(0, max);
  const W = 1000;
  const LABEL = 170;
  const NUM = 60;
  const ROW = 24;
  const barW = W - LABEL - NUM;
  const biggest = Math.max(1, ...shown.map(total));
  let body = '';
  shown.forEach((g, i) => {
    const y = i * ROW + 4;
    body += text(LABEL - 8, y + 14, clipLabel(g.group), 'text-anchor="end" class="lbl"');
    body += segments(g, LABEL, y, barW, ROW - 8, barW / biggest, g.group);
    const infected = g.stillInfected + g.cleaned;
    body += text(LABEL + (total(g) * barW) / biggest + 6, y + 14, `${infected}/${total(g)}`, 'class="num"');
  });
  if (groups.length > max) body += text(LABEL, shown.length * ROW + 18, `and ${groups.length - max} more groups (see report.json)`, 'class="note"');
  const h = shown.length * ROW + (groups.length > max ? 28 : 8);
  return svg(W, h, 'Infected, cleaned, clean and unreachable hosts per group', body);
}
