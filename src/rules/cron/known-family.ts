import type { Rule } from '../types.js';
import { familyByPath } from '../../evidence/family-match.js';
import { fileEvidence, finding } from '../../evidence/finding.js';
import { cronLineArtifact, lineFindings } from './cron-lines.js';

/** A cron file a family drops (/etc/cron.d/httpd2), or a cron line with a family string, miner marker or pool. */
export const cronKnownFamily: Rule = {
  id: 'cron.known-family',
  run: (facts, ctx) => {
    const whole = facts.cron.flatMap((file) => {
      const hit = familyByPath(file.path, ctx.catalogue);
      if (!hit) return [];
      return [
        finding(facts, {
          rule: 'cron.known-family',
          severity: 'critical',
          title: `${hit.family.name} cron file ${file.path}`,
          family: hit.family.id,
          evidence: [fileEvidence(file)],
          iocs: [{ type: 'path', value: file.path }],
          artifacts: [{ type: 'file', path: file.path, reason: `${hit.family.name} cron file` }],
          remedy: `Unlock (chattr -ia) and quarantine ${file.path}.`,
        }),
      ];
    });
    const lines = lineFindings(facts, facts.cron, ctx, {
      rule: 'cron.known-family',
      severity: 'critical',
      reasons: ['family', 'miner-marker', 'pool-domain'],
      title: (f, n, v) => `Cron line ${v.why.find((w) => w.startsWith('matches') || w.startsWith('carries') || w.startsWith('names')) ?? ''} (${f.path} line ${n})`,
      artifact: cronLineArtifact,
      remedy: 'Remove the line (unlock the file first if it is immutable).',
    });
    return [...whole, ...lines];
  },
};
