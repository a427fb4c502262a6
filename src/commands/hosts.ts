import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { connectionOf } from '../transport/target.js';
import type { HostResult } from '../core/result.js';
import { JSONL_VERSION, resultLine } from '../report/jsonl.js';
import { action, addFleetOptions, exitCodeFor, loadTargets, readFleetOptions, transportOptions } from './common.js';
import { resultStream } from './jsonl.js';
import { SUMMARIES } from './summaries.js';

// `minesweep hosts -i INV [--limit P] [--json]`: every selected host with the connection it
// will use — address, port, user, identity files, jump chain, known_hosts files, host key
// alias, ProxyCommand — as resolved from the inventory, ansible.cfg and ssh config (ssh -G
// where OpenSSH is installed). Nothing connects. Exit 0, or 3 when a host cannot be targeted.

export function register(program: Command): void {
  const cmd = program.command('hosts').description(SUMMARIES.hosts.description);
  addFleetOptions(cmd).action(
    action(async (raw: Record<string, unknown>) => {
      const o = readFleetOptions(raw);
      const fleet = await transportOptions({ ...o, askBecomePass: false });
      const t = await loadTargets(o, 'all', fleet);
      const stream = resultStream(o.json, 'hosts');
      for (const target of t.targets) {
        const c = connectionOf(target, fleet);
        if (o.json) {
          // the resolved connection as details (its own host name is the line's)
          const { host: _h, ...details } = c;
          stream.line({ type: 'host', v: JSONL_VERSION, stage: 'resolve', host: target.name, status: 'ok', address: `${String(c['address'])}:${String(c['port'])}`, groups: target.groups, details });
          continue;
        }
        const jumps = c['jumps'] as Array<Record<string, unknown>>;
        const lines = [
          `${target.name}  ${c['user']}@${c['address']}:${c['port']}`,
          ...(jumps.length ? [`  via        ${jumps.map((j) => `${j['user']}@${j['address']}:${j['port']}${j['proxyCommand'] ? ` (ProxyCommand ${j['proxyCommand']})` : ''}`).join(' > ')}`] : []),
          ...(c['proxyCommand'] ? [`  proxy      ${c['proxyCommand']}`] : []),
          `  keys       ${(c['identityFiles'] as string[]).join(' ') || 'none'}${c['identitiesOnly'] ? ' (identities only)' : ''}${c['identityAgent'] ? `; agent ${c['identityAgent']}` : ''}`,
          `  host keys  ${c['hostKeyChecking']}: ${(c['knownHostsFiles'] as string[]).join(' ')}${c['hostKeyAlias'] ? ` as ${c['hostKeyAlias']}` : ''}`,
        ];
        process.stdout.write(lines.map((l) => escapeForTerminal(l)).join('\n') + '\n');
      }
      for (const p of t.problems) {
        if (o.json) stream.line(resultLine(p, 'resolve'));
        else process.stdout.write(`${escapeForTerminal(p.host)}  CANNOT CONNECT AS CONFIGURED\n  ${escapeForTerminal(p.reason ?? '')}\n`);
      }
      const code = t.problems.length ? exitCodeFor(t.problems) : EXIT.ok;
      const resolved: HostResult[] = t.targets.map((x) => ({ host: x.name, status: 'ok', startedAt: '', durationMs: 0 }));
      stream.end([...resolved, ...t.problems], code);
      return code;
    }),
  );
}
