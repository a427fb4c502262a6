import type { HostFacts } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Firewall rules as `iptables -S` / `ip6tables -S` print them (5 s each at most).
const snippet = shText`
  for ms_c in iptables ip6tables; do
    command -v $ms_c >/dev/null 2>&1 || continue
    ms_r rules
    ms_l cmd $ms_c
    printf '@B out\n'
    ms_t 5 $ms_c -S 2>/dev/null | head -c 1000000 | ms_enc
  done
`;

const rulesOf = (r: ProbeRecord | undefined): string[] => (r ? r.str('out').split('\n').filter((l) => l.trim() !== '') : []);

export function parseIptables(records: ProbeRecord[]): Partial<HostFacts> {
  const v4 = records.find((r) => r.kind === 'rules' && r.str('cmd') === 'iptables');
  const v6 = records.find((r) => r.kind === 'rules' && r.str('cmd') === 'ip6tables');
  const rules = rulesOf(v4);
  // a working iptables always prints the policies (-P INPUT …)
  const out: HostFacts['iptables'] & { rules6?: string[] } = { available: rules.some((l) => l.startsWith('-P ')), rules };
  if (v6) out.rules6 = rulesOf(v6);
  return { iptables: out };
}

export const iptablesSection: ProbeSection = {
  name: 'iptables',
  snippet,
  timeoutSeconds: 15,
  parse: parseIptables,
  missing: () => ({ iptables: { available: false, rules: [] } }),
};
