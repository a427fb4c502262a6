import { decodeLossless } from '../../src/core/bytes.js';
import type { LabHandle } from '../helpers/lab.js';

// A listing of a lab host's trees taken inside the host (nsenter, no SSH): for every path its
// type, mode, owner, size, link count, link target, sha256 (regular files) and attributes.
// Paths and targets travel as hex, so hostile names survive byte-exact. Two listings compare
// path by path: what appeared, what went, what changed.

/** Where the lab's scenarios plant and the remediation changes things (not the machine's own /opt and /usr/local/cuda…). */
export const TREES = ['/etc', '/var/spool/cron', '/root', '/home', '/tmp', '/var/tmp', '/dev/shm', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/local/lib', '/usr/local/share', '/usr/lib/systemd/system', '/opt/orders'];

/**
 * Files larger than this, and files not changed since the lab host started (the machine's own,
 * below the host's overlay), are compared by size, modification time and inode instead of a hash.
 */
const HASH_MAX = 16 * 1024 * 1024;

// quarantine directories (the run's, and the per-filesystem ones), and the lab droppers' own lock files
const IGNORED = /^(\/var\/lib\/minesweep(\/|$)|.*\/\.minesweep-quarantine(\/|$)|\/tmp\/\.lab-[^/]*\.lock$)/;

const SCRIPT = String.raw`
set -u
trees=""
for d in ${TREES.join(' ')}; do [ -e "$d" ] && trees="$trees $d"; done
{
  find $trees \( -name .minesweep-quarantine -o -path /var/lib/minesweep \) -prune -o -printf '%y %m %U %G %s %n %i %b %T@\0%p\0%l\0'
  printf '\001'
  # the files changed since this host started (planted, or changed since): the machine's own files below the overlay are not
  age=$(( $(awk '{print int($1)}' /proc/uptime) - $(awk '{print $22}' /proc/1/stat) / $(getconf CLK_TCK) ))
  find $trees \( -name .minesweep-quarantine -o -path /var/lib/minesweep \) -prune -o -type f -size -${HASH_MAX / 1024 + 1}k -cmin -$(( age / 60 + 2 )) -print0 | xargs -0 -r sha256sum -z
  printf '\001'
  for d in $trees; do lsattr -R -a "$d" 2>/dev/null; done
} | od -An -tx1 -v | tr -d ' \n'
`;

export interface Entry {
  type: string;
  mode: string;
  uid: string;
  gid: string;
  size: string;
  nlink: string;
  target: string;
  sha256: string;
  attrs: string;
  inode: string;
  blocks: string;
}

export type Tree = Map<string, Entry>;

/** The host's listing. */
export async function snapshotTree(lab: LabHandle, host: string): Promise<Tree> {
  const r = await lab.exec(host, SCRIPT, { timeoutMs: 300_000 });
  if (r.code !== 0 && !r.stdout) throw new Error(`snapshot of ${host} failed: ${r.stderr}`);
  const buf = Buffer.from(r.stdout.trim(), 'hex');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 1) { parts.push(buf.subarray(start, i)); start = i + 1; }
  parts.push(buf.subarray(start));
  const [listing = Buffer.alloc(0), sums = Buffer.alloc(0), attrs = Buffer.alloc(0)] = parts;
  const tree: Tree = new Map();
  const fields = listing.toString('latin1').split('\0');
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [type, mode, uid, gid, size, nlink, inode, blocks, mtime] = fields[i]!.split(' ');
    const p = decodeLossless(Buffer.from(fields[i + 1]!, 'latin1'));
    if (IGNORED.test(p)) continue;
    tree.set(p, { type: type!, mode: mode!, uid: uid!, gid: gid!, size: size!, nlink: nlink!, inode: inode!, blocks: blocks!, target: decodeLossless(Buffer.from(fields[i + 2]!, 'latin1')), sha256: type === 'f' ? `unhashed:${mtime}:${inode}` : '', attrs: '' });
  }
  for (const line of sums.toString('latin1').split('\0')) {
    const m = /^([0-9a-f]{64}) {2}(.*)$/s.exec(line);
    const e = m && tree.get(decodeLossless(Buffer.from(m[2]!, 'latin1')));
    if (e) e.sha256 = m![1]!;
  }
  // "FLAGS PATH" lines (a name with a newline in it spans lines: only what parses is kept, the same way both times)
  for (const line of decodeLossless(attrs).split('\n')) {
    const m = /^([-a-zA-Z]{4,}) (\/.*)$/.exec(line);
    const e = m && tree.get(m[2]!);
    if (e) e.attrs = m![1]!;
  }
  return tree;
}

export interface TreeDiff {
  appeared: string[];
  gone: string[];
  /** path → "field before → after" */
  changed: Map<string, string[]>;
}

const COMPARED = ['type', 'mode', 'uid', 'gid', 'size', 'nlink', 'target', 'sha256', 'attrs'] as const;

/** What differs between two listings (inode and blocks are not compared: see `sameInode`). */
export function diffTrees(before: Tree, after: Tree, ignore: (p: string) => boolean = () => false): TreeDiff {
  const d: TreeDiff = { appeared: [], gone: [], changed: new Map() };
  for (const [p, a] of after) {
    if (ignore(p)) continue;
    const b = before.get(p);
    if (!b) { d.appeared.push(p); continue; }
    // a directory's size follows its entries (a temporary file came and went)
    const diffs = COMPARED.filter((k) => !(k === 'size' && a.type === 'd') && a[k] !== b[k]).map((k) => `${k} ${b[k]} → ${a[k]}`);
    if (diffs.length) d.changed.set(p, diffs);
  }
  for (const p of before.keys()) if (!after.has(p) && !ignore(p)) d.gone.push(p);
  return d;
}

/** The paths whose listing differs: changed, appeared or gone. */
export function touched(d: TreeDiff): string[] {
  return [...d.changed.keys(), ...d.appeared, ...d.gone];
}

/** A short text of a diff for assertion messages. */
export function diffText(d: TreeDiff): string {
  return [...d.appeared.map((p) => `+ ${JSON.stringify(p)}`), ...d.gone.map((p) => `- ${JSON.stringify(p)}`), ...[...d.changed].map(([p, c]) => `~ ${JSON.stringify(p)}: ${c.join(', ')}`)].join('\n');
}
