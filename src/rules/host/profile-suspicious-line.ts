import type { Rule } from '../types.js';
import { lineFindings } from '../cron/cron-lines.js';
import { expandHome, homeOf } from '../persistence/graph.js';

/** A shell start-up line (system-wide or any user's, /etc/environment) that downloads, decodes, runs from a temp or hidden dir (~ expanded), preloads a library, or names a family. */
export const profileSuspiciousLine: Rule = {
  id: 'profile.suspicious-line',
  run: (facts, ctx) =>
    lineFindings(facts, facts.profiles, ctx, {
      rule: 'profile.suspicious-line',
      severity: 'high',
      reasons: ['download-pipe-shell', 'base64-blob', 'dev-tcp', 'exec-temp', 'exec-hidden', 'ld-preload', 'decoded', 'family', 'miner-marker', 'pool-domain'],
      expand: (f, line) => {
        const home = homeOf(facts, f.path);
        return home ? expandHome(line, home) : line;
      },
      title: (f, n, v) => `Shell profile ${f.path} line ${n} ${v.why[0] ?? ''}`,
      artifact: (f, lineNumber, line) => ({ type: 'profile-line', path: f.path, lineNumber, line }),
      remedy: 'Remove the line: it runs every time someone logs in.',
    }),
};
