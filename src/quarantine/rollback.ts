import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { QuarantineRecord } from '../run/types.js';
import { recordPath } from './manifest.js';
import { pathHex, RESTORE_LIB, undoPrelude } from './undo-lib.js';

// Rollback planner: undo a run's records, the last change first, each checked on the host
// against what was recorded (type, sha256, mode, owner, attributes, link target, link count).
// Whatever took a path since is moved aside into quarantine, never deleted. Pure; the host
// prints one "MSR OUTCOME ID DETAIL" line per record (parseRestoreOutput).

export type RestoreOutcome = 'restored' | 'present' | 'removed' | 'special' | 'missing' | 'mismatch' | 'failed';

/** Outcomes that leave the path as it was before the run. */
export const RESTORED_OK = new Set<RestoreOutcome>(['restored', 'present', 'removed', 'special']);

const KINDS: Record<NonNullable<QuarantineRecord['kind']>, string> = { moved: 'move', backup: 'backup', renamed: 'rename', meta: 'meta', special: 'special', created: 'create' };

/** The id of a record (older records without one get a stable stand-in). */
export function recordId(r: QuarantineRecord, index: number): string {
  return r.id ?? `s0-${index.toString(16).padStart(16, '0')}`;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** The sh line that undoes one record. */
export function restoreLine(r: QuarantineRecord, id: string, quarantineDir: string): string {
  const kind = KINDS[r.kind ?? 'moved'];
  const path = recordPath(r);
  const q = r.kind === 'renamed' ? r.originalPath : r.quarantinePath;
  // older (v1) records did not say what the path was: a copy with a sha256 was a regular file
  const type = r.fileType ?? (r.sha256 ? 'file' : 'link');
  const aside = kind === 'move' && q ? parentOf(q) : quarantineDir;
  // modes compare as stat prints them (644, not 0644)
  const mode = /^[0-7]+$/.test(r.mode) ? Number.parseInt(r.mode, 8).toString(8) : '-';
  const args = [kind, path, q, type, r.sha256 || '-', mode, String(r.uid ?? r.owner), String(r.gid ?? r.group), r.attrs || '-', String(r.nlink ?? 1), r.linkTarget !== undefined ? pathHex(r.linkTarget) : '-', String(r.inode ?? '-'), id, aside];
  return `ms_restore ${args.map((a) => quote(a)).join(' ')} || ms_fail=1`;
}

/** One step (per chunk of records) restoring every record, last written first. */
export function planRestoreRecords(records: QuarantineRecord[], quarantineDir: string, chunk = 100): Step[] {
  const lines = records.map((r, i) => restoreLine(r, recordId(r, i), quarantineDir)).reverse();
  // the quarantine directories the run made on other filesystems go once empty (rmdir never removes anything else)
  const others = [...new Set(records.flatMap((r) => (r.kind === 'moved' && r.quarantinePath && parentOf(r.quarantinePath) !== quarantineDir ? [parentOf(r.quarantinePath)] : [])))];
  const tidy = others.map((d) => `rmdir -- ${quote(d)} 2>/dev/null && rmdir -- ${quote(parentOf(d))} 2>/dev/null`);
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i += chunk) {
    const part = lines.slice(i, i + chunk);
    if (i + chunk >= lines.length) part.push(...tidy);
    steps.push({
      become: true,
      description: `restore ${part.length} recorded change(s), last first, each checked against its record`,
      command: `${undoPrelude(quarantineDir)}${RESTORE_LIB}ms_fail=0\n${part.join('\n')}\nexit $ms_fail\n`,
    });
  }
  return steps;
}

export interface RestoreResult {
  outcome: RestoreOutcome;
  detail: string;
  /** where whatever took the path was moved (hex decoded by the caller) */
  aside: string[];
}

/** "MSR …" lines → outcome per record id. */
export function parseRestoreOutput(stdout: string): Map<string, RestoreResult> {
  const out = new Map<string, RestoreResult>();
  const asides = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const m = /^MSR (\S+) (\S+) ?(.*)$/.exec(line);
    if (!m) continue;
    const [, what, id, detail] = m as unknown as [string, string, string, string];
    if (what === 'aside') {
      if (!asides.has(id)) asides.set(id, []);
      asides.get(id)!.push(detail);
      continue;
    }
    if (what === 'stray') continue;
    out.set(id, { outcome: what as RestoreOutcome, detail, aside: asides.get(id) ?? [] });
  }
  return out;
}
