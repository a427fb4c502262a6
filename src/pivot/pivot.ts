import type { HostFacts } from '../facts/types.js';
import type { Finding, Ioc, IocType } from '../findings/types.js';
import { fromElsewhere, iocFindings, type FleetIoc } from '../evidence/ioc-findings.js';

// The fleet pivot: every indicator found on any host is looked for in every host's facts,
// so a host whose only trace is the C2 address in /etc/hosts, the same cron URL, or the
// same binary under another name is found — without another round trip.

/** Indicator kinds worth pivoting on (ports are too generic). */
const PIVOT_TYPES: IocType[] = ['ip', 'domain', 'url', 'sha256', 'path', 'process-name', 'key-fingerprint', 'user', 'wallet'];

/** The run's indicators, one per type+value, with every host they came from. */
export function collectIocs(findings: Finding[]): FleetIoc[] {
  const map = new Map<string, { ioc: Ioc; hosts: Set<string> }>();
  for (const f of findings)
    for (const ioc of f.iocs) {
      if (!PIVOT_TYPES.includes(ioc.type)) continue;
      const key = `${ioc.type}\0${ioc.value}`;
      let entry = map.get(key);
      if (!entry) map.set(key, (entry = { ioc: { type: ioc.type, value: ioc.value, ...(ioc.family ?? f.family ? { family: ioc.family ?? f.family } : {}), source: f.host }, hosts: new Set() }));
      if (!entry.ioc.family && (ioc.family ?? f.family)) entry.ioc.family = ioc.family ?? f.family;
      entry.hosts.add(f.host);
    }
  return [...map.values()].map((e) => ({ ioc: e.ioc, seenOn: [...e.hosts] }));
}

/** Where the fleet pivot finds each host's facts, and an optional cheap test that rules a host out before they are read. */
export interface PivotSource {
  hosts: Iterable<string>;
  facts(host: string): HostFacts | null;
  /** "could this indicator be on this host?" — may say yes wrongly, never no wrongly; undefined: maybe */
  mayHave?(host: string): ((ioc: Ioc) => boolean) | undefined;
}

/**
 * Pivot across the fleet: every indicator found on any host, looked for on every other host.
 * Returns, per host with new findings, those findings and the facts they were matched in.
 */
export function pivotHosts(findingsByHost: Map<string, Finding[]>, source: PivotSource): Map<string, { facts: HostFacts; found: Finding[] }> {
  const out = new Map<string, { facts: HostFacts; found: Finding[] }>();
  for (const [host, candidates] of pivotCandidates(findingsByHost, source)) {
    const facts = source.facts(host);
    if (!facts) continue;
    const found = iocFindings(facts, candidates, findingsByHost.get(host) ?? []);
    if (found.length) out.set(host, { facts, found });
  }
  return out;
}

/** Per host, the run's indicators from elsewhere that may be on it (its facts not read yet). */
export function pivotCandidates(findingsByHost: Map<string, Finding[]>, source: Omit<PivotSource, 'facts'>): Map<string, FleetIoc[]> {
  const iocs = collectIocs([...findingsByHost.values()].flat());
  const out = new Map<string, FleetIoc[]>();
  if (!iocs.length) return out;
  for (const host of source.hosts) {
    const may = source.mayHave?.(host);
    const candidates = iocs.filter((i) => fromElsewhere(i.seenOn, host) && (!may || may(i.ioc)));
    if (candidates.length) out.set(host, candidates);
  }
  return out;
}

/** Pivot across a fleet whose facts are all in memory: new findings per host, keyed by host name. */
export function pivotFleet(facts: HostFacts[], findingsByHost: Map<string, Finding[]>): Map<string, Finding[]> {
  const byHost = new Map(facts.map((f) => [f.host, f]));
  return new Map([...pivotHosts(findingsByHost, { hosts: byHost.keys(), facts: (h) => byHost.get(h) ?? null })].map(([h, x]) => [h, x.found]));
}
