import type { HostFacts } from '../facts/types.js';
import type { Session } from '../transport/types.js';
import { incompleteSections, parseProbeOutput } from './parse-output.js';
import { buildScript, type ScriptOptions } from './script.js';

export interface ProbeOptions extends Omit<ScriptOptions, 'budgetSeconds'> {
  /** list files changed within this many seconds (--since) */
  since?: number;
  /** alias of since (sweep's name for it) */
  sinceSeconds?: number;
  /** whole exec, ms (default 120 s); the script's own budget is 80% of it */
  timeoutMs?: number;
  become?: boolean;
}

/**
 * Probe one host: the script on stdin to `sh -s` in ONE exec, stdout parsed to HostFacts.
 * Throws only when the exec produced nothing usable (no header); partial output gives
 * partial facts with meta.errors.
 */
export async function probeHost(session: Session, opts: ProbeOptions = {}): Promise<HostFacts> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const since = opts.since ?? opts.sinceSeconds;
  const script = buildScript({ ...opts, ...(since !== undefined ? { since } : {}), budgetSeconds: Math.max(5, Math.floor((timeoutMs / 1000) * 0.8)) });
  const res = await session.exec('sh -s', { stdin: script, timeoutMs, ...(opts.become ? { become: true } : {}) });
  // a connection that died mid-probe gives no facts to judge the host by, only a reason
  if (res.lost) throw new Error(`connection lost after ${Math.round(res.durationMs / 1000)} s of the probe (${res.stdout.length} bytes read): ${res.lost}`);
  const facts = parseProbeOutput(res.stdout, { host: session.target.name, durationMs: res.durationMs });
  if (!facts.hostname && facts.meta.errors.some((e) => e.section === 'probe')) {
    const err = res.stderr.toString('utf8').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${session.target.name}: the probe printed no output (exit ${res.code}${res.timedOut ? ', timed out' : ''})${err ? `: ${err}` : ''}`);
  }
  if (res.timedOut) facts.meta.errors.push({ section: 'probe', message: `the exec timed out after ${timeoutMs} ms; facts are partial` });
  facts.meta.incomplete = incompleteSections(facts);
  return facts;
}
