import type { Rule } from '../types.js';
import { lineFindings } from '../cron/cron-lines.js';

/** A shell profile line that downloads, decodes, runs from a temp dir, or names a family. */
export const profileSuspiciousLine: Rule = {
  id: 'profile.suspicious-line',
  run: (facts, ctx) =>
    lineFindings(facts, facts.profiles, ctx, {
      rule: 'profile.suspicious-line',
      severity: 'high',
      reasons: ['download-pipe-shell', 'base64-blob', 'dev-tcp', 'exec-temp', 'family', 'miner-marker', 'pool-domain'],
      title: (f, n, v) => `Shell profile ${f.path} line ${n} ${v.why[0] ?? ''}`,
      artifact: (f, lineNumber, line) => ({ type: 'profile-line', path: f.path, lineNumber, line }),
      remedy: 'Remove the line: it runs every time someone logs in.',
    }),
};
