import type { TextFile } from '../../facts/types.js';
import type { Artifact } from '../../findings/types.js';
import { lineFindings, type LineRuleSpec } from '../cron/cron-lines.js';
import type { Rule } from '../types.js';
import { integrityOf, packageVerified } from '../integrity/lookup.js';

// Packaged init.d scripts are long shell programs that legitimately touch /tmp: only strong
// signs count there. rc.local, rc.d and inittab lines are judged like cron lines.
const STRONG = ['download-pipe-shell', 'dev-tcp', 'family', 'miner-marker', 'pool-domain', 'decoded', 'ld-preload'];
const ALL = [...STRONG, 'base64-blob', 'exec-temp', 'exec-hidden'];
const isInitD = (f: TextFile): boolean => f.path.includes('/init.d/') || f.path.startsWith('/etc/update-motd.d/');

const spec: LineRuleSpec = {
  rule: 'init.suspicious-rc',
  severity: 'high',
  reasons: ALL,
  title: (f, n, v) => `Boot script ${f.path} line ${n} ${v.why[0] ?? ''}`,
  // a line of rc.local is removed like a profile line; a dropper init.d script goes whole
  artifact: (f, lineNumber, line): Artifact => (isInitD(f) ? { type: 'init-script', path: f.path } : { type: 'profile-line', path: f.path, lineNumber, line }),
  remedy: 'Remove the line from the boot script (or the whole init.d script if it is the dropper).',
};

/** rc.local, rc.d, init.d, update-motd.d, udev rules or inittab lines that download, decode, or run dropped or family files. */
export const initSuspiciousRc: Rule = {
  id: 'init.suspicious-rc',
  run: (facts, ctx) => {
    // a script its package vouches for gets the strong signs only; one no package owns, all of them
    const packaged = (f: TextFile): boolean => packageVerified(facts, f.path) || (integrityOf(facts, f.path)?.package !== undefined && integrityOf(facts, f.path)?.state !== 'modified');
    const scripts = facts.initScripts.filter((f) => isInitD(f) && f.linkTarget === undefined);
    return [
      ...lineFindings(facts, scripts.filter(packaged), ctx, { ...spec, reasons: STRONG }),
      ...lineFindings(facts, scripts.filter((f) => !packaged(f)), ctx, spec),
      ...lineFindings(facts, facts.initScripts.filter((f) => !isInitD(f)), ctx, spec),
    ];
  },
};
