import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { QuarantineRecord } from '../run/types.js';
import { pathHex, QUARANTINE_LIB } from './shell-lib.js';

// Rollback planner: undo a run's quarantine records in reverse order. A moved or backed-up
// file comes back byte-exact (checked against its sha256) with mode, owner and attributes;
// a renamed file gets its old name back. Whatever occupies the path is moved aside into
// the quarantine directory, never deleted.

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function dirOf(quarantinePath: string): string {
  return parentOf(quarantinePath);
}

/** The sh line that undoes one record. */
export function rollbackLine(r: QuarantineRecord): string {
  if (r.kind === 'renamed') {
    if (!r.renamedFrom) throw new Error(`renamed record for ${r.originalPath} has no renamedFrom`);
    return `ms_unrename ${quote(r.originalPath)} ${quote(r.renamedFrom)} ${quote(pathHex(r.originalPath))} || ms_fail=1`;
  }
  const qname = r.quarantinePath.slice(r.quarantinePath.lastIndexOf('/') + 1);
  const owner = [r.uid ?? r.owner, r.gid ?? r.group];
  return [
    `Q=${quote(dirOf(r.quarantinePath))}`,
    `ms_restore ${quote(r.originalPath)} ${quote(qname)} ${quote(r.sha256 || '-')} ${quote(r.mode)} ${quote(owner[0]!)} ${quote(owner[1]!)} ${quote(r.attrs || '-')} ${quote(pathHex(r.originalPath))} ${quote(parentOf(r.originalPath))} || ms_fail=1`,
  ].join('\n');
}

/** Steps restoring every record (one step per record, last change undone first). */
export function planRollback(records: QuarantineRecord[]): Step[] {
  return [...records].reverse().map((r) => ({
    become: true,
    description:
      r.kind === 'renamed'
        ? `rename ${r.originalPath} back to ${r.renamedFrom}`
        : `restore ${r.originalPath} (sha256 ${r.sha256.slice(0, 12) || '-'}, mode ${r.mode}, ${r.owner}:${r.group}${r.attrs.replace(/-/g, '') ? `, attrs ${r.attrs.replace(/-/g, '')}` : ''})`,
    command: `${QUARANTINE_LIB}ms_fail=0\n${rollbackLine(r)}\nexit $ms_fail\n`,
  }));
}
