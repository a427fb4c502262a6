import type { Rule } from '../types.js';
import { cronLineArtifact, lineFindings } from './cron-lines.js';

/** A cron line that runs something from /tmp, /var/tmp, /dev/shm or a hidden directory. */
export const cronExecFromWritableDir: Rule = {
  id: 'cron.exec-from-writable-dir',
  run: (facts, ctx) =>
    lineFindings(facts, facts.cron, ctx, {
      rule: 'cron.exec-from-writable-dir',
      severity: 'high',
      reasons: ['exec-temp', 'exec-hidden'],
      title: (f, n, v) => `Cron ${v.why.find((w) => w.startsWith('runs')) ?? 'runs a dropped file'} (${f.path} line ${n})`,
      artifact: cronLineArtifact,
      remedy: 'Remove the line and quarantine the file it runs.',
    }),
};
