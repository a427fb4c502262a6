import { decodeLossless } from '../core/bytes.js';
import type { FileType, QuarantineKind, QuarantineRecord } from '../run/types.js';

// Pure parsing of undo records (format in undo-lib.ts; v1 lines of older runs too) into run
// records. Host text: never throws, a line that is not a record is skipped.

function fromHex(hex: string): string | null {
  if (!/^([0-9a-f]{2})*$/.test(hex)) return null;
  return decodeLossless(Buffer.from(hex, 'hex'));
}

const V2_KINDS: Record<string, QuarantineKind> = { move: 'moved', backup: 'backup', rename: 'renamed', meta: 'meta', special: 'special', create: 'created' };
const TYPES = new Set<FileType>(['file', 'dir', 'link', 'fifo', 'socket', 'char', 'block', 'other', 'absent']);
const num = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

function parseV2(f: string[]): QuarantineRecord | null {
  if (f.length !== 18) return null;
  const [, k, hexPath, hexQ, type, sha, mode, uid, gid, names, size, nlink, ino, dev, attrs, target, epoch, id] = f as string[];
  const kind = V2_KINDS[k!];
  const path = fromHex(hexPath!);
  const q = hexQ === '-' ? '' : fromHex(hexQ!);
  if (!kind || path === null || q === null || !TYPES.has(type as FileType) || !/^s\d*-[0-9a-f]{16}$/.test(id!)) return null;
  if (type !== 'absent' && (!/^[0-7]{1,4}$/.test(mode!) || num(uid) === undefined || num(gid) === undefined)) return null;
  const who = names === '-' ? '' : fromHex(names!) ?? '';
  const colon = who.indexOf(':');
  const rec: QuarantineRecord = {
    kind,
    originalPath: path,
    quarantinePath: kind === 'renamed' ? '' : q,
    sha256: sha === '-' ? '' : sha!,
    mode: mode === '-' ? '' : mode!.padStart(4, '0'),
    owner: colon >= 0 ? who.slice(0, colon) : who,
    group: colon >= 0 ? who.slice(colon + 1) : '',
    attrs: attrs === '-' ? '' : attrs!,
    size: num(size) ?? 0,
    movedAt: /^\d+$/.test(epoch!) ? new Date(Number(epoch) * 1000).toISOString() : '',
    fileType: type as FileType,
    id: id!,
  };
  for (const [key, v] of [['uid', uid], ['gid', gid], ['nlink', nlink], ['inode', ino], ['device', dev]] as const) {
    const n = num(v);
    if (n !== undefined) rec[key] = n;
  }
  if (target !== '-') {
    const t = fromHex(target!);
    if (t !== null) rec.linkTarget = t;
  }
  if (kind === 'renamed') {
    // the run record keeps the path the file has now and the name it had
    rec.originalPath = q;
    rec.renamedFrom = path;
  }
  return rec;
}

function parseV1(f: string[], quarantineDir: string): QuarantineRecord | null {
  if (f.length !== 13) return null;
  const [, kind, hexPath, qname, sha, mode, uid, gid, user, group, size, attrs, epoch] = f as string[];
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

/** One manifest line → a record, or null when it is not one. */
export function parseManifestLine(line: string, quarantineDir: string): QuarantineRecord | null {
  const f = line.trim().split(/ +/);
  if (f[0] === 'v2') return parseV2(f);
  if (f[0] === 'v1') return parseV1(f, quarantineDir);
  return null;
}

/**
 * Every "MSU …" (or older "MSQ v1 …") line of a step's stdout, or every line of a manifest
 * file, → records. A manifest's "x2 skip ID" lines (the apply phase found nothing to change
 * there) drop their records.
 */
export function parseQuarantineOutput(stdout: string, quarantineDir: string, prefixed = true): QuarantineRecord[] {
  const out: QuarantineRecord[] = [];
  const skipped = new Set<string>();
  for (const raw of stdout.split('\n')) {
    if (!prefixed) {
      const skip = /^x2 skip (s\d*-[0-9a-f]{16})\s*$/.exec(raw);
      if (skip) { skipped.add(skip[1]!); continue; }
    }
    const line = prefixed ? (raw.startsWith('MSU v2 ') || raw.startsWith('MSQ v1 ') ? raw.slice(4) : null) : raw;
    if (line === null) continue;
    const rec = parseManifestLine(line, quarantineDir);
    if (rec) out.push(rec);
  }
  return skipped.size ? out.filter((r) => !r.id || !skipped.has(r.id)) : out;
}

/** The ids a host manifest marks as skipped. */
export function skippedIds(manifest: string): Set<string> {
  return new Set([...manifest.matchAll(/^x2 skip (s\d*-[0-9a-f]{16})\s*$/gm)].map((m) => m[1]!));
}

/** The path a record is about (for a rename: the name the file had before). */
export function recordPath(r: QuarantineRecord): string {
  return r.kind === 'renamed' ? r.renamedFrom ?? r.originalPath : r.originalPath;
}

const stepOf = (r: QuarantineRecord): number => Number(/^s(\d+)-/.exec(r.id ?? '')?.[1] ?? -1);

/** Records of both sources, each once (the host's own copy wins), in the order of the steps that wrote them. */
export function mergeRecords(host: QuarantineRecord[], controller: QuarantineRecord[]): QuarantineRecord[] {
  const key = (r: QuarantineRecord) => r.id ?? `${r.kind}\n${recordPath(r)}\n${r.quarantinePath}\n${r.movedAt}`;
  const seen = new Set<string>();
  const all: QuarantineRecord[] = [];
  for (const r of [...host, ...controller]) {
    const k = key(r);
    if (seen.has(k)) continue;
    seen.add(k);
    all.push(r);
  }
  return all.map((r, i) => ({ r, i })).sort((a, b) => stepOf(a.r) - stepOf(b.r) || a.i - b.i).map((x) => x.r);
}
