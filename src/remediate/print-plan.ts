import { PHASES } from '../actions/types.js';
import { escapeForTerminal } from '../core/terminal.js';
import { masked } from '../core/mask.js';
import type { Step } from '../actions/types.js';

// Check-mode text: per host, each phase with its steps and diffs; what the guards refused.
// Everything from the host is escaped.

export interface PrintablePlan {
  host: string;
  phases: Partial<Record<string, Step[]>>;
  notes: string[];
}

export function planText(p: PrintablePlan, opts: { showCommands?: boolean } = {}): string {
  const lines: string[] = [`== ${escapeForTerminal(p.host)}`];
  let n = 0;
  for (const phase of [...PHASES, ...Object.keys(p.phases).filter((k) => !(PHASES as readonly string[]).includes(k))]) {
    const steps = p.phases[phase] ?? [];
    for (const s of steps) {
      n++;
      lines.push(`  [${phase}] ${escapeForTerminal(masked(s.description, s.mask))}`);
      if (s.diff) for (const l of masked(s.diff, s.mask).replace(/\n$/, '').split('\n')) lines.push(`      ${escapeForTerminal(l)}`);
      if (opts.showCommands) for (const l of masked(s.command, s.mask).split('\n')) lines.push(`      $ ${escapeForTerminal(l)}`);
    }
  }
  if (!n) lines.push('  nothing to do');
  for (const note of p.notes) lines.push(`  note: ${escapeForTerminal(note)}`);
  return lines.join('\n') + '\n';
}
