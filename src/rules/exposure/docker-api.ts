import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/** The Docker API listening on TCP beyond loopback (TeamTNT and kinsing spread through it). */
export const dockerApiExposed: Rule = {
  id: 'docker.api-exposed',
  run: (facts) => {
    const exposed = facts.docker.addresses.filter((a) => !/^(127\.|\[?::1\]?)/.test(a));
    if (!facts.docker.apiListening || !exposed.length) return [];
    return [
      finding(facts, {
        rule: 'docker.api-exposed',
        severity: 'high',
        title: `Docker API reachable on ${exposed.join(', ')}`,
        evidence: [{ kind: 'config', text: `dockerd listens on ${facts.docker.addresses.join(', ')} without TLS` }],
        iocs: [],
        artifacts: [],
        remedy: 'Stop exposing the Docker API over TCP (remove -H tcp://…), or require TLS client certificates.',
      }),
    ];
  },
};
