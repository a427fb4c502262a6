import type { Rule } from '../types.js';
import { poolDomainIn } from '../../evidence/family-match.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { extractIocs } from '../../evidence/iocs-extract.js';
import { commandLines } from '../../evidence/line-judge.js';

/** /etc/hosts pins a mining pool or a family's C2 domain (miners do this to dodge DNS blocking). */
export const hostsPoolDomain: Rule = {
  id: 'hosts.pool-domain',
  run: (facts, { catalogue }) => {
    const file = facts.etcHosts;
    if (!file) return [];
    return commandLines(file).flatMap(({ lineNumber, line }) => {
      const names = line.trim().split(/\s+/).slice(1).join(' ');
      const pool = poolDomainIn(names, catalogue);
      const fam = catalogue.families.find((f) => f.domains.some((d) => poolDomainIn(names, { ...catalogue, poolDomains: [d] })));
      if (!pool && !fam) return [];
      const address = line.trim().split(/\s+/)[0] ?? '';
      return [
        finding(facts, {
          rule: 'hosts.pool-domain',
          severity: 'high',
          title: `/etc/hosts maps ${pool ?? `a ${fam!.name} domain`} to ${address}`,
          family: fam?.id,
          evidence: [lineEvidence(file, lineNumber, line)],
          iocs: [...(pool ? [{ type: 'domain' as const, value: pool }] : []), ...extractIocs(address)],
          artifacts: [{ type: 'hosts-entry', path: file.path, lineNumber, line }],
          remedy: 'Remove the line from /etc/hosts and block the address.',
        }),
      ];
    });
  },
};
