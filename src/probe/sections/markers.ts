import type { HostFacts } from '../../facts/types.js';
import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// Small files in writable and hidden places that carry miner markers (probe option `markers`:
// one extended regular expression — the catalogue's miner markers, pool domains and a Monero
// wallet shape): a dormant miner config with no process running is still a finding. Temp dirs
// whole; elsewhere only paths with a hidden component (homes, /etc, /opt, /usr/local, /var/lib,
// /srv; /usr/lib and /usr/share two levels). Files up to the file cap; matching files come back
// with their content (at most 50).
const snippet = shText`
  [ -n "$MS_MARKRE" ] || return 0
  MS_CAP=50
  {
    find /tmp /var/tmp /dev/shm /run/shm /dev/mqueue -xdev -maxdepth 4 -type f -size -"$((MS_FILECAP / 1024 + 1))"k -print0 2>/dev/null
    find /root /home /etc /opt /usr/local /var/lib /var/spool /srv /var/www -xdev -maxdepth 5 \
      \( -name .git -o -name node_modules -o -name .cache -o -name .npm -o -name .cargo -o -name .rustup -o -name .m2 \) -prune -o \
      -path '*/.*' -type f -size -"$((MS_FILECAP / 1024 + 1))"k -print0 2>/dev/null
    find /usr/lib /usr/share -xdev -maxdepth 3 -path '*/.*' -type f -size -"$((MS_FILECAP / 1024 + 1))"k -print0 2>/dev/null
  } | ms_t 20 xargs -0 grep -lE -e "$MS_MARKRE" -- 2>/dev/null | head -n 200 | {
    MS_TAG=marker; ms_start
    while IFS= read -r ms_p; do ms_count || break; ms_add a "$ms_p"; done
    ms_batch a
  }
`;

export const markersSection: ProbeSection = {
  name: 'markers',
  snippet,
  timeoutSeconds: 30,
  parse: (records, ctx): Partial<HostFacts> => ({ markerFiles: textFiles(records, ctx, (t) => t === 'marker') }),
  missing: () => ({ markerFiles: [] }),
};
