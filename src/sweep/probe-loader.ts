import type { HostFacts } from '../facts/types.js';
import { probeHost } from '../probe/index.js';
import type { Session } from '../transport/types.js';

/** What sweep needs from the probe: one exec on the session, HostFacts back (tests and the benchmark inject their own). */
export type ProbeFn = (session: Session, opts: ProbeRequest) => Promise<HostFacts>;

export interface ProbeRequest {
  /** --since as a duration in seconds (files changed within it are listed) */
  sinceSeconds?: number;
  /** run the probe through sudo */
  become?: boolean;
  timeoutMs?: number;
  /** family paths to check (shell globs, `~/` = every home): fills HostFacts.knownPaths */
  paths?: string[];
  /** miner markers as one ERE (catalogue/marker-regex.ts): fills HostFacts.markerFiles */
  markerRegex?: string;
}

/** The default probe: src/probe's probeHost. */
export const defaultProbe: ProbeFn = probeHost;
