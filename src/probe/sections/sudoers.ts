import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// /etc/sudoers and /etc/sudoers.d/* (root-readable; the probe runs as root or through sudo).
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  [ -e /etc/sudoers ] && ms_file /etc/sudoers a
  ms_dir /etc/sudoers.d a 1
`;

export const sudoersSection: ProbeSection = {
  name: 'sudoers',
  snippet,
  timeoutSeconds: 10,
  parse: (records, ctx) => ({ sudoers: textFiles(records, ctx) }),
  missing: () => ({ sudoers: [] }),
};
