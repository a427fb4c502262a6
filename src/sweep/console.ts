import { escapeForTerminal } from '../core/terminal.js';
import type { Finding } from '../findings/types.js';
import type { HostRun, RunRecord } from '../run/types.js';
import { hostFamilies } from '../rules/attribute.js';
import { recordedVerdict, VERDICT_WORD, type Verdict } from '../findings/verdict.js';

// What sweep prints: one line per infected (or unreachable/failed) host, a totals line,
// and the run directory. Everything from hosts is escaped.

const SEV = ['critical', 'high', 'medium', 'low', 'info'] as const;

function severityCounts(findings: Finding[]): string {
  return SEV.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** The host's verdict: the recorded one, else judged from its findings now (records written before verdicts). */
export const verdictOf = (h: HostRun): Verdict => recordedVerdict(h);

export function hostLine(h: HostRun): string | null {
  const name = escapeForTerminal(h.name);
  if (h.status === 'unreachable' || h.status === 'failed') return `${h.status.toUpperCase().padEnd(11)} ${name}  ${escapeForTerminal(h.reason ?? '')}`;
  const v = verdictOf(h);
  if (v === 'clean') return null;
  if (v === 'incomplete') return `${VERDICT_WORD[v].padEnd(11)} ${name}  ${escapeForTerminal(h.verdictWhy ?? `probe sections missing: ${(h.incomplete ?? []).join(', ')}`)}`;
  const fams = hostFamilies(h.findings);
  const pivot = h.findings.some((f) => f.pivot) ? '  (found through the fleet pivot)' : '';
  const what = v === 'infected' ? fams.join(', ') || 'unknown family' : escapeForTerminal(h.verdictWhy ?? '');
  return `${VERDICT_WORD[v].padEnd(11)} ${name}  ${escapeForTerminal(what)}  ${h.findings.length} finding${h.findings.length === 1 ? '' : 's'} (${severityCounts(h.findings)})${pivot}`;
}

export interface Totals {
  hosts: number;
  infected: number;
  suspicious: number;
  exposed: number;
  incomplete: number;
  clean: number;
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
    infected: hs.filter((h) => verdictOf(h) === 'infected').length,
    suspicious: hs.filter((h) => verdictOf(h) === 'suspicious').length,
    exposed: hs.filter((h) => verdictOf(h) === 'exposed').length,
    incomplete: hs.filter((h) => h.status === 'ok' && verdictOf(h) === 'incomplete').length,
    clean: hs.filter((h) => h.status === 'ok' && verdictOf(h) === 'clean').length,
    unreachable: hs.filter((h) => h.status === 'unreachable').length,
    failed: hs.filter((h) => h.status === 'failed').length,
    findings: hs.reduce((n, h) => n + h.findings.length, 0),
    iocs: record.iocs.length,
    families: hostFamilies(hs.flatMap((h) => h.findings)),
  };
}

export function totalsLine(t: Totals, seconds: number): string {
  return `${t.hosts} host${t.hosts === 1 ? '' : 's'}: ${t.infected} infected, ${t.clean} clean, ${t.unreachable} unreachable, ${t.failed} failed; ${t.suspicious} suspicious, ${t.exposed} exposed, ${t.incomplete} incomplete; ${t.findings} findings, ${t.iocs} IOCs${t.families.length ? `; families: ${escapeForTerminal(t.families.join(', '))}` : ''} (${seconds.toFixed(1)}s)`;
}

/** The whole console text (also saved as summary.txt). */
export function consoleText(record: RunRecord, seconds: number, runDir?: string): string {
  const lines = record.hosts.map(hostLine).filter((l): l is string => l !== null);
  lines.push(totalsLine(totals(record), seconds));
  const retried = record.hosts.filter((h) => h.connectRetries);
  if (retried.length) lines.push(`${retried.length} host(s) refused the connection at first and were retried (${retried.reduce((n, h) => n + h.connectRetries!, 0)} retries; connectRetries in run.json)`);
  if (runDir) lines.push(`run: ${runDir}`);
  return lines.join('\n') + '\n';
}
