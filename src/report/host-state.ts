import type { HostRun } from '../run/types.js';
import type { Severity } from '../findings/types.js';
import { hostOutcome } from '../findings/outcome.js';
import type { HostState } from './types.js';

// A host's state in the report: its verdict after this run's actions (findings/outcome.ts).

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** reinfected | infected | suspicious | exposed | incomplete | unreachable | cleaned | closed | clean */
export const hostState = (h: HostRun): HostState => hostOutcome(h).verdict;

/** States whose host has findings to show (a card with its evidence). */
export const FINDING_STATES: ReadonlySet<HostState> = new Set(['reinfected', 'infected', 'suspicious', 'exposed', 'cleaned', 'closed']);
/** States of hosts that were not (fully) checked. */
export const UNCHECKED_STATES: ReadonlySet<HostState> = new Set(['unreachable', 'incomplete']);
/** States that still need someone to act. */
export const OPEN_STATES: ReadonlySet<HostState> = new Set(['reinfected', 'infected', 'suspicious', 'exposed']);

/** Hosts that had anything, open or done (counts by state). */
export const affectedCount = (c: Record<HostState, number>): number => c.reinfected + c.infected + c.suspicious + c.exposed + c.cleaned + c.closed;

/** The highest severity of a list, null when empty. */
export function maxSeverity(severities: Iterable<Severity>): Severity | null {
  let best: number | null = null;
  for (const s of severities) {
    const i = SEVERITY_ORDER.indexOf(s);
    if (i >= 0 && (best === null || i < best)) best = i;
  }
  return best === null ? null : SEVERITY_ORDER[best]!;
}

const STATE_RANK: Record<HostState, number> = { reinfected: 0, infected: 1, suspicious: 2, exposed: 3, cleaned: 4, closed: 5, unreachable: 6, incomplete: 7, clean: 8 };

/** Report order: still open (reinfected, infected, suspicious, exposed), then done (cleaned, closed), unreachable, incomplete, clean; worst severity first; then by name. */
export function compareHosts(
  a: { state: HostState; severity: Severity | null; name: string },
  b: { state: HostState; severity: Severity | null; name: string },
): number {
  const rank = (s: Severity | null) => (s === null ? 9 : SEVERITY_ORDER.indexOf(s));
  return STATE_RANK[a.state] - STATE_RANK[b.state] || rank(a.severity) - rank(b.severity) || a.name.localeCompare(b.name, 'en', { numeric: true });
}
