import type { Rule } from '../types.js';
import { cronLineArtifact, lineFindings } from './cron-lines.js';

/** A cron line that downloads a script and runs it (curl … | sh, wget -O- … | bash, curl -o x; sh x). */
export const cronDownloadPipeShell: Rule = {
  id: 'cron.download-pipe-shell',
  run: (facts, ctx) =>
    lineFindings(facts, facts.cron, ctx, {
      rule: 'cron.download-pipe-shell',
      severity: 'critical',
      reasons: ['download-pipe-shell', 'dev-tcp'],
      title: (f, n) => `Cron downloads and runs a script (${f.path} line ${n})`,
      artifact: cronLineArtifact,
      remedy: 'Remove the line (unlock the file with chattr -ia first if needed) and block the download host.',
    }),
};
