import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// SysV and rc persistence: rc.local, inittab, rc.d (Red Hat), init.d, rc?.d links (targets only), upstart.
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  for ms_f in /etc/rc.local /etc/inittab; do [ -e "$ms_f" ] && ms_file "$ms_f" a; done
  ms_dir /etc/rc.d al 2 || return 0
  ms_dir /etc/init.d al 1 || return 0
  ms_dir /etc/init al 1 || return 0
  for ms_f in /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d /etc/rc6.d /etc/rcS.d; do
    ms_dir $ms_f l 1 || break
  done
`;

export const initScriptsSection: ProbeSection = {
  name: 'init',
  snippet,
  timeoutSeconds: 20,
  parse: (records, ctx) => ({ initScripts: textFiles(records, ctx) }),
  missing: () => ({ initScripts: [] }),
};
