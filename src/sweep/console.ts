import { escapeForTerminal } from '../core/terminal.js';
import type { Finding } from '../findings/types.js';
import { incompleteNote } from '../run/incomplete.js';
import type { HostRun, RunRecord } from '../run/types.js';
import { hostFamilies } from '../rules/attribute.js';

// What sweep prints: one line per infected (or unreachable/failed) host, a totals line,
// and the run directory. Everything from hosts is escaped.

const SEV = ['critical', 'high', 'medium', 'low', 'info'] as const;

function severityCounts(findings: Finding[]): string {
  return SEV.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

export function hostLine(h: HostRun): string | null {
  const name = escapeForTerminal(h.name);
  if (h.status === 'unreachable' || h.status === 'failed') return `${h.status.toUpperCase().padEnd(11)} ${name}  ${escapeForTerminal(h.reason ?? '')}`;
  const partial = incompleteNote(h);
  if (!h.findings.length) return partial ? `${'INCOMPLETE'.padEnd(11)} ${name}  ${escapeForTerminal(partial)}` : null;
  const fams = hostFamilies(h.findings);
  const pivot = h.findings.some((f) => f.pivot) ? '  (found through the fleet pivot)' : '';
  return `${'INFECTED'.padEnd(11)} ${name}  ${escapeForTerminal(fams.join(', ') || 'unknown family')}  ${h.findings.length} finding${h.findings.length === 1 ? '' : 's'} (${severityCounts(h.findings)})${pivot}${partial ? `  (${escapeForTerminal(partial)})` : ''}`;
}

export interface Totals {
  hosts: number;
  infected: number;
  clean: number;
  /** no findings, but partial facts: not clean */
  incomplete: number;
  unreachable: number;
  failed: number;
  findings: number;
  iocs: number;
  families: string[];
}

export function totals(record: RunRecord): Totals {
  const hs = record.hosts;
  return {
    hosts: hs.length,
    infected: hs.filter((h) => h.findings.length > 0).length,
    clean: hs.filter((h) => h.status === 'ok' && h.findings.length === 0 && !h.incomplete?.length).length,
    incomplete: hs.filter((h) => h.status === 'ok' && h.findings.length === 0 && (h.incomplete?.length ?? 0) > 0).length,
    unreachable: hs.filter((h) => h.status === 'unreachable').length,
    failed: hs.filter((h) => h.status === 'failed').length,
    findings: hs.reduce((n, h) => n + h.findings.length, 0),
    iocs: record.iocs.length,
    families: hostFamilies(hs.flatMap((h) => h.findings)),
  };
}

export function totalsLine(t: Totals, seconds: number): string {
  return `${t.hosts} host${t.hosts === 1 ? '' : 's'}: ${t.infected} infected, ${t.clean} clean, ${t.incomplete ? `${t.incomplete} incomplete, ` : ''}${t.unreachable} unreachable, ${t.failed} failed; ${t.findings} findings, ${t.iocs} IOCs${t.families.length ? `; families: ${escapeForTerminal(t.families.join(', '))}` : ''} (${seconds.toFixed(1)}s)`;
}

/** The whole console text (also saved as summary.txt). */
export function consoleText(record: RunRecord, seconds: number, runDir?: string): string {
  const lines = record.hosts.map(hostLine).filter((l): l is string => l !== null);
  lines.push(totalsLine(totals(record), seconds));
  if (runDir) lines.push(`run: ${runDir}`);
  return lines.join('\n') + '\n';
}
