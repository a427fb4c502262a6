import type { TextFile } from '../../facts/types.js';
import type { Artifact } from '../../findings/types.js';
import { lineFindings, type LineRuleSpec } from '../cron/cron-lines.js';
import type { Rule } from '../types.js';

// Packaged init.d scripts are long shell programs that legitimately touch /tmp: only strong
// signs count there. rc.local, rc.d and inittab lines are judged like cron lines.
const STRONG = ['download-pipe-shell', 'dev-tcp', 'family', 'miner-marker', 'pool-domain'];
const ALL = [...STRONG, 'base64-blob', 'exec-temp', 'exec-hidden'];
const isInitD = (f: TextFile): boolean => f.path.includes('/init.d/');

const spec: LineRuleSpec = {
  rule: 'init.suspicious-rc',
  severity: 'high',
  reasons: ALL,
  title: (f, n, v) => `Boot script ${f.path} line ${n} ${v.why[0] ?? ''}`,
  // a line of rc.local is removed like a profile line; a dropper init.d script goes whole
  artifact: (f, lineNumber, line): Artifact => (isInitD(f) ? { type: 'init-script', path: f.path } : { type: 'profile-line', path: f.path, lineNumber, line }),
  remedy: 'Remove the line from the boot script (or the whole init.d script if it is the dropper).',
};

/** rc.local, rc.d, init.d or inittab lines that download, decode, or run dropped or family files. */
export const initSuspiciousRc: Rule = {
  id: 'init.suspicious-rc',
  run: (facts, ctx) => [
    ...lineFindings(facts, facts.initScripts.filter(isInitD), ctx, { ...spec, reasons: STRONG }),
    ...lineFindings(facts, facts.initScripts.filter((f) => !isInitD(f)), ctx, spec),
  ],
};
