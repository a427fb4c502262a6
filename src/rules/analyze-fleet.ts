import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { pivotFleet } from '../pivot/pivot.js';
import { analyzeHost, trustedKeySet, type AnalyzeOptions } from './analyze-host.js';
import { attribute } from './attribute.js';

export type { AnalyzeOptions } from './analyze-host.js';

/** Pure: rules on every host, the fleet pivot, then family attribution (all facts in memory). */
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
  return { findings, errors };
}
