import { decodeLossless } from '../core/bytes.js';
import type { QuarantineRecord } from '../run/types.js';

// Pure parsing of quarantine manifest lines (format in shell-lib.ts) into run records.

function fromHex(hex: string): string | null {
  if (!/^([0-9a-f]{2})*$/.test(hex)) return null;
  return decodeLossless(Buffer.from(hex, 'hex'));
}

/** One manifest line → a record, or null when it is not one (never throws: host text). */
export function parseManifestLine(line: string, quarantineDir: string): QuarantineRecord | null {
  const f = line.trim().split(/ +/);
  if (f.length !== 13 || f[0] !== 'v1') return null;
  const [, kind, hexPath, qname, sha, mode, uid, gid, user, group, size, attrs, epoch] = f as [string, ...string[]] as string[];
  if (kind !== 'moved' && kind !== 'backup' && kind !== 'renamed') return null;
  const originalPath = fromHex(hexPath!);
  if (originalPath === null || !/^[0-7]{1,4}$/.test(mode!) || !/^\d+$/.test(uid!) || !/^\d+$/.test(gid!)) return null;
  const rec: QuarantineRecord = {
    kind,
    originalPath,
    quarantinePath: kind === 'renamed' ? '' : `${quarantineDir}/${qname}`,
    sha256: sha === '-' ? '' : sha!,
    mode: mode!.padStart(4, '0'),
    owner: user!,
    group: group!,
    uid: Number(uid),
    gid: Number(gid),
    attrs: attrs === '-' ? '' : attrs!,
    size: Number(size),
    movedAt: /^\d+$/.test(epoch!) ? new Date(Number(epoch) * 1000).toISOString() : '',
  };
  if (kind === 'renamed') {
    const from = qname!.startsWith('hex:') ? fromHex(qname!.slice(4)) : null;
    if (from === null) return null;
    rec.renamedFrom = from;
  } else if (!/^[A-Za-z0-9_.-]+$/.test(qname!)) return null;
  return rec;
}

/** Every "MSQ …" line of a step's stdout (or every line of a manifest file) → records. */
export function parseQuarantineOutput(stdout: string, quarantineDir: string, prefixed = true): QuarantineRecord[] {
  const out: QuarantineRecord[] = [];
  for (const raw of stdout.split('\n')) {
    const line = prefixed ? (raw.startsWith('MSQ v1 ') ? raw.slice(4) : null) : raw;
    if (line === null) continue;
    const rec = parseManifestLine(line, quarantineDir);
    if (rec) out.push(rec);
  }
  return out;
}
