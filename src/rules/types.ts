import type { Catalogue } from '../catalogue/types.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';

// A rule: a small named pure function from one host's facts (and the catalogue) to findings.

export interface RuleContext {
  catalogue: Catalogue;
  /** authorized_keys fingerprints that are legitimate: the controller's key, catalogue trustedKeys */
  trustedKeys: ReadonlySet<string>;
  /** --since as host-clock seconds since epoch: files changed after it are "recent" */
  sinceEpoch?: number;
  /** second-phase rules see the first phase's findings for the same host */
  prior?: readonly Finding[];
}

export interface Rule {
  /** stable id, e.g. "cron.download-pipe-shell" */
  id: string;
  /** 2: runs after every phase-1 rule, with ctx.prior (judgements that need context) */
  phase?: 1 | 2;
  run(facts: HostFacts, ctx: RuleContext): Finding[];
}
