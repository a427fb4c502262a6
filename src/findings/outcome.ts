import type { Finding } from './types.js';
import { hostVerdict, isExposure, type AfterActionVerdict, type Verdict } from './verdict.js';

// A host's verdict after a run's actions, from its verdict before them and what was checked
// again: remediate's verification (after the respawn window) and harden's recheck (the
// hardened items probed again). Pure.
//   reinfected  the check after cleaning found the infection again
//   cleaned     infected or suspicious before, the check after cleaning found nothing to remove
//   closed      only open doors before, the recheck after hardening found them closed
// otherwise the verdict before stands (a host cleaned but still exposed is "cleaned": the
// door is an open finding of its own, see the report's remains).

export type FinalVerdict = Verdict | AfterActionVerdict;

export const FINAL_VERDICTS: readonly FinalVerdict[] = ['reinfected', 'infected', 'suspicious', 'exposed', 'cleaned', 'closed', 'unreachable', 'incomplete', 'clean'];

export interface OutcomeInput {
  status: string;
  findings: readonly Finding[];
  verdict?: Verdict;
  verdictWhy?: string;
  incomplete?: readonly string[];
  /** the run's tasks on the host: any means the probe ran and the run went on to act */
  tasks?: readonly unknown[];
  verification?: { state: 'clean' | 'reinfected' | 'infected' | 'unreachable'; findings: readonly Finding[] };
  recheck?: { state: 'closed' | 'open' | 'unreachable'; findings: readonly Finding[] };
}

export interface HostOutcome {
  verdict: FinalVerdict;
  /** the verdict before this run's actions */
  before: Verdict;
  why: string;
}

/** The verdict the host had when it was probed (recorded, else judged now). */
export function verdictBefore(h: OutcomeInput): { verdict: Verdict; why: string } {
  if (h.verdict) return { verdict: h.verdict, why: h.verdictWhy ?? '' };
  // a run's final status (changed, a failed hardening task) is not the probe's: judge the findings as probed
  const acted = (h.tasks?.length ?? 0) > 0;
  const probeStatus = h.status === 'changed' || acted || h.findings.length > 0 ? 'ok' : h.status;
  return hostVerdict({ status: probeStatus, findings: h.findings, ...(h.incomplete ? { incomplete: h.incomplete } : {}) });
}

export function hostOutcome(h: OutcomeInput): HostOutcome {
  const b = verdictBefore(h);
  const before = b.verdict;
  const v = h.verification;
  if (v?.state === 'reinfected') return { verdict: 'reinfected', before, why: `found again after cleaning: ${v.findings[0]?.title ?? 'a finding'}` };
  if (v?.state === 'infected') return { verdict: 'infected', before, why: `the cleaning did not finish; still there when checked again: ${v.findings[0]?.title ?? 'a finding'}` };
  if (v?.state === 'clean' && (before === 'infected' || before === 'suspicious')) return { verdict: 'cleaned', before, why: 'cleaned; nothing to remove when checked again' };
  const r = h.recheck;
  if (r?.state === 'closed' && before === 'exposed') return { verdict: 'closed', before, why: 'hardened; the open doors were closed when checked again' };
  if (r?.state === 'open' && before === 'exposed') return { verdict: 'exposed', before, why: `still open after hardening: ${r.findings[0]?.title ?? 'an open door'}` };
  return { verdict: before, before, why: b.why };
}

/** One finding after the run's actions: removed (verified clean), closed (an open door rechecked closed) or open. */
export function findingStatus(f: Finding, h: Pick<OutcomeInput, 'verification' | 'recheck'>): 'open' | 'removed' | 'closed' {
  if (isExposure(f)) return h.recheck?.state === 'closed' ? 'closed' : 'open';
  return h.verification?.state === 'clean' ? 'removed' : 'open';
}
