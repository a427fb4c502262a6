import type { Command } from 'commander';
import { decodeLossless } from '../core/bytes.js';
import type { HostResult } from '../core/result.js';
import { action, addFleetOptions, exitCodeFor, readFleetOptions, writeFailedHosts } from './common.js';
import { resultStream } from './jsonl.js';
import { resultLine, type HostLine } from '../report/jsonl.js';
import { runOnFleet } from './run-on-fleet.js';
import { statusLine, summary } from './host-output.js';
import { SUMMARIES } from './summaries.js';

// `minesweep ping -i INV`: reach, host key, auth, a command runs, and (with --become or
// ansible_become) sudo to root. One line per host.

export interface PingValue {
  user: string;
  address: string;
  controller?: string;
  sudo?: 'root' | 'not-needed';
}

export function register(program: Command): void {
  const cmd = program.command('ping').description(SUMMARIES.ping.description);
  addFleetOptions(cmd).action(
    action(async (raw: Record<string, unknown>) => {
      const o = readFleetOptions(raw);
      const stream = resultStream(o.json, 'ping');
      const { results } = await runOnFleet<PingValue>(o, 'ping', async (s) => {
        const t = s.target;
        const v: PingValue = { user: t.user, address: `${t.address}:${t.port}` };
        const who = await s.exec('id -un');
        if (who.code !== 0) return { status: 'failed', value: v, reason: `connected, but a command failed (exit ${who.code}): ${decodeLossless(who.stderr).trim()}` };
        const c = await s.controller().catch(() => undefined);
        if (c) v.controller = c.address;
        if (o.become || t.become) {
          if (t.user === 'root' && t.becomeUser === 'root') v.sudo = 'not-needed';
          else {
            const r = await s.exec('id -u', { become: true });
            const uid = decodeLossless(r.stdout).trim();
            if (r.code !== 0 || uid !== '0') {
              const why = decodeLossless(r.stderr).split('\n').map((l) => l.replace(/^minesweep: /, '')).filter(Boolean).pop();
              return { status: 'failed', value: v, reason: `sudo to root failed for ${t.user}: ${why ?? `exit ${r.code}, uid ${uid || '?'}`}` };
            }
            v.sudo = 'root';
          }
        }
        return { status: 'ok', value: v };
      }, 'all', { result: (r) => stream.line(pingLine(r)), warn: (m) => stream.warn(m) });
      if (!o.json) {
        for (const r of results) {
          const v = r.value;
          const details = v ? `${v.user}@${v.address}${v.sudo ? ` sudo=${v.sudo}` : ''}` : '';
          process.stdout.write(statusLine(r, details) + '\n');
        }
      }
      const file = writeFailedHosts(results);
      if (!o.json) {
        process.stdout.write(summary(results) + '\n');
        if (file) process.stderr.write(`retry the failed hosts with --limit @${file}\n`);
      }
      const code = exitCodeFor(results);
      stream.end(results, code);
      return code;
    }),
  );
}

/** A host's line: the address:port reached, and as details the user, the address the host sees the controller at, sudo. */
export function pingLine(r: HostResult<PingValue>): HostLine {
  const v = r.value;
  if (!v) return resultLine(r, 'action');
  const { address, ...details } = v;
  return resultLine(r, 'action', { address, details });
}
