import type { Catalogue } from '../catalogue/types.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { attribute } from './attribute.js';
import { runRules } from './run-rules.js';

export interface AnalyzeOptions {
  catalogue: Catalogue;
  /** fingerprints of keys that are legitimate (the controller's own key …) */
  trustedKeys?: Iterable<string>;
  /** --since as a duration in seconds, counted back from each host's own clock */
  sinceSeconds?: number;
  /** inventory groups by host: analyzeFleet stacks the fleet within each group */
  groups?: ReadonlyMap<string, readonly string[]>;
}

/** The trusted key set once for a whole fleet: the catalogue's and the caller's. */
export const trustedKeySet = (opts: AnalyzeOptions): Set<string> => new Set([...opts.catalogue.trustedKeys, ...(opts.trustedKeys ?? [])]);

/** Pure: every rule on one host, then family attribution (the pivot comes later, fleet-wide). */
export function analyzeHost(f: HostFacts, opts: AnalyzeOptions, trustedKeys: Set<string> = trustedKeySet(opts)): { findings: Finding[]; errors: string[] } {
  const r = runRules(f, { catalogue: opts.catalogue, trustedKeys, ...(opts.sinceSeconds !== undefined ? { sinceEpoch: f.collectedAt - opts.sinceSeconds } : {}) });
  return { findings: attribute(f, r.findings), errors: r.errors };
}
