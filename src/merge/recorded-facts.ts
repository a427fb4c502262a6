import type { HostResult } from '../core/result.js';
import type { Target } from '../inventory/types.js';
import { readHostFacts } from '../run/run-dir.js';
import type { ProbeFn } from '../sweep/probe-loader.js';
import type { RunFleet, Session } from '../transport/types.js';

// The facts source of `merge`: the sweep pipeline runs over facts the shards recorded, read
// from their run directories one host at a time; nothing connects to a host.

const noConnection = (): never => {
  throw new Error('merge works on recorded facts: no host connection');
};

/** A runFleet over recorded hosts (in the given order) and a probe that reads each host's facts from its shard's run. */
export function recordedFacts(runDirOf: ReadonlyMap<string, string>, retries: ReadonlyMap<string, number>): { runFleet: RunFleet; probe: ProbeFn } {
  const runFleet: RunFleet = async (targets, fn) => {
    const out: HostResult<never>[] = [];
    for (const target of targets) {
      const session: Session = { target, controller: noConnection, exec: noConnection, put: noConnection, close: async () => {} };
      const r = await fn(session);
      const n = retries.get(target.name);
      out.push({ host: target.name, startedAt: '', durationMs: 0, ...r, ...(n ? { connectRetries: n } : {}) } as HostResult<never>);
    }
    return out;
  };
  const probe: ProbeFn = async (session) => {
    const dir = runDirOf.get(session.target.name);
    const facts = dir ? readHostFacts(dir, session.target.name) : null;
    if (!facts) throw new Error(`no facts recorded for ${session.target.name}`);
    return facts;
  };
  return { runFleet, probe };
}

/** A target for a recorded host: its name, address and groups (nothing else is needed without a connection). */
export function recordedTarget(h: { name: string; address: string; groups: string[] }): Target {
  const at = h.address.lastIndexOf(':');
  return {
    name: h.name,
    address: at > 0 ? h.address.slice(0, at) : h.address,
    port: at > 0 ? Number(h.address.slice(at + 1)) || 22 : 22,
    user: '',
    groups: h.groups,
    vars: {},
    become: false,
    becomeUser: 'root',
    hostKeyChecking: 'strict',
  };
}
