import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// /etc/sudoers and /etc/sudoers.d/* (root-readable; the probe runs as root or through sudo).
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  ms_start
  [ -e /etc/sudoers ] && ms_add a /etc/sudoers
  ms_walk /etc/sudoers.d a 1
  ms_batch a
`;

export const sudoersSection: ProbeSection = {
  name: 'sudoers',
  snippet,
  timeoutSeconds: 10,
  parse: (records, ctx) => ({ sudoers: textFiles(records, ctx) }),
  missing: () => ({ sudoers: [] }),
};
