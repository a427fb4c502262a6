import type { Catalogue } from '../catalogue/types.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { pivotFleet } from '../pivot/pivot.js';
import { attribute } from './attribute.js';
import { runRules } from './run-rules.js';

export interface AnalyzeOptions {
  catalogue: Catalogue;
  /** fingerprints of keys that are legitimate (the controller's own key …) */
  trustedKeys?: Iterable<string>;
  /** --since as a duration in seconds, counted back from each host's own clock */
  sinceSeconds?: number;
}

/** Pure: rules on every host, the fleet pivot, then family attribution. */
export function analyzeFleet(facts: HostFacts[], opts: AnalyzeOptions): { findings: Map<string, Finding[]>; errors: string[] } {
  const trustedKeys = new Set([...opts.catalogue.trustedKeys, ...(opts.trustedKeys ?? [])]);
  const findings = new Map<string, Finding[]>();
  const errors: string[] = [];
  for (const f of facts) {
    const r = runRules(f, { catalogue: opts.catalogue, trustedKeys, ...(opts.sinceSeconds !== undefined ? { sinceEpoch: f.collectedAt - opts.sinceSeconds } : {}) });
    findings.set(f.host, attribute(f, r.findings));
    errors.push(...r.errors);
  }
  const pivots = pivotFleet(facts, findings);
  for (const f of facts) {
    const extra = pivots.get(f.host);
    if (extra) findings.set(f.host, attribute(f, [...findings.get(f.host)!, ...extra]));
  }
  return { findings, errors };
}
