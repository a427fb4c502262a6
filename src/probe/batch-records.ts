import { ProbeRecord } from './records.js';

// A "batch" record (ms_batch in script.ts: many plain-named files of one directory tree read
// by one stat, one lsattr, one readlink and one cat) turned back into the one-file "f"
// records ms_file prints, so section parsers see one shape. Fields of a batch:
//   tag, flags       as ms_file's (flags: a = attrs, l = links carry their target, n = no content)
//   files, links     space-separated plain paths (regular files; links)
//   read             the files whose content follows, concatenated in this order
//   stat             "mode uid gid size mtime rawmode path" lines (stat -L)
//   attrs            lsattr -d lines "attrs path"
//   targets          the links' targets, NUL-terminated, in the order of "links"
//   content          the bytes of the "read" files back to back, cut by their stat sizes
//   verified         "pkg sha256 path" lines: files that match their package (no content read)
// A file in "files" but not in "read" has its own "f" record (over the cap) unless the batch
// reads no content at all. When the contents do not add up to the sizes (a file changed
// between stat and cat), those files keep no content and say so (trunc).

const words = (r: ProbeRecord, key: string): string[] => r.str(key).split(' ').filter(Boolean);

/** Lines of exactly `fields` space-separated fields (stat, lsattr output), keyed by the last one: a plain path. */
export function byPath(text: string, fields: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    // the (fields-1)th space splits the line; one more space and the line is not of this shape
    let at = -1;
    for (let n = 1; n < fields && (at = line.indexOf(' ', at + 1)) >= 0; n++);
    if (at < 0 || line.indexOf(' ', at + 1) >= 0) continue;
    out.set(line.slice(at + 1), line.slice(0, at));
  }
  return out;
}

/** An "f" record (as ms_file prints it) from field values. */
export function fileRecord(fields: Record<string, Buffer | string | undefined>): ProbeRecord {
  const r = new ProbeRecord('f');
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) r.fields.set(k, typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
  return r;
}

/** One batch record → the "f" records it stands for; any other record is returned as is. */
export function expandBatch(r: ProbeRecord): ProbeRecord[] {
  if (r.kind !== 'batch') return [r];
  const flags = r.str('flags');
  const stat = byPath(r.str('stat'), 7);
  const attrs = flags.includes('a') ? byPath(r.str('attrs'), 2) : new Map<string, string>();
  const attrOf = (p: string): string | undefined => (flags.includes('a') ? (attrs.get(p) ?? '') : undefined);
  const tag = r.has('tag') ? r.bytes('tag') : undefined;
  const out: ProbeRecord[] = [];

  const read = words(r, 'read');
  const content = r.bytes('content');
  const sizes = read.map((p) => Number(stat.get(p)?.split(' ')[3] ?? NaN));
  const whole = sizes.every(Number.isFinite) && sizes.reduce((a, b) => a + b, 0) === content.length;
  const contentOf = new Map<string, Buffer | undefined>();
  let at = 0;
  read.forEach((p, i) => {
    contentOf.set(p, whole ? content.subarray(at, at + sizes[i]!) : undefined);
    at += sizes[i]!;
  });
  const verified = byPath(r.str('verified'), 3);
  for (const p of words(r, 'files')) {
    const v = verified.get(p)?.split(' ');
    if (v) {
      out.push(fileRecord({ path: p, tag, stat: stat.get(p) ?? '', attrs: attrOf(p), verified: v[0], sha256: v[1] }));
      continue;
    }
    const noContent = flags.includes('n');
    if (!noContent && !contentOf.has(p)) continue; // over the cap or gone: ms_file's own record
    out.push(
      fileRecord({
        path: p,
        tag,
        stat: stat.get(p) ?? '',
        attrs: attrOf(p),
        ...(noContent ? {} : whole ? { content: contentOf.get(p) } : { trunc: '1' }),
      }),
    );
  }

  const links = words(r, 'links');
  const targets = r.bytes('targets');
  const parts: Buffer[] = [];
  for (let s = 0, e = targets.indexOf(0); e >= 0; s = e + 1, e = targets.indexOf(0, s)) parts.push(targets.subarray(s, e));
  // readlink skips a link that vanished: targets are only trusted when every link has one
  const mapped = parts.length === links.length;
  links.forEach((p, i) => out.push(fileRecord({ path: p, tag, link: mapped ? parts[i]! : '', stat: stat.get(p) ?? '', attrs: attrOf(p) })));
  return out;
}
