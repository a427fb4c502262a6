import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { pivotFleet } from '../pivot/pivot.js';
import { analyzeHost, trustedKeySet, type AnalyzeOptions } from '../rules/analyze-host.js';
import { attribute } from '../rules/attribute.js';
import { fleetSignature, stackFleet } from '../rules/fleet/stacking.js';

export type { AnalyzeOptions } from '../rules/analyze-host.js';

/** Pure: rules on every host, the fleet pivot, family attribution, then fleet stacking when the hosts' groups are given (all facts in memory). */
export function analyzeFleet(facts: HostFacts[], opts: AnalyzeOptions): { findings: Map<string, Finding[]>; errors: string[] } {
  const trustedKeys = trustedKeySet(opts);
  const findings = new Map<string, Finding[]>();
  const errors: string[] = [];
  for (const f of facts) {
    const r = analyzeHost(f, opts, trustedKeys);
    findings.set(f.host, r.findings);
    errors.push(...r.errors);
  }
  const pivots = pivotFleet(facts, findings);
  for (const f of facts) {
    const extra = pivots.get(f.host);
    if (extra) findings.set(f.host, attribute(f, [...findings.get(f.host)!, ...extra]));
  }
  if (opts.groups) {
    const hosts = facts.map((f) => ({ host: f.host, groups: opts.groups!.get(f.host) ?? [], signature: fleetSignature(f), findings: findings.get(f.host)! }));
    for (const [host, fs] of stackFleet(hosts)) findings.set(host, fs);
  }
  return { findings, errors };
}
