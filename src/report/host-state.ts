import type { HostRun } from '../run/types.js';
import type { Severity } from '../findings/types.js';
import type { HostState } from './types.js';

// A host's state in the report, from its status, findings and verification.

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** still-infected | cleaned | unreachable | not-checked | clean */
export function hostState(h: HostRun): HostState {
  const infected = h.findings.length > 0 || (h.verification?.findings.length ?? 0) > 0;
  if (infected) return h.verification?.state === 'clean' ? 'cleaned' : 'still-infected';
  if (h.status === 'unreachable') return 'unreachable';
  // failed before any task ran: the check itself failed (a failed hardening task is not that)
  if ((h.status === 'failed' || h.status === 'skipped') && h.tasks.length === 0) return 'not-checked';
  // partial facts (a probe section timed out, was cut or skipped) are never clean
  if (h.incomplete?.length) return 'not-checked';
  return 'clean';
}

/** The highest severity of a list, null when empty. */
export function maxSeverity(severities: Iterable<Severity>): Severity | null {
  let best: number | null = null;
  for (const s of severities) {
    const i = SEVERITY_ORDER.indexOf(s);
    if (i >= 0 && (best === null || i < best)) best = i;
  }
  return best === null ? null : SEVERITY_ORDER[best]!;
}

const STATE_RANK: Record<HostState, number> = { 'still-infected': 0, cleaned: 1, unreachable: 2, 'not-checked': 3, clean: 4 };

/** Report order: still infected, cleaned, unreachable, not checked, clean; worst severity first; then by name. */
export function compareHosts(
  a: { state: HostState; severity: Severity | null; name: string },
  b: { state: HostState; severity: Severity | null; name: string },
): number {
  const rank = (s: Severity | null) => (s === null ? 9 : SEVERITY_ORDER.indexOf(s));
  return STATE_RANK[a.state] - STATE_RANK[b.state] || rank(a.severity) - rank(b.severity) || a.name.localeCompare(b.name, 'en', { numeric: true });
}
