import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// Every cron location: /etc/crontab, anacrontab, cron.d and cron.{hourly,daily,weekly,monthly},
// the spools (Debian crontabs/, Red Hat cron/, SUSE tabs/) and at jobs; with lsattr flags.
// cron.d three levels deep: cron ignores subdirectories, droppers hide files there anyway.
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  ms_start
  for ms_f in /etc/crontab /etc/anacrontab; do [ -e "$ms_f" ] || continue; ms_count || break; ms_add a "$ms_f"; done
  ms_walk /etc/cron.d a 3 &&
  for ms_f in /etc/cron.hourly /etc/cron.daily /etc/cron.weekly /etc/cron.monthly \
    /var/spool/cron /var/spool/cron/crontabs /var/spool/cron/tabs /var/spool/cron/atjobs /var/spool/at; do
    ms_walk "$ms_f" a 1 || break
  done
  ms_batch a
`;

export const cronSection: ProbeSection = {
  name: 'cron',
  snippet,
  timeoutSeconds: 20,
  parse: (records, ctx) => ({ cron: textFiles(records, ctx) }),
  missing: () => ({ cron: [] }),
};
