import type { Rule } from '../types.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { commandLines } from '../../evidence/line-judge.js';

/**
 * /etc/hosts pins a name or address that this host's other findings already name as an
 * indicator (the C2 domain of a dropper cron line, the pool a miner talks to): attackers
 * pin their servers so DNS blocking does not stop them.
 */
export const hostsIocEntry: Rule = {
  id: 'hosts.ioc-entry',
  phase: 2,
  run: (facts, { prior = [] }) => {
    const file = facts.etcHosts;
    if (!file) return [];
    const iocs = prior.flatMap((f) => f.iocs.filter((i) => i.type === 'domain' || i.type === 'ip').map((i) => ({ ...i, family: i.family ?? f.family })));
    if (!iocs.length) return [];
    const covered = new Set(prior.flatMap((f) => f.artifacts.flatMap((a) => (a.type === 'hosts-entry' ? [a.lineNumber] : []))));
    return commandLines(file).flatMap(({ lineNumber, line }) => {
      if (covered.has(lineNumber)) return [];
      const [address = '', ...names] = line.trim().split(/\s+/);
      const hit = iocs.find((i) => (i.type === 'ip' ? i.value === address : names.some((n) => n.toLowerCase() === i.value)));
      if (!hit) return [];
      return [
        finding(facts, {
          rule: 'hosts.ioc-entry',
          severity: 'high',
          title: `/etc/hosts pins ${hit.value}, an indicator of this incident`,
          family: hit.family,
          evidence: [lineEvidence(file, lineNumber, line)],
          iocs: [{ type: hit.type, value: hit.value }],
          artifacts: [{ type: 'hosts-entry', path: file.path, lineNumber, line }],
          remedy: 'Remove the line from /etc/hosts and block the address.',
        }),
      ];
    });
  },
};
