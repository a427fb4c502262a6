import { loadCatalogue } from '../../catalogue/load.js';
import type { Catalogue } from '../../catalogue/types.js';
import { markerRegex } from '../../catalogue/marker-regex.js';
import type { HostFacts } from '../../facts/types.js';
import type { Finding } from '../../findings/types.js';
import type { HostHandle, ModuleContext } from '../../playbook/module-types.js';
import { analyzeFleet } from '../../detect/analyze-fleet.js';
import { defaultProbe } from '../../sweep/probe-loader.js';
import type { Session } from '../../transport/types.js';

// probe and detect: the sweep's probe (one exec) and rules, on one host, from a playbook.

let catalogue: Catalogue | undefined;
/** The built-in catalogue plus `ioc` files, loaded once per set of files. */
export function catalogueFor(ioc: string[] = []): Catalogue {
  if (ioc.length) return loadCatalogue(ioc);
  return (catalogue ??= loadCatalogue([]));
}

export async function probeFacts(host: HostHandle, ctx: ModuleContext, cat: Catalogue, timeoutMs?: number): Promise<HostFacts> {
  const facts = await defaultProbe(host.session as Session, {
    paths: [...new Set(cat.families.flatMap((f) => f.paths))],
    markerRegex: markerRegex(cat),
    ...(ctx.become ? { become: true } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  facts.host = ctx.host;
  return facts;
}

export function detectFindings(facts: HostFacts, ctx: ModuleContext, cat: Catalogue): Finding[] {
  const r = analyzeFleet([facts], { catalogue: cat, trustedKeys: ctx.controller.keyFingerprints ?? [] });
  return r.findings.get(facts.host) ?? [];
}

/** A short summary of findings for `register` and the console. */
export function findingsData(findings: Finding[]): Record<string, unknown> {
  return {
    count: findings.length,
    infected: findings.some((f) => f.severity === 'critical' || f.severity === 'high'),
    families: [...new Set(findings.flatMap((f) => (f.family ? [f.family] : [])))],
    rules: [...new Set(findings.map((f) => f.rule))],
  };
}
