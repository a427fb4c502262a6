import { sh } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';
import type { ControllerInfo } from '../actions/types.js';
import { undoPrelude } from '../quarantine/undo-lib.js';
import { protectedAddress, protectedPort } from '../planning/guards.js';
import { opensToWorld, parseRule } from './iptables-rule.js';

// harden-firewall: DROP egress to the pool/C2 addresses (last sweep or vars), remove INPUT
// rules that open datastore ports to the world, allow them only from an allowlist when one
// is given (else only from loopback), persist where the host can. Rules carry a minesweep
// comment and are added only when missing (applying twice adds nothing). A var that would
// block the controller or the SSH port refuses the whole plan before anything is touched.

export const HARDEN_COMMENT = 'minesweep:harden';
export const DATASTORE_PORTS = [6379, 6380, 6381, 2375, 2376, 27017, 27018, 9200, 9300, 11211, 5984, 8086, 5432, 3306];

export interface FirewallVars {
  /** pool/C2 addresses to block (egress); the last sweep's are added by the command */
  blockAddresses?: string[];
  /** miner ports to block egress to */
  blockPorts?: number[];
  /** sources allowed to reach the datastore ports */
  allowSources?: string[];
  /** ports counted as datastore ports (default DATASTORE_PORTS) */
  datastorePorts?: number[];
}

export type FirewallPlan = { refused: string } | { steps: Step[]; notes: string[] };

function ensure(chain: string, spec: string[], position: 'I' | 'A'): string {
  return sh`if ! iptables -w -C ${chain} ${spec} 2>/dev/null; then iptables -w -${position === 'I' ? 'I' : 'A'} ${chain} ${spec} && echo MS-CHANGED || exit 1; fi`;
}

// the saved rules file is recorded before it is written (a backup, or "created"), never written through a link
const PERSIST = String.raw`
ms_norm() { grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'; }
ms_save() {
  f=$1
  ms_init || exit 1
  n=$(mktemp "$Q/.new.XXXXXX") || exit 1
  iptables-save > "$n" || { rm -f -- "$n"; exit 1; }
  ms_norm < "$n" > "$n.norm"
  if [ -f "$f" ] && [ ! -L "$f" ] && ms_norm < "$f" | cmp -s - "$n.norm"; then rm -f -- "$n" "$n.norm"; return 0; fi
  rm -f -- "$n.norm"
  ms_meta "$f" || { rm -f -- "$n"; exit 1; }
  case $m_type in
    absent) ms_before "$f" create || { rm -f -- "$n"; exit 1; }; MS_MODE=0644;;
    file) ms_backup "$f" iptables-rules || { rm -f -- "$n"; exit 1; };;
    *) rm -f -- "$n"; echo "MS-FAIL: $f is a $m_type: not written through it"; exit 1;;
  esac
  if [ "$MS_PHASE" = record ]; then rm -f -- "$n"; return 0; fi
  ms_install "$f" "$n" || exit 1
  echo MS-CHANGED
}
if command -v netfilter-persistent >/dev/null 2>&1; then ms_save /etc/iptables/rules.v4; [ "$MS_PHASE" = record ] || netfilter-persistent reload >/dev/null 2>&1; echo MS-PERSIST netfilter-persistent
elif [ -d /etc/iptables ]; then ms_save /etc/iptables/rules.v4; echo MS-PERSIST /etc/iptables/rules.v4
elif [ -f /etc/sysconfig/iptables ]; then ms_save /etc/sysconfig/iptables; echo MS-PERSIST /etc/sysconfig/iptables
else echo "MS-NOT-PERSISTENT: no netfilter-persistent, /etc/iptables or /etc/sysconfig/iptables: these rules will not survive a reboot"
fi
`;

export function planFirewall(facts: HostFacts, vars: FirewallVars, controller: ControllerInfo, quarantineDir: string): FirewallPlan {
  const notes: string[] = [];
  for (const a of [...(vars.blockAddresses ?? [])]) {
    const why = protectedAddress(a, controller);
    if (why) return { refused: `firewall var blocks ${a}: ${why}. Fix: remove it from the block list` };
  }
  for (const p of vars.blockPorts ?? []) {
    const why = protectedPort(p, controller);
    if (why) return { refused: `firewall var blocks port ${p}: ${why}. Fix: remove it from the port list` };
  }
  const ports = vars.datastorePorts ?? DATASTORE_PORTS;
  if (ports.includes(controller.sshPort)) return { refused: `datastore port list holds the SSH port ${controller.sshPort}. Fix: remove it` };
  if (!facts.iptables.available) return { steps: [], notes: [`iptables is not available on ${facts.host}: nothing blocked`] };
  const steps: Step[] = [];
  const egress: string[] = [];
  for (const a of [...new Set(vars.blockAddresses ?? [])]) egress.push(ensure('OUTPUT', ['-d', a, '-m', 'comment', '--comment', HARDEN_COMMENT, '-j', 'DROP'], 'I'));
  for (const p of [...new Set(vars.blockPorts ?? [])]) egress.push(ensure('OUTPUT', ['-p', 'tcp', '--dport', String(p), '-m', 'comment', '--comment', HARDEN_COMMENT, '-j', 'DROP'], 'I'));
  if (egress.length)
    steps.push({ description: `block egress to ${[...(vars.blockAddresses ?? []), ...(vars.blockPorts ?? []).map((p) => `port ${p}`)].join(', ')}`, command: egress.join('\n') + '\n', become: true });

  const open = new Set<number>();
  const removals: string[] = [];
  for (const line of facts.iptables.rules) {
    const r = parseRule(line);
    if (!r) continue;
    const hit = opensToWorld(r, ports);
    if (!hit.length) continue;
    hit.forEach((p) => open.add(p));
    removals.push(sh`if iptables -w -C ${r.chain} ${r.spec} 2>/dev/null; then iptables -w -D ${r.chain} ${r.spec} && echo MS-CHANGED || exit 1; fi`);
    notes.push(`removing world-open rule: ${line}`);
  }
  // ports a world-open rule opened: allow the allowlist (and loopback), drop the rest
  const allow = ['127.0.0.0/8', ...(vars.allowSources ?? [])];
  const close: string[] = [];
  for (const p of [...open].sort((a, b) => a - b)) {
    // DROP first, then each ACCEPT inserted above it
    close.push(ensure('INPUT', ['-p', 'tcp', '--dport', String(p), '-m', 'comment', '--comment', HARDEN_COMMENT, '-j', 'DROP'], 'I'));
    for (const src of allow) close.push(ensure('INPUT', ['-s', src, '-p', 'tcp', '--dport', String(p), '-m', 'comment', '--comment', HARDEN_COMMENT, '-j', 'ACCEPT'], 'I'));
  }
  if (removals.length)
    steps.push({
      description: `close datastore port(s) ${[...open].join(', ')} to the world: remove the world-open ACCEPT rule(s), allow only ${allow.join(', ')}`,
      command: [...removals, ...close].join('\n') + '\n',
      become: true,
    });
  if (steps.length) steps.push({ description: 'persist the rules (netfilter-persistent / iptables-save file, the old one kept in quarantine) or say they will not survive a reboot', command: `${undoPrelude(quarantineDir)}${PERSIST}`, become: true, journal: true });
  return { steps, notes };
}
