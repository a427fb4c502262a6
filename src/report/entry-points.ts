import type { Finding } from '../findings/types.js';
import type { EntryKind, EntryPoint } from './types.js';

// "How it got in", in plain words, from what the findings say. Recognised by the artifact a
// finding carries (robust to rule renames) and, failing that, by the rule id.

interface EntryRule {
  kind: EntryKind;
  matches: (f: Finding) => boolean;
  text: (findings: Finding[]) => string;
}

const ruleIs = (f: Finding, re: RegExp) => re.test(f.rule);
const hasArtifact = (f: Finding, type: Finding['artifacts'][number]['type']) => f.artifacts.some((a) => a.type === type);

function redisAddresses(findings: Finding[]): string[] {
  const out = new Set<string>();
  for (const f of findings) for (const a of f.artifacts) if (a.type === 'redis') for (const l of a.listen) out.add(l);
  return [...out].slice(0, 3);
}

const ENTRY_RULES: EntryRule[] = [
  {
    kind: 'redis-open',
    matches: (f) => hasArtifact(f, 'redis') || ruleIs(f, /^redis\./),
    text: (fs) => {
      const at = redisAddresses(fs);
      return (
        `A Redis database${at.length ? ` (listening on ${at.join(', ')})` : ''} accepted connections without a password. ` +
        'This is the usual way in for this kind of malware: through Redis an attacker writes a scheduled job or an SSH key onto the server.'
      );
    },
  },
  {
    kind: 'datastore-open-to-world',
    matches: (f) => hasArtifact(f, 'firewall-rule') || ruleIs(f, /^(firewall|iptables)\./),
    text: () => 'A firewall rule let anyone on the internet reach a database port.',
  },
  {
    kind: 'docker-api',
    matches: (f) => ruleIs(f, /docker/),
    text: () => 'The Docker management interface could be reached over the network without authentication.',
  },
  {
    kind: 'planted-key',
    matches: (f) => hasArtifact(f, 'authorized-key') || ruleIs(f, /^key\.|(authorized|planted|rogue)[-_.]?key/),
    text: () => 'An unknown SSH key had been added to the server, giving the attacker a way to log in again at will.',
  },
  {
    kind: 'backdoor-account',
    matches: (f) => hasArtifact(f, 'account') || ruleIs(f, /^account\.(backdoor|uid0)|backdoor-user/),
    text: () => 'An unknown user account had been created as a back door.',
  },
  {
    kind: 'weak-ssh',
    matches: (f) => ruleIs(f, /^sshd?\.(password|root|empty)|^account\.empty-password/),
    text: () => 'An account had no password, or remote login accepted passwords or direct root login, which attackers guess automatically.',
  },
];

/** The ways in the evidence points to, most common first. */
export function entryPoints(findingsByHost: ReadonlyArray<{ host: string; findings: Finding[] }>): EntryPoint[] {
  const out: Array<EntryPoint & { order: number }> = [];
  ENTRY_RULES.forEach((rule, order) => {
    const hosts: string[] = [];
    const matched: Finding[] = [];
    for (const { host, findings } of findingsByHost) {
      const mine = findings.filter(rule.matches);
      if (mine.length) {
        hosts.push(host);
        matched.push(...mine);
      }
    }
    if (hosts.length) out.push({ kind: rule.kind, text: rule.text(matched), hosts, order });
  });
  return out.sort((a, b) => b.hosts.length - a.hosts.length || a.order - b.order).map(({ order: _o, ...e }) => e);
}
