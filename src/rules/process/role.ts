import type { Catalogue } from '../../catalogue/types.js';
import type { HostFacts, ProcessFact } from '../../facts/types.js';
import { familyOfProcess, minerMarker, poolDomainIn } from '../../evidence/family-match.js';
import { outbound } from '../../evidence/finding.js';

/** miner when the catalogue says so or it talks stratum; watchdog when the catalogue says so. */
export function processRole(p: ProcessFact, facts: HostFacts, cat: Catalogue): 'miner' | 'watchdog' | 'other' {
  const hit = familyOfProcess(p, cat);
  if (hit && hit.role !== 'other') return hit.role;
  const argv = p.argv.join(' ');
  if (minerMarker(argv, cat) || poolDomainIn(argv, cat)) return 'miner';
  if (outbound(facts).some((s) => s.pid === p.pid && cat.minerPorts.includes(s.remotePort))) return 'miner';
  return 'other';
}
