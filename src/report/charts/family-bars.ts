import type { Summary } from '../types.js';
import type { Trusted } from '../trusted.js';
import { familyColour } from './palette.js';
import { clipLabel, rect, svg, text } from './svg.js';

// Findings by family: hosts hit per family, findings as the label.

/** Horizontal bars, one per family, length = hosts hit. */
export function familyBars(families: Summary['families'], max = 12): Trusted {
  const shown = families.slice(0, max);
  const W = 1000;
  const LABEL = 170;
  const ROW = 26;
  const barW = W - LABEL - 160;
  const biggest = Math.max(1, ...shown.map((f) => f.hosts));
  let body = '';
  shown.forEach((f, i) => {
    const y = i * ROW + 4;
    const w = Math.max(2, (f.hosts * barW) / biggest);
    body += text(LABEL - 8, y + 15, clipLabel(f.id), 'text-anchor="end" class="lbl"');
    body += rect(LABEL, y, w, ROW - 8, familyColour(i), `${f.id}: ${f.hosts} hosts, ${f.findings} findings`);
    body += text(LABEL + w + 6, y + 15, `${f.hosts} host${f.hosts === 1 ? '' : 's'}, ${f.findings} finding${f.findings === 1 ? '' : 's'}`, 'class="num"');
  });
  if (!shown.length) body = text(LABEL, 20, 'No malware family identified.', 'class="note"');
  return svg(W, Math.max(1, shown.length) * ROW + 8, 'Hosts hit per malware family', body);
}
