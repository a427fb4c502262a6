import { describe, expect, it } from 'vitest';
import { planFirewall } from '../../../src/harden/firewall.js';
import { parseRule, tokenize } from '../../../src/harden/iptables-rule.js';
import { emptyFacts } from '../remediate/facts-fixture.js';

const controller = { address: '198.18.5.1', sshPort: 22 };
const facts = emptyFacts({
  iptables: {
    available: true,
    rules: ['-P INPUT ACCEPT', '-A INPUT -p tcp -m tcp --dport 6380 -j ACCEPT', '-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 6379 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', '-A INPUT -p tcp -m comment --comment "open redis" -m multiport --dports 6381,9200:9201 -j ACCEPT'],
  },
});

describe('iptables rules', () => {
  it('tokenizes quoted comments', () => {
    expect(tokenize('-A INPUT -m comment --comment "a b" -j ACCEPT')).toEqual(['-A', 'INPUT', '-m', 'comment', '--comment', 'a b', '-j', 'ACCEPT']);
    expect(parseRule('-A INPUT -p tcp -m multiport --dports 6381,9200:9201 -j ACCEPT')!.ports).toEqual([6381, 9200, 9201]);
  });
});

describe('planFirewall', () => {
  it('removes world-open datastore rules only, keeps SSH and sourced rules, allowlists', () => {
    const p = planFirewall(facts, { allowSources: ['198.18.5.10'] }, controller);
    if ('refused' in p) throw new Error(p.refused);
    const all = p.steps.map((s) => s.command).join('\n');
    expect(all).toContain('-D INPUT -p tcp -m tcp --dport 6380 -j ACCEPT');
    expect(all).toContain("-D INPUT -p tcp -m comment --comment 'open redis'");
    expect(all).not.toContain('--dport 6379 -j ACCEPT &&');
    expect(all).not.toContain('-D INPUT -p tcp -m tcp --dport 22');
    expect(all).toContain('-s 198.18.5.10 -p tcp --dport 6380 -m comment --comment minesweep:harden -j ACCEPT');
    expect(all).toMatch(/iptables -w -C INPUT -p tcp --dport 6380 .* -j DROP/);
    expect(p.steps.at(-1)!.description).toMatch(/persist/);
  });

  it('blocks egress idempotently (check before insert)', () => {
    const p = planFirewall(emptyFacts(), { blockAddresses: ['198.18.5.250'] }, controller);
    if ('refused' in p) throw new Error(p.refused);
    expect(p.steps[0]!.command).toMatch(/^if ! iptables -w -C OUTPUT -d 198\.18\.5\.250 .* then iptables -w -I OUTPUT/);
  });

  it('refuses a var that would block the controller or the SSH port, before anything', () => {
    expect(planFirewall(facts, { blockAddresses: ['198.18.5.0/24'] }, controller)).toHaveProperty('refused');
    expect(planFirewall(facts, { blockPorts: [22] }, controller)).toHaveProperty('refused');
    expect(planFirewall(facts, { datastorePorts: [22, 6379] }, controller)).toHaveProperty('refused');
  });

  it('has nothing to do on a host with no open datastore port and nothing to block', () => {
    const p = planFirewall(emptyFacts(), {}, controller);
    expect(p).toEqual({ steps: [], notes: [] });
  });
});
