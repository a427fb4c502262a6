import { CONFIG_MARKERS } from '../../catalogue/marker-regex.js';
import type { Rule } from '../types.js';
import { minerMarker, poolDomainIn } from '../../evidence/family-match.js';
import { finding } from '../../evidence/finding.js';
import { extractIocs } from '../../evidence/iocs-extract.js';

const WALLET = /(?<![0-9A-Za-z])[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93,104}(?![0-9A-Za-z])/;

/**
 * A small file in a writable or hidden place that reads like a miner's configuration: a stratum
 * URL or miner option, a miner config key, or a wallet next to a pool. Dormant (no process
 * running) is still a finding: the next cron run starts it.
 */
export const minerConfig: Rule = {
  id: 'file.miner-config',
  run: (facts, { catalogue }) =>
    (facts.markerFiles ?? []).flatMap((f) => {
      const marker = minerMarker(f.content, catalogue)?.text ?? CONFIG_MARKERS.find((m) => f.content.includes(m));
      const pool = poolDomainIn(f.content, catalogue);
      const wallet = WALLET.exec(f.content)?.[0];
      if (!marker && !(wallet && pool)) return [];
      const what = [marker ? `miner marker ${marker}` : '', pool ? `pool ${pool}` : '', wallet ? `wallet ${wallet.slice(0, 12)}…` : ''].filter(Boolean).join(', ');
      return [
        finding(facts, {
          rule: 'file.miner-config',
          severity: wallet ? 'critical' : 'high',
          title: `Miner configuration ${f.path} (${what})`,
          family: minerMarker(f.content, catalogue)?.family,
          evidence: [{ kind: 'file', text: f.content.slice(0, 2000), path: f.path, time: f.mtime }],
          iocs: [{ type: 'path', value: f.path }, ...extractIocs(f.content).filter((i) => i.type !== 'path'), ...(pool ? [{ type: 'domain' as const, value: pool }] : [])],
          artifacts: [{ type: 'file', path: f.path, reason: 'miner configuration' }],
          remedy: `Quarantine ${f.path}, then find the miner binary and the persistence that would start it.`,
        }),
      ];
    }),
};
