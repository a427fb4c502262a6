import type { HostFacts } from '../facts/types.js';
import type { Session } from '../transport/types.js';

/** What sweep needs from the probe: one exec on the session, HostFacts back. */
export type ProbeFn = (session: Session, opts: ProbeRequest) => Promise<HostFacts>;

export interface ProbeRequest {
  /** --since as a duration in seconds (files changed within it are listed) */
  sinceSeconds?: number;
  /** run the probe through sudo */
  become?: boolean;
  timeoutMs?: number;
  /** family paths to check (shell globs, `~/` = every home): fills HostFacts.knownPaths when the probe supports it */
  paths?: string[];
  /** miner markers as one ERE (catalogue/marker-regex.ts): fills HostFacts.markerFiles */
  markerRegex?: string;
}

let cached: ProbeFn | undefined;

/** The probe engineer's probeHost (src/probe/), loaded at run time so sweep builds on its own. */
export async function loadProbe(): Promise<ProbeFn> {
  if (cached) return cached;
  const tried: string[] = [];
  for (const spec of ['../probe/index.js', '../probe/probe-host.js', '../probe/probe.js']) {
    try {
      const mod = (await import(spec)) as { probeHost?: unknown };
      if (typeof mod.probeHost === 'function') return (cached = adapt(mod.probeHost as (...a: unknown[]) => Promise<unknown>));
      tried.push(`${spec}: no probeHost export`);
    } catch (e) {
      tried.push(`${spec}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`the probe (src/probe/, probeHost) is not available: ${tried.join('; ')}`);
}

// probeHost may return HostFacts or { facts, … }
function adapt(fn: (...a: unknown[]) => Promise<unknown>): ProbeFn {
  return async (session, opts) => {
    const r = (await fn(session, { ...opts, ...(opts.sinceSeconds !== undefined ? { since: opts.sinceSeconds } : {}) })) as HostFacts | { facts: HostFacts };
    return 'facts' in r && r.facts && typeof r.facts === 'object' && 'processes' in r.facts ? r.facts : (r as HostFacts);
  };
}
