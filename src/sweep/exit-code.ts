import { EXIT } from '../core/exit-codes.js';
import type { RunRecord } from '../run/types.js';

/** sweep's exit code: 4 some host unreachable, else 1 findings, else 3 some probe failed, else 5 some host incomplete, else 0. */
export function sweepExitCode(record: RunRecord): number {
  if (record.hosts.some((h) => h.status === 'unreachable')) return EXIT.unreachable;
  if (record.hosts.some((h) => h.findings.length > 0)) return EXIT.findings;
  if (record.hosts.some((h) => h.status === 'failed')) return EXIT.failed;
  if (record.hosts.some((h) => (h.incomplete?.length ?? 0) > 0)) return EXIT.incomplete;
  return EXIT.ok;
}
