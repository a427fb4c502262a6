import { nothing, refused, steps } from '../actions/types.js';
import { sh } from '../core/quote.js';
import { defineModule } from '../playbook/module-types.js';
import { planFirewall, HARDEN_COMMENT } from '../harden/firewall.js';
import { markerStatus } from './support/marker-status.js';
import { protectedAddress, protectedPort } from '../planning/guards.js';

// `iptables`: one rule present/absent (checked with -C first, so applying twice adds
// nothing), or `harden: true` for the whole harden-firewall plan (egress DROP to pool/C2,
// world-open datastore rules replaced by an allowlist, persisted). Rules carry a minesweep
// comment. A rule that would block the controller or the SSH port is refused; of the
// `sweep_addresses` (found by a sweep, not chosen by a person) a protected one is left out with a note.

type Args = {
  chain?: string; source?: string; destination?: string; protocol?: string; destination_port?: number; jump?: string;
  comment?: string; state?: string; position?: string;
  harden?: boolean; block_addresses?: string[]; sweep_addresses?: string[]; block_ports?: number[]; allow_sources?: string[]; datastore_ports?: number[];
};

export const module = defineModule<Args>({
  name: 'iptables',
  description: 'ensure an iptables rule is present/absent, or (harden: true) the whole firewall hardening',
  options: {
    chain: { type: 'string', description: 'INPUT, OUTPUT, FORWARD…' },
    source: { type: 'string', description: '-s address/CIDR' },
    destination: { type: 'string', description: '-d address/CIDR' },
    protocol: { type: 'string', description: 'tcp, udp…' },
    destination_port: { type: 'number', description: '--dport (needs protocol)' },
    jump: { type: 'string', description: 'ACCEPT, DROP, REJECT' },
    comment: { type: 'string', description: `rule comment (default ${HARDEN_COMMENT})` },
    state: { type: 'string', choices: ['present', 'absent'], description: 'present (default) or absent' },
    position: { type: 'string', choices: ['insert', 'append'], description: 'insert at the top (default) or append' },
    harden: { type: 'boolean', description: 'plan the whole firewall hardening from facts and the options below' },
    block_addresses: { type: 'list', items: 'string', description: 'pool/C2 addresses to block (harden); one the guards protect refuses the plan' },
    sweep_addresses: { type: 'list', items: 'string', description: 'pool/C2 addresses a sweep found (harden); one the guards protect is left out with a note' },
    block_ports: { type: 'list', items: 'number', description: 'egress ports to block (harden)' },
    allow_sources: { type: 'list', items: 'string', description: 'sources allowed to datastore ports (harden)' },
    datastore_ports: { type: 'list', items: 'number', description: 'ports counted as datastore ports (harden)' },
  },
  validate(a) {
    if (a.harden) return [];
    const p = [];
    if (!a.chain) p.push({ option: 'chain', message: 'chain is required (unless harden: true)', expected: 'INPUT, OUTPUT or FORWARD' });
    if (!a.jump && a.state !== 'absent') p.push({ option: 'jump', message: 'jump is required', expected: 'ACCEPT, DROP or REJECT' });
    if (a.destination_port !== undefined && !a.protocol) p.push({ option: 'protocol', message: 'destination_port needs protocol', expected: 'tcp or udp' });
    return p;
  },
  gather: () => ({ commands: { rules: 'iptables -w -S 2>/dev/null' } }),
  plan(a, ctx) {
    const controller = ctx.controller;
    if (a.harden) {
      if (!ctx.facts) return nothing('no facts: run a probe task first');
      const chosen = a.block_addresses ?? [];
      const notes: string[] = [];
      const fromSweep = [...new Set(a.sweep_addresses ?? [])].filter((addr) => {
        if (chosen.includes(addr)) return false;
        const why = protectedAddress(addr, controller);
        if (why) notes.push(`not blocking ${addr} from the sweep: ${why}`);
        return !why;
      });
      const p = planFirewall(ctx.facts, {
        blockAddresses: [...chosen, ...fromSweep],
        ...(a.block_ports ? { blockPorts: a.block_ports } : {}),
        ...(a.allow_sources ? { allowSources: a.allow_sources } : {}),
        ...(a.datastore_ports ? { datastorePorts: a.datastore_ports } : {}),
      }, controller, ctx.quarantineDir);
      if ('refused' in p) return refused(p.refused);
      notes.push(...p.notes);
      const plan = p.steps.length ? steps(...p.steps) : nothing(notes.join('; ') || 'firewall already hardened');
      return notes.length ? { ...plan, data: { notes } } : plan;
    }
    if (a.jump === 'DROP' || a.jump === 'REJECT') {
      for (const addr of [a.source, a.destination]) {
        const why = addr ? protectedAddress(addr, controller) : null;
        if (why) return refused(why);
      }
      const why = protectedPort(a.destination_port, controller);
      if (why) return refused(why);
    }
    const spec = [
      ...(a.source ? ['-s', a.source] : []),
      ...(a.destination ? ['-d', a.destination] : []),
      ...(a.protocol ? ['-p', a.protocol] : []),
      ...(a.destination_port !== undefined ? ['--dport', String(a.destination_port)] : []),
      '-m', 'comment', '--comment', a.comment ?? HARDEN_COMMENT,
      ...(a.jump ? ['-j', a.jump] : []),
    ];
    const chain = a.chain!;
    if (a.state === 'absent') return steps({ description: `remove iptables rule ${chain} ${spec.join(' ')}`, command: sh`if iptables -w -C ${chain} ${spec} 2>/dev/null; then iptables -w -D ${chain} ${spec} && echo MS-CHANGED; fi`, become: true });
    const op = a.position === 'append' ? '-A' : '-I';
    return steps({ description: `ensure iptables rule ${chain} ${spec.join(' ')}`, command: sh`if ! iptables -w -C ${chain} ${spec} 2>/dev/null; then iptables -w ${op} ${chain} ${spec} && echo MS-CHANGED; fi`, become: true });
  },
  stepStatus: markerStatus,
});
