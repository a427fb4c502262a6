import type { HostFacts, UnitFile } from '../../facts/types.js';
import type { ProbeSection, ParseContext } from '../section.js';
import type { ProbeRecord } from '../records.js';
import { shText } from '../sh-text.js';
import { toTextFile } from '../text-file.js';

// systemd units and timers: system (/etc, /usr/local/lib, /lib, /usr/lib), runtime (/run,
// transient units), user (/etc/systemd/user, /usr/lib/systemd/user, every ~/.config/systemd/user).
// Two levels deep so *.wants/ links (enabled-ness without systemctl) and *.d/ drop-ins come too;
// links carry their target only; vendor directories (/lib, /usr/lib) send the lines that matter. With a running systemd, its own list of enabled unit files.
const snippet = shText`
  MS_CAP=$MS_MAXUNITS
  MS_TAG=system; ms_dir /etc/systemd/system al 2 || return 0
  ms_dir /usr/local/lib/systemd/system l 2 || return 0
  [ -L /lib ] || { ms_dir /lib/systemd/system lg 2 || return 0; }
  ms_dir /usr/lib/systemd/system lg 2 || return 0
  MS_TAG=runtime; ms_dir /run/systemd/system al 2 || return 0
  ms_dir /run/systemd/transient al 1 || return 0
  MS_TAG=user; ms_dir /etc/systemd/user al 2 || return 0
  ms_dir /usr/lib/systemd/user lg 2 || return 0
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

export function parseUnits(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const enabledNames = new Set<string>();
  for (const r of records.filter((x) => x.kind === 'enabled'))
    for (const l of r.str('list').split('\n')) if (l.trim()) enabledNames.add(l.trim().split(/\s+/)[0]!);
  const files = records.filter((r) => r.kind === 'f').map((r) => ({ r, f: toTextFile(r, ctx) }));
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
