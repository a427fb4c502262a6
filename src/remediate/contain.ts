import { sh } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import type { RemediateContext } from './context.js';
import { protectedAddress, protectedPort } from '../planning/guards.js';
import type { PhasePlan } from './phase-plan.js';

// Contain (step 2): DROP traffic to and from the pool/C2 addresses found (egress artifacts,
// and the remote ends of the suspicious processes' connections). Rules carry a minesweep
// comment and are only inserted when not already present. Never the controller's
// address, loopback, or a rule on the SSH port.

export const CONTAIN_COMMENT = 'minesweep:contain';

/**
 * Addresses to cut off, from artifacts and the suspicious processes' sockets. A pool
 * address is blocked whole (port dropped); an address the guards protect (the controller,
 * loopback) is never blocked at all and only noted.
 */
export function containTargets(artifacts: Artifact[], ctx: RemediateContext): Array<{ address: string; port?: number }> {
  const out = new Map<string, { address: string; port?: number }>();
  const add = (address: string, port?: number) => {
    if (!address) return;
    out.set(address, protectedAddress(address, ctx.controller) === null ? { address } : { address, ...(port !== undefined ? { port } : {}) });
  };
  const pids = new Set(artifacts.flatMap((a) => (a.type === 'process' ? [a.pid] : [])));
  for (const a of artifacts) if (a.type === 'egress') add(a.address, a.port);
  for (const s of ctx.facts.sockets) if (s.pid !== null && pids.has(s.pid) && s.state === 'ESTAB' && s.remoteAddress) add(s.remoteAddress, s.remotePort);
  return [...out.values()];
}

/** The iptables rules (argv after the chain) for one target. */
function rulesFor(t: { address: string; port?: number }): Array<{ chain: 'INPUT' | 'OUTPUT'; spec: string[] }> {
  const port = t.port !== undefined ? ['-p', 'tcp'] : [];
  return [
    { chain: 'OUTPUT', spec: ['-d', t.address, ...port, ...(t.port !== undefined ? ['--dport', String(t.port)] : []), '-m', 'comment', '--comment', CONTAIN_COMMENT, '-j', 'DROP'] },
    { chain: 'INPUT', spec: ['-s', t.address, ...port, ...(t.port !== undefined ? ['--sport', String(t.port)] : []), '-m', 'comment', '--comment', CONTAIN_COMMENT, '-j', 'DROP'] },
  ];
}

export function planContain(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const plan: PhasePlan = { steps: [], notes: [] };
  const targets = containTargets(artifacts, ctx);
  if (!targets.length) return plan;
  if (!ctx.facts.iptables.available) {
    plan.notes.push(`iptables is not available on ${ctx.host}: pool/C2 traffic to ${targets.map((t) => t.address).join(', ')} is not blocked`);
    return plan;
  }
  for (const t of targets) {
    const refused = protectedAddress(t.address, ctx.controller) ?? protectedPort(t.port, ctx.controller);
    if (refused) {
      plan.notes.push(`not blocking ${t.address}${t.port ? `:${t.port}` : ''}: ${refused}`);
      continue;
    }
    const lines = rulesFor(t).map(
      (r) => sh`if ! iptables -w -C ${r.chain} ${r.spec} 2>/dev/null; then iptables -w -I ${r.chain} 1 ${r.spec} && echo MS-CHANGED || exit 1; fi`,
    );
    plan.steps.push({
      phase: 'contain',
      become: true,
      description: `block traffic to and from ${t.address}${t.port !== undefined ? ` port ${t.port}` : ''} (iptables DROP, comment ${CONTAIN_COMMENT})`,
      command: lines.join('\n') + '\n',
    });
  }
  return plan;
}
