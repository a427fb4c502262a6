import type { Rule } from '../types.js';
import { familyOfProcess } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';
import { packageDeviation } from '../integrity/lookup.js';
import { stripDeleted } from '../../evidence/paths.js';
import { processRole } from './role.js';

/** A process runs a file from a system directory that no package owns, or a modified package file. */
export const unownedSystemBinary: Rule = {
  id: 'process.untrusted-system-binary',
  run: (facts, { catalogue }) =>
    facts.processes.flatMap((p) => {
      if (p.kernelThread || !p.exe || p.exeDeleted) return [];
      const why = packageDeviation(facts, stripDeleted(p.exe));
      if (!why) return [];
      return [
        finding(facts, {
          rule: 'process.untrusted-system-binary',
          severity: 'medium',
          title: `Process ${p.comm} (pid ${p.pid}) runs ${stripDeleted(p.exe)}: ${why.replace(`${stripDeleted(p.exe)} `, '')}`,
          family: familyOfProcess(p, catalogue)?.family.id,
          evidence: [processEvidence(p), { kind: 'file', text: why, path: stripDeleted(p.exe) }],
          iocs: processIocs(p),
          artifacts: [processArtifact(p, processRole(p, facts, catalogue)), ...(why.includes('differs from package') ? [] : [{ type: 'file' as const, path: stripDeleted(p.exe), reason: why }])],
          remedy: 'Packages own what lives in system directories: preserve the binary, stop the process, find what starts it.',
        }),
      ];
    }),
};
