import type { HostFacts, RenamedBinary } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Renamed system tools: any NAME.original in the system bin directories (ps, top, pstree,
// netstat, ls, ss, lsof … replaced by a filtering script), with the replacement's sha256,
// size and whether it starts with "#!".
const snippet = shText`
  MS_CAP=200
  for ms_b in /bin /usr/bin /sbin /usr/sbin /usr/local/bin /usr/local/sbin; do
    [ -L "$ms_b" ] && continue
    for ms_o in "$ms_b"/*.original; do
      [ -e "$ms_o" ] || continue
      ms_count || return 0
      ms_f=\${ms_o%.original}
      ms_r renamed
      ms_v original "$ms_o"
      ms_v replacement "$ms_f"
      [ -e "$ms_f" ] || continue
      ms_l size "$(stat -L -c %s "$ms_f" 2>/dev/null)"
      [ -n "$MS_HAVE_sha256sum" ] && { ms_h=$(sha256sum < "$ms_f" 2>/dev/null); ms_l sha256 "\${ms_h%% *}"; }
      ms_h=$(head -c 2 "$ms_f" 2>/dev/null)
      [ "$ms_h" = '#!' ] && ms_l script 1
      [ -n "$MS_HAVE_lsattr" ] && { ms_a=$(lsattr -d "$ms_f" 2>/dev/null); ms_v attrs "\${ms_a%% *}"; }
    done
  done
`;

export function parseRenamed(records: ProbeRecord[]): Partial<HostFacts> {
  const renamedBinaries: RenamedBinary[] = [];
  const executables: HostFacts['executables'] = [];
  const attributes: Record<string, string> = {};
  for (const r of records.filter((x) => x.kind === 'renamed')) {
    const sha = /^[0-9a-f]{64}$/.test(r.str('sha256')) ? r.str('sha256') : '';
    renamedBinaries.push({ original: r.str('original'), replacement: r.str('replacement'), replacementSha256: sha, replacementIsScript: r.str('script') === '1' });
    if (sha) executables.push({ path: r.str('replacement'), sha256: sha, size: r.num('size') });
    if (r.has('attrs')) attributes[r.str('replacement')] = r.str('attrs');
  }
  return { renamedBinaries, executables, attributes };
}

export const renamedBinariesSection: ProbeSection = {
  name: 'renamed',
  snippet,
  timeoutSeconds: 15,
  parse: parseRenamed,
  missing: () => ({ renamedBinaries: [] }),
};
