import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/** Datastore and remote-admin ports that must never be open to the world. */
export const DATASTORE_PORTS: Record<number, string> = { 6379: 'Redis', 6380: 'Redis', 6381: 'Redis', 27017: 'MongoDB', 9200: 'Elasticsearch', 11211: 'memcached', 2375: 'Docker API', 2376: 'Docker API', 5984: 'CouchDB', 3306: 'MySQL', 5432: 'PostgreSQL', 8848: 'Nacos', 2379: 'etcd', 10250: 'kubelet' };

/** Ports named by a rule: --dport N, --dports a,b,c:d. */
export function rulePorts(rule: string): number[] {
  const m = /--dports?\s+(\S+)/.exec(rule);
  if (!m) return [];
  return m[1]!.split(',').flatMap((p) => {
    const [a, b] = p.split(':').map(Number);
    if (b === undefined) return [a!];
    return Object.keys(DATASTORE_PORTS).map(Number).filter((x) => x >= a! && x <= b);
  });
}

/** An iptables ACCEPT for a datastore port from anywhere (no -s, or -s 0.0.0.0/0). */
export const firewallDatastoreOpen: Rule = {
  id: 'firewall.datastore-open-to-world',
  run: (facts) =>
    facts.iptables.rules.flatMap((rule) => {
      if (!/^-A\s+INPUT\b/.test(rule) || !/-j\s+ACCEPT\b/.test(rule)) return [];
      const src = /(?:-s|--source)\s+(\S+)/.exec(rule)?.[1];
      if (src && src !== '0.0.0.0/0' && src !== '::/0') return [];
      const ports = rulePorts(rule).filter((p) => DATASTORE_PORTS[p]);
      if (!ports.length) return [];
      return [
        finding(facts, {
          rule: 'firewall.datastore-open-to-world',
          severity: 'high',
          title: `iptables opens ${ports.map((p) => `${DATASTORE_PORTS[p]} ${p}`).join(', ')} to the world`,
          evidence: [{ kind: 'firewall', text: rule }],
          iocs: [],
          artifacts: [{ type: 'firewall-rule', rule }],
          remedy: 'Delete the rule, or restrict it with -s to the hosts that need the service.',
        }),
      ];
    }),
};
