import { EXIT } from '../core/exit-codes.js';
import type { RunRecord } from '../run/types.js';
import { verdictOf } from './console.js';

/** sweep's exit code: 4 some host unreachable, else 1 some host infected, suspicious or exposed, else 3 a probe failed or a host is incomplete, else 0. */
export function sweepExitCode(record: RunRecord): number {
  if (record.hosts.some((h) => h.status === 'unreachable')) return EXIT.unreachable;
  if (record.hosts.some((h) => ['infected', 'suspicious', 'exposed'].includes(verdictOf(h)))) return EXIT.findings;
  if (record.hosts.some((h) => h.status === 'failed' || verdictOf(h) === 'incomplete')) return EXIT.failed;
  return EXIT.ok;
}
