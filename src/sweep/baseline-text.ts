import { escapeForTerminal } from '../core/terminal.js';
import type { BaselineHostChange } from '../run/types.js';
import type { BaselineDiff, ChangedFinding, DiffFinding } from './baseline.js';

// What sweep --baseline prints after the sweep's own lines: a count line, then each new,
// gone and changed finding and each host-level change (at most SHOWN of each; the rest are in
// baseline.json). Everything from hosts is escaped.

const SHOWN = 50;

const findingLine = (word: string, f: DiffFinding): string =>
  `${word.padEnd(8)} ${escapeForTerminal(f.host)}  ${escapeForTerminal(f.rule)} (${f.severity})  ${escapeForTerminal(f.title)}${f.count > 1 ? ` ×${f.count}` : ''}`;

const changedLine = (f: ChangedFinding): string =>
  `${findingLine('CHANGED', f)}  [${f.changes.map((c) => `${escapeForTerminal(c.what)}: ${escapeForTerminal(c.from || 'none')} -> ${escapeForTerminal(c.to || 'none')}`).join('; ')}]`;

function hostLine(c: BaselineHostChange): string {
  const h = escapeForTerminal(c.host);
  switch (c.change) {
    case 'added':
      return `HOST     ${h}  not in the baseline (now ${c.to}): its findings count as new`;
    case 'not-swept':
      return `HOST     ${h}  in the baseline (${c.from}), not swept this time: its findings not compared`;
    case 'unreachable':
      return `HOST     ${h}  became unreachable (was ${c.from})`;
    case 'reachable':
      return `HOST     ${h}  reachable again (was ${c.from}, now ${c.to})`;
    case 'verdict':
      return `HOST     ${h}  verdict ${c.from} -> ${c.to}`;
  }
}

function some<T>(items: T[], line: (x: T) => string): string[] {
  const out = items.slice(0, SHOWN).map(line);
  if (items.length > SHOWN) out.push(`         … ${items.length - SHOWN} more in baseline.json`);
  return out;
}

/** The comparison as console lines (ends with a newline). */
export function baselineText(d: BaselineDiff, file?: string): string {
  const lines = [
    `since ${escapeForTerminal(d.baseline.run)} (${escapeForTerminal(d.baseline.startedAt)}): ${d.new.length} new, ${d.gone.length} gone, ${d.changed.length} changed, ${d.unchanged} unchanged${d.unknown.length ? `, ${d.unknown.length} not checked (host not fully seen)` : ''}`,
    ...some(d.new, (f) => findingLine('NEW', f)),
    ...some(d.gone, (f) => findingLine('GONE', f)),
    ...some(d.changed, changedLine),
    ...some(d.hosts, hostLine),
  ];
  if (file) lines.push(`baseline: ${escapeForTerminal(file)}`);
  return lines.join('\n') + '\n';
}
