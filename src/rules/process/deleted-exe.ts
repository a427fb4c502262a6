import type { Rule } from '../types.js';
import { familyOfProcess } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';
import { inPackagedPath, isMemfd } from '../../evidence/paths.js';
import { processRole } from './role.js';

/** A process whose executable was deleted after start (outside packaged paths, where upgrades do that). */
export const deletedExe: Rule = {
  id: 'process.deleted-exe',
  run: (facts, { catalogue }) =>
    facts.processes
      .filter((p) => !p.kernelThread && p.exeDeleted && !inPackagedPath(p.exe) && !isMemfd(p.exe))
      .map((p) =>
        finding(facts, {
          rule: 'process.deleted-exe',
          severity: 'high',
          title: `Process ${p.comm} (pid ${p.pid}) runs a deleted executable`,
          family: familyOfProcess(p, catalogue)?.family.id,
          evidence: [processEvidence(p)],
          iocs: processIocs(p),
          artifacts: [processArtifact(p, processRole(p, facts, catalogue))],
          remedy: `Copy /proc/${p.pid}/exe as evidence (it still works), then stop the process.`,
        }),
      ),
};
