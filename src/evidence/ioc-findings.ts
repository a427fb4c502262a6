import type { HostFacts } from '../facts/types.js';
import type { Finding, Ioc } from '../findings/types.js';
import { artifactKey } from './artifact-key.js';
import { finding } from './finding.js';
import { matchIoc } from './match-ioc.js';

// Indicator matches turned into findings: the fleet pivot's (indicators from other hosts) and the
// ioc.known-indicator rule's (indicators from the catalogue and --ioc files).

/** An indicator and the hosts it was found on (none for one from a catalogue or --ioc file). */
export interface FleetIoc {
  ioc: Ioc;
  seenOn: string[];
}

/** How many of the other hosts a pivot finding names (its record and report); the count says the rest. */
export const PIVOT_HOSTS_KEPT = 10;
/** How many a pivot finding's title names. */
const TITLE_HOSTS = 3;

/** "a, b, c and 997 more" */
function someOf(hosts: readonly string[], total: number, shown: number): string {
  const head = hosts.slice(0, shown).join(', ');
  return total > shown ? `${head} and ${total - shown} more` : head;
}

/** The fleet pivot is about other hosts: an indicator only this host produced says nothing new. */
export const fromElsewhere = (seenOn: string[], host: string): boolean => !seenOn.every((h) => h === host);

/**
 * Findings for matches of `iocs` on `facts` that no existing finding already covers
 * (same artifact). `rule` names the finding ("pivot.ip", "ioc.known-indicator").
 */
export function iocFindings(facts: HostFacts, iocs: FleetIoc[], existing: readonly Finding[], rule?: string): Finding[] {
  const covered = new Set(existing.flatMap((f) => f.artifacts.map(artifactKey)));
  const out: Finding[] = [];
  for (const { ioc, seenOn } of iocs) {
    if (!rule && !fromElsewhere(seenOn, facts.host)) continue;
    for (const m of matchIoc(facts, ioc)) {
      const fresh = m.artifacts.filter((a) => !covered.has(artifactKey(a)));
      if (!fresh.length) continue;
      fresh.forEach((a) => covered.add(artifactKey(a)));
      const elsewhere = seenOn.filter((h) => h !== facts.host);
      const total = elsewhere.length;
      const f = finding(facts, {
        rule: rule ?? `pivot.${ioc.type}`,
        severity: 'high',
        title: `${ioc.type} ${ioc.value} ${elsewhere.length ? `(seen on ${someOf(elsewhere, total, TITLE_HOSTS)})` : `(${ioc.source ?? 'indicator list'})`} found in ${m.where}`,
        family: ioc.family,
        evidence: m.evidence,
        iocs: [{ ...ioc }],
        artifacts: m.artifacts,
        remedy: 'The same indicator was found elsewhere in this incident: treat this host as infected and clean it the same way.',
      });
      // one finding per host and indicator: the full list would be written once per host (quadratic in the fleet)
      f.pivot = { ioc, seenOn: elsewhere.slice(0, PIVOT_HOSTS_KEPT), ...(total > PIVOT_HOSTS_KEPT ? { seenOnCount: total } : {}) };
      out.push(f);
    }
  }
  return out;
}
