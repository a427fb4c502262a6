import type { Finding } from '../findings/types.js';
import { isExposure } from '../findings/verdict.js';

// After harden --apply, the changed hosts are probed again: the open doors (world-open
// Redis, firewall holes, the Docker API) still found are what hardening did not close. Pure.

export interface RecheckOutcome {
  state: 'closed' | 'open';
  /** the open doors still found */
  findings: Finding[];
  note?: string;
}

export function judgeRecheck(before: readonly Finding[], after: readonly Finding[]): RecheckOutcome {
  const open = after.filter(isExposure);
  const was = before.filter(isExposure).length;
  if (!open.length) return { state: 'closed', findings: [], ...(was ? { note: `${was} open door finding(s) before, none left` } : {}) };
  return { state: 'open', findings: open, note: `still open: ${[...new Set(open.map((f) => f.title))].join('; ')}` };
}
