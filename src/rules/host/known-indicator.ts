import { iocFindings, type FleetIoc } from '../../evidence/ioc-findings.js';
import type { Catalogue } from '../../catalogue/types.js';
import type { Rule } from '../types.js';

/** Loose indicators of the catalogue: --ioc file entries and family hashes/addresses. */
export function catalogueIocs(cat: Catalogue): FleetIoc[] {
  const out: FleetIoc[] = cat.iocs.map((ioc) => ({ ioc, seenOn: ioc.source ? [ioc.source] : [] }));
  for (const f of cat.families) {
    for (const value of f.sha256) out.push({ ioc: { type: 'sha256', value, family: f.id, source: 'catalogue' }, seenOn: [] });
    for (const value of f.urls) out.push({ ioc: { type: 'url', value, family: f.id, source: 'catalogue' }, seenOn: [] });
    for (const value of f.domains) out.push({ ioc: { type: 'domain', value, family: f.id, source: 'catalogue' }, seenOn: [] });
    for (const value of f.ips) out.push({ ioc: { type: 'ip', value, family: f.id, source: 'catalogue' }, seenOn: [] });
  }
  return out;
}

/** Anything on the host matching a catalogue / --ioc indicator that no other rule reported. */
export const knownIndicator: Rule = {
  id: 'ioc.known-indicator',
  phase: 2,
  run: (facts, { catalogue, prior = [] }) =>
    iocFindings(facts, catalogueIocs(catalogue), prior, 'ioc.known-indicator').map((f) => {
      delete f.pivot;
      return f;
    }),
};
