import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// SysV and rc persistence: rc.local, inittab, rc.d (Red Hat), init.d, rc?.d links (targets only), upstart,
// update-motd.d (run as root at every login) and udev rules (RUN+=).
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  ms_files a /etc/rc.local /etc/inittab
  ms_start
  ms_walk /etc/rc.d al 2 && ms_walk /etc/init.d al 1 && ms_walk /etc/init al 1 && ms_walk /etc/update-motd.d al 1 && ms_walk /etc/udev/rules.d a 1
  ms_wr=$?
  ms_batch al
  [ $ms_wr -eq 0 ] || return 0
  ms_start
  for ms_f in /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d /etc/rc6.d /etc/rcS.d; do
    ms_walk $ms_f l 1 || break
  done
  ms_batch l
`;

export const initScriptsSection: ProbeSection = {
  name: 'init',
  snippet,
  timeoutSeconds: 20,
  parse: (records, ctx) => ({ initScripts: textFiles(records, ctx) }),
  missing: () => ({ initScripts: [] }),
};
