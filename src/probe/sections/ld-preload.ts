import type { ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';
import { textFiles } from '../text-file.js';

// The dynamic loader's persistence points: /etc/ld.so.preload, ld.so.conf and ld.so.conf.d/*; and /etc/hosts.
const snippet = shText`
  MS_CAP=$MS_MAXFILES
  MS_TAG=preload
  [ -e /etc/ld.so.preload ] && ms_file /etc/ld.so.preload a
  MS_TAG=conf
  ms_start
  [ -e /etc/ld.so.conf ] && ms_add a /etc/ld.so.conf
  ms_walk /etc/ld.so.conf.d a 1
  ms_batch a
  MS_TAG=hosts
  [ -e /etc/hosts ] && ms_file /etc/hosts a
`;

export const ldPreloadSection: ProbeSection = {
  name: 'loader',
  snippet,
  timeoutSeconds: 10,
  parse: (records, ctx) => ({
    ldPreload: textFiles(records, ctx, (t) => t === 'preload')[0] ?? null,
    ldSoConfD: textFiles(records, ctx, (t) => t === 'conf'),
    etcHosts: textFiles(records, ctx, (t) => t === 'hosts')[0] ?? null,
  }),
  missing: () => ({ ldPreload: null, ldSoConfD: [], etcHosts: null }),
};
