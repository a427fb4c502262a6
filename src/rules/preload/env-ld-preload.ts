import type { Rule } from '../types.js';
import { familyOfProcess } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence } from '../../evidence/finding.js';
import { globMatch } from '../../evidence/glob.js';
import { basename, inPackagedPath } from '../../evidence/paths.js';

/** A process started with LD_PRELOAD pointing outside the packaged library directories. */
export const envLdPreload: Rule = {
  id: 'preload.env-ld-preload',
  run: (facts, { catalogue }) =>
    facts.processes.flatMap((p) => {
      const libs = p.ldPreload.split(/[\s:]+/).filter(Boolean);
      const bad = libs.filter((l) => !inPackagedPath(l) || catalogue.families.some((f) => f.preload.some((g) => globMatch(g, basename(l)))));
      if (!bad.length) return [];
      const fam = catalogue.families.find((f) => bad.some((l) => f.preload.some((g) => globMatch(g, basename(l)))));
      return [
        finding(facts, {
          rule: 'preload.env-ld-preload',
          severity: 'high',
          title: `Process ${p.comm} (pid ${p.pid}) runs with LD_PRELOAD=${bad.join(':')}`,
          family: fam?.id ?? familyOfProcess(p, catalogue)?.family.id,
          evidence: [{ ...processEvidence(p), text: `LD_PRELOAD=${p.ldPreload} in ${processEvidence(p).text}` }],
          iocs: bad.map((value) => ({ type: 'path' as const, value })),
          artifacts: [processArtifact(p, 'other'), ...bad.map((path) => ({ type: 'file' as const, path, reason: 'library injected with LD_PRELOAD' }))],
          remedy: 'Find who sets LD_PRELOAD (profile, unit Environment=), remove it and quarantine the library.',
        }),
      ];
    }),
};
