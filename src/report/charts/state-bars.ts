import type { GroupCount, HostState, Summary } from '../types.js';
import { HOST_STATES } from '../types.js';
import { stateWord } from '../state-word.js';
import { affectedCount } from '../host-state.js';
import { STATE_COLOUR } from './palette.js';
import { clipLabel, rect, svg, text } from './svg.js';
import type { Trusted } from '../trusted.js';

// Hosts by state (verdict after the run's actions): one bar for the fleet, one per group.

type Counts = Record<HostState, number>;

const total = (c: Counts) => HOST_STATES.reduce((n, s) => n + c[s], 0);

function segments(c: Counts, x0: number, y: number, width: number, h: number, scale: number, label: string): string {
  let x = x0;
  let out = '';
  for (const s of HOST_STATES) {
    const v = c[s];
    if (!v) continue;
    const w = Math.max(v * scale, 2);
    out += rect(x, y, Math.min(w, x0 + width - x), h, STATE_COLOUR[s], `${label}: ${v} ${stateWord(s)}`);
    x += w;
  }
  return out;
}

/** The whole fleet as one stacked bar. */
export function fleetBar(s: Summary): Trusted {
  const c = s.verdicts;
  const W = 1000;
  const n = total(c) || 1;
  const words = HOST_STATES.filter((st) => c[st]).map((st) => `${c[st]} ${stateWord(st)}`).join(', ');
  return svg(W, 28, `Fleet: ${words || 'no hosts'}`, segments(c, 0, 2, W, 24, W / n, 'fleet'));
}

/** One stacked bar per group (the `max` most affected), scaled to the largest group. */
export function groupBars(groups: GroupCount[], max = 14): Trusted {
  const shown = groups.slice(0, max);
  const W = 1000;
  const LABEL = 170;
  const NUM = 60;
  const ROW = 24;
  const barW = W - LABEL - NUM;
  const biggest = Math.max(1, ...shown.map((g) => total(g.counts)));
  let body = '';
  shown.forEach((g, i) => {
    const y = i * ROW + 4;
    body += text(LABEL - 8, y + 14, clipLabel(g.group), 'text-anchor="end" class="lbl"');
    body += segments(g.counts, LABEL, y, barW, ROW - 8, barW / biggest, g.group);
    body += text(LABEL + (total(g.counts) * barW) / biggest + 6, y + 14, `${affectedCount(g.counts)}/${total(g.counts)}`, 'class="num"');
  });
  if (groups.length > max) body += text(LABEL, shown.length * ROW + 18, `and ${groups.length - max} more groups (see report.json)`, 'class="note"');
  const h = shown.length * ROW + (groups.length > max ? 28 : 8);
  return svg(W, h, 'Hosts per group by state: open, cleaned or closed, clean, unreachable', body);
}
