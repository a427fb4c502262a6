import type { Rule } from '../types.js';
import { lineFindings } from '../cron/cron-lines.js';

// rc.local / inittab lines are removed like profile lines; a whole init.d script is removed as a script
const RC_FILES = /(^|\/)(rc\.local|inittab|rc)$/;

/** rc.local, rc.d, init.d or inittab lines that download, decode, or run dropped or family files. */
export const initSuspiciousRc: Rule = {
  id: 'init.suspicious-rc',
  run: (facts, ctx) =>
    lineFindings(facts, facts.initScripts, ctx, {
      rule: 'init.suspicious-rc',
      severity: 'high',
      reasons: ['download-pipe-shell', 'base64-blob', 'dev-tcp', 'exec-temp', 'exec-hidden', 'family', 'miner-marker', 'pool-domain'],
      title: (f, n, v) => `Boot script ${f.path} line ${n} ${v.why[0] ?? ''}`,
      artifact: (f, n, line) =>
        RC_FILES.test(f.path) || !f.path.includes('/init.d/') ? { type: 'profile-line', path: f.path, lineNumber: n, line } : { type: 'init-script', path: f.path },
      remedy: 'Remove the line from the boot script (or the whole init.d script if it is the dropper).',
    }),
};
