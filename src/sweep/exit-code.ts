import { EXIT } from '../core/exit-codes.js';
import type { RunRecord } from '../run/types.js';
import { verdictOf } from './console.js';

/** sweep's exit code: 4 some host unreachable, else 1 some host infected, suspicious or exposed, else 3 a probe failed or a host is incomplete, else 0. */
export function sweepExitCode(record: RunRecord): number {
  if (record.hosts.some((h) => h.status === 'unreachable')) return EXIT.unreachable;
  if (record.hosts.some((h) => ['infected', 'suspicious', 'exposed'].includes(verdictOf(h)))) return EXIT.findings;
  return partialExitCode(record);
}

/**
 * sweep --baseline's exit code: 1 when there are new findings (first: a dead host must not hide
 * them), else 4 some host unreachable, else 3 a probe failed or a host is incomplete, else 0 —
 * findings already in the baseline do not count.
 */
export function baselineExitCode(record: RunRecord, newFindings: number): number {
  if (newFindings > 0) return EXIT.findings;
  if (record.hosts.some((h) => h.status === 'unreachable')) return EXIT.unreachable;
  return partialExitCode(record);
}

/** 3 a probe failed or a host is incomplete, else 0. */
function partialExitCode(record: RunRecord): number {
  if (record.hosts.some((h) => h.status === 'failed' || verdictOf(h) === 'incomplete')) return EXIT.failed;
  return EXIT.ok;
}
