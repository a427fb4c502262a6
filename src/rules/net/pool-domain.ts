import type { Rule } from '../types.js';
import { familyOfProcess, poolDomainIn } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';

/** A process whose command line names a mining pool domain. */
export const poolDomain: Rule = {
  id: 'net.pool-domain',
  run: (facts, { catalogue }) =>
    facts.processes.flatMap((p) => {
      const domain = p.kernelThread ? null : poolDomainIn(p.argv.join(' '), catalogue);
      if (!domain) return [];
      return [
        finding(facts, {
          rule: 'net.pool-domain',
          severity: 'critical',
          title: `Process ${p.comm} (pid ${p.pid}) talks to mining pool ${domain}`,
          family: familyOfProcess(p, catalogue)?.family.id,
          evidence: [processEvidence(p)],
          iocs: [{ type: 'domain', value: domain }, ...processIocs(p)],
          artifacts: [processArtifact(p, 'miner')],
          remedy: `Stop the process and block ${domain} (DNS and its addresses).`,
        }),
      ];
    }),
};
