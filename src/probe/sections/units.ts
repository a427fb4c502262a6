import type { HostFacts, TextFile, UnitFile } from '../../facts/types.js';
import type { ProbeSection, ParseContext } from '../section.js';
import type { ProbeRecord } from '../records.js';
import { shText } from '../sh-text.js';
import { byPath } from '../batch-records.js';
import { statTextFile, toTextFile } from '../text-file.js';

// systemd units and timers: system (/etc, /usr/local/lib, /lib, /usr/lib), runtime (/run,
// transient units), user (/etc/systemd/user, /usr/lib/systemd/user, every ~/.config/systemd/user).
// Two levels deep so *.wants/ links (enabled-ness without systemctl) and *.d/ drop-ins come too;
// links carry their target only. Package directories (/lib, /usr/lib) are read in three
// processes per directory (ms_vendor: one stat, one awk for the lines that matter, one
// encoder; files split by a per-run random boundary), names with unusual bytes one by one; a
// unit its package vouches for sends only its Exec* and Unit= lines (TextFile.verified). With a
// running systemd, its own list of enabled unit files.
const snippet = shText`
  MS_CAP=$MS_MAXUNITS
  MS_TAG=system; ms_dir /etc/systemd/system al 2 || return 0
  ms_dir /usr/local/lib/systemd/system l 2 || return 0
  [ -L /lib ] || { ms_vendor /lib/systemd/system || return 0; }
  ms_vendor /usr/lib/systemd/system || return 0
  MS_TAG=runtime; ms_dir /run/systemd/system al 2 || return 0
  ms_dir /run/systemd/transient al 1 || return 0
  MS_TAG=user; ms_dir /etc/systemd/user al 2 || return 0
  ms_vendor /usr/lib/systemd/user || return 0
  ms_userunits() { ms_dir "$2/.config/systemd/user" al 2; }
  ms_each_home ms_userunits
  MS_TAG=
  if [ -n "$MS_HAVE_systemctl" ] && [ -d /run/systemd/system ]; then
    ms_r enabled
    printf '@B list\n'
    ms_t 5 systemctl list-unit-files --state=enabled --no-legend --no-pager 2>/dev/null | head -c 200000 | ms_enc
  fi
`;

const UNIT = /\.(service|timer|socket|path|target|mount)$/;

/** ExecStart= values, continuation lines joined. */
export function execStartLines(content: string): string[] {
  return content
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((l) => /^\s*ExecStart\s*=\s*(.*)$/.exec(l)?.[1]?.trim())
    .filter((v): v is string => v !== undefined && v !== '');
}

/** A batched package directory (ms_vendor) → its files (content: the lines that matter) and links. */
export function vendorFiles(r: ProbeRecord, ctx: ParseContext): TextFile[] {
  const nonce = r.str('nonce');
  if (!/^\w{16,}$/.test(nonce)) throw new Error('vendor batch without a boundary');
  const files = new Map<string, TextFile>();
  // the batch's paths are plain (names with unusual bytes come one by one): no byte round trip
  for (const [path, stat] of byPath(r.str('stat'), 7)) files.set(path, { ...statTextFile(path, stat, ctx), excerpt: true });
  for (const [path, v] of byPath(r.str('verified'), 3)) {
    const f = files.get(path);
    const [pkg = '', sha = ''] = v.split(' ');
    if (!f) continue;
    f.verified = pkg;
    if (/^[0-9a-f]{64}$/.test(sha)) f.sha256 = sha;
  }
  let current: TextFile | undefined;
  const lines: string[] = [];
  const flush = (): void => {
    if (current && lines.length) current.content += `${lines.join('\n')}\n`;
    lines.length = 0;
  };
  const head = `${nonce} `;
  for (const line of r.str('content').split('\n')) {
    if (line.startsWith(head)) {
      flush();
      current = files.get(line.slice(head.length));
    } else if (current && line !== '') lines.push(line);
  }
  flush();
  const links = r.str('links').split(' ').filter(Boolean).map((p): TextFile => ({ path: p, content: '', mtime: 0, mode: '', owner: '', group: '', size: 0, attrs: '', truncated: false, linkTarget: '' }));
  return [...files.values(), ...links];
}

export function parseUnits(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const enabledNames = new Set<string>();
  for (const r of records.filter((x) => x.kind === 'enabled'))
    for (const l of r.str('list').split('\n')) if (l.trim()) enabledNames.add(l.trim().split(/\s+/)[0]!);
  const files = records.flatMap((r) => (r.kind === 'f' ? [{ r, f: toTextFile(r, ctx) }] : r.kind === 'vendor' ? vendorFiles(r, ctx).map((f) => ({ r, f })) : []));
  // a link in a *.wants/ or *.requires/ directory enables the unit it is named after
  for (const { f } of files) if (/\.(wants|requires)\/[^/]+$/.test(f.path)) enabledNames.add(f.path.slice(f.path.lastIndexOf('/') + 1));
  const units: UnitFile[] = [];
  const seen = new Set<string>();
  for (const { r, f } of files) {
    if (/\.(wants|requires)\/[^/]+$/.test(f.path) || seen.has(f.path)) continue;
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    // drop-ins (x.service.d/override.conf) keep their own name; plain units must look like units
    if (!UNIT.test(name) && !/\.d\/[^/]+\.conf$/.test(f.path)) continue;
    seen.add(f.path);
    const tag = r.str('tag');
    const scope: UnitFile['scope'] = tag === 'user' ? 'user' : tag === 'runtime' ? 'runtime' : 'system';
    units.push({ ...f, name, scope, execStart: execStartLines(f.content), enabled: enabledNames.has(name) });
  }
  return { units };
}

export const unitsSection: ProbeSection = {
  name: 'units',
  snippet,
  timeoutSeconds: 30,
  parse: parseUnits,
  missing: () => ({ units: [] }),
};
