import type { ProbeRecord } from '../records.js';
import type { ProbeSection, SectionFacts } from '../section.js';
import { shText } from '../sh-text.js';

// Files changed within --since (find -mmin), one file system (-xdev) below /, skipping /proc,
// /sys, /run and /dev; NUL-separated names, at most MS_RECENTCAP bytes. GNU find adds mtimes.
const snippet = shText`
  [ -n "$MS_SINCE_MIN" ] || return 0
  ms_r recent
  ms_l cap "$MS_RECENTCAP"
  if find / -maxdepth 0 -printf '' >/dev/null 2>&1; then
    printf '@B timed\n'
    ms_t 60 find / -xdev \( -path /proc -o -path /sys -o -path /run -o -path /dev \) -prune -o ! -type d -mmin -"$MS_SINCE_MIN" -printf '%T@ %p\0' 2>/dev/null | head -c "$MS_RECENTCAP" | ms_enc
  else
    printf '@B names\n'
    ms_t 60 find / -xdev \( -path /proc -o -path /sys -o -path /run -o -path /dev \) -prune -o ! -type d -mmin -"$MS_SINCE_MIN" -print0 2>/dev/null | head -c "$MS_RECENTCAP" | ms_enc
  fi
`;

export function parseRecent(records: ProbeRecord[]): SectionFacts {
  const r = records.find((x) => x.kind === 'recent');
  if (!r) return { recentFiles: [] };
  const timed = r.has('timed');
  const raw = timed ? r.bytes('timed') : r.bytes('names');
  const cut = raw.length >= r.num('cap', Infinity);
  const entries = r.str(timed ? 'timed' : 'names').split('\0');
  // the last entry is either '' (ends with NUL) or cut mid-name by the size bound
  entries.pop();
  const recentFiles = entries.map((e) => {
    if (!timed) return { path: e, mtime: 0 };
    const sp = e.indexOf(' ');
    return { path: e.slice(sp + 1), mtime: Math.floor(Number(e.slice(0, sp)) || 0) };
  });
  return cut ? { recentFiles, truncated: true } : { recentFiles };
}

export const recentFilesSection: ProbeSection = {
  name: 'recent',
  snippet,
  timeoutSeconds: 60,
  parse: parseRecent,
  missing: () => ({ recentFiles: [] }),
};
