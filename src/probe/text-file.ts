import type { TextFile } from '../facts/types.js';
import type { ProbeRecord } from './records.js';
import type { ParseContext } from './section.js';

// A file record as ms_file (script.ts) prints it: path, link (symlinks), stat
// "mode uid gid size mtime rawmode" (of the target), attrs (lsattr), trunc, excerpt, content;
// verified (owning package) and sha256 for a package file whose content did not travel.

/** The raw mode's file type: 'file', 'dir', 'link' (dangling), 'other'; '' when stat failed. */
export function fileType(rawModeHex: string): 'file' | 'dir' | 'other' | '' {
  const m = parseInt(rawModeHex, 16);
  if (!Number.isFinite(m)) return '';
  const t = m & 0xf000;
  return t === 0x8000 ? 'file' : t === 0x4000 ? 'dir' : 'other';
}

/** A TextFile from its path, its stat line ("mode uid gid size mtime rawmode") and the rest. */
export function statTextFile(path: string, stat: string, ctx: ParseContext, content = '', attrs = '', truncated = false): TextFile {
  const [mode = '', uid = '', gid = '', size = '0', mtime = '0'] = stat.trim().split(/\s+/);
  return {
    path,
    content,
    mtime: Number(mtime) || 0,
    mode: mode === '' ? '' : mode.padStart(4, '0'),
    owner: uid === '' ? '' : ctx.users.get(Number(uid)) ?? uid,
    group: gid === '' ? '' : ctx.groups.get(Number(gid)) ?? gid,
    size: Number(size) || 0,
    attrs,
    truncated,
  };
}

export function toTextFile(r: ProbeRecord, ctx: ParseContext): TextFile {
  const f = statTextFile(r.str('path'), r.str('stat'), ctx, r.str('content'), r.str('attrs'), r.str('trunc') === '1');
  if (r.has('link')) f.linkTarget = r.str('link');
  if (r.str('excerpt') === '1') f.excerpt = true;
  if (r.has('verified')) f.verified = r.str('verified');
  if (/^[0-9a-f]{64}$/.test(r.str('sha256'))) f.sha256 = r.str('sha256');
  return f;
}

/** Every file record of a section (optionally only those with a given tag) as TextFiles, first of each path. */
export function textFiles(records: ProbeRecord[], ctx: ParseContext, tag?: (t: string) => boolean): TextFile[] {
  const seen = new Set<string>();
  const out: TextFile[] = [];
  for (const r of records) {
    if (r.kind !== 'f' || (tag && !tag(r.str('tag')))) continue;
    const f = toTextFile(r, ctx);
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    out.push(f);
  }
  return out;
}
