import type { Rule } from '../types.js';
import { familyByPath, familyByProcessName, familyRoot } from '../../evidence/family-match.js';
import { stripDeleted } from '../../evidence/paths.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';

/** A process named like, or running from a path of, a catalogue family. */
export const knownMinerName: Rule = {
  id: 'process.known-miner-name',
  run: (facts, { catalogue }) =>
    facts.processes.flatMap((p) => {
      const byName = familyByProcessName(p, catalogue);
      const byPath = p.exe && !p.kernelThread ? familyByPath(p.exe, catalogue) : null;
      // a generic name (xmrig) in a specific family's directory belongs to that family
      const hit = byName && byName.family.generic && byPath ? { ...byPath, role: byName.role } : (byName ?? byPath);
      if (!hit) return [];
      return [
        finding(facts, {
          rule: 'process.known-miner-name',
          severity: 'critical',
          title: `${hit.family.name} process ${p.comm} (pid ${p.pid})`,
          family: hit.family.id,
          evidence: [{ ...processEvidence(p), text: `${hit.why}: ${processEvidence(p).text}` }],
          iocs: [...processIocs(p), { type: 'process-name', value: p.comm }],
          artifacts: [processArtifact(p, hit.role), ...(p.exe && !p.exe.startsWith('memfd:') ? [{ type: 'file' as const, path: familyRoot(stripDeleted(p.exe), catalogue), reason: `${hit.family.name} executable` }] : [])],
          remedy: `Stop the whole ${hit.family.name} process family (watchdogs first) and quarantine its executable.`,
        }),
      ];
    }),
};
