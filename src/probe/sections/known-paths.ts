import type { HostFacts } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// The catalogue's family paths (probe option `paths`: shell globs, one a line; `~/` means every
// home directory): which exist, their type, size, mtime, and the sha256 of regular files.
const snippet = shText`
  [ -n "$MS_PATHS" ] || return 0
  MS_CAP=$MS_MAXFILES
  ms_kp() {
    [ -e "$1" ] || [ -L "$1" ] || return 0
    ms_count || return 1
    ms_r path
    ms_v path "$1"
    ms_l stat "$(stat -c '%f %s %Y' "$1" 2>/dev/null)"
    if [ -f "$1" ] && [ ! -L "$1" ] && [ -n "$MS_HAVE_sha256sum" ]; then
      ms_z=$(stat -c %s "$1" 2>/dev/null)
      [ "\${ms_z:-0}" -le "$MS_HASHCAP" ] && { ms_h=$(sha256sum < "$1" 2>/dev/null); ms_l sha256 "\${ms_h%% *}"; }
    fi
    return 0
  }
  ms_ifs=$IFS
  ms_kpglob() {
    IFS=
    for ms_m in $1; do IFS=$ms_ifs; ms_kp "$ms_m" || return 1; done
    IFS=$ms_ifs
    return 0
  }
  ms_homeglob() { ms_kpglob "$2/$ms_rel"; }
  set -f; IFS='
'
  set -- $MS_PATHS
  set +f; IFS=$ms_ifs
  for ms_g; do
    case $ms_g in
      '~/'*) ms_rel=\${ms_g#??}; ms_each_home ms_homeglob;;
      /*) ms_kpglob "$ms_g" || break;;
    esac
  done
`;

type Known = NonNullable<HostFacts['knownPaths']>[number];

export function parseKnownPaths(records: ProbeRecord[]): Partial<HostFacts> {
  const seen = new Set<string>();
  const knownPaths: Known[] = [];
  for (const r of records.filter((x) => x.kind === 'path')) {
    const path = r.str('path');
    if (seen.has(path)) continue;
    seen.add(path);
    const [raw = '', size = '0', mtime = '0'] = r.str('stat').trim().split(/\s+/);
    const t = parseInt(raw, 16) & 0xf000;
    const type: Known['type'] = t === 0x8000 ? 'file' : t === 0x4000 ? 'dir' : t === 0xa000 ? 'link' : 'other';
    const k: Known = { path, type, size: Number(size) || 0, mtime: Number(mtime) || 0 };
    if (/^[0-9a-f]{64}$/.test(r.str('sha256'))) k.sha256 = r.str('sha256');
    knownPaths.push(k);
  }
  return { knownPaths };
}

export const knownPathsSection: ProbeSection = {
  name: 'paths',
  snippet,
  timeoutSeconds: 20,
  parse: parseKnownPaths,
  missing: () => ({}),
};
