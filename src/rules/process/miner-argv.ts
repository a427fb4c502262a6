import type { Rule } from '../types.js';
import { familyOfProcess, minerMarker } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';
import { extractIocs } from '../../evidence/iocs-extract.js';

/** A command line with miner options: stratum URLs, --donate-level, --algo rx/0 … */
export const minerArgv: Rule = {
  id: 'process.miner-argv',
  run: (facts, { catalogue }) =>
    facts.processes.flatMap((p) => {
      if (p.kernelThread) return [];
      const argv = p.argv.join(' ');
      const marker = minerMarker(argv, catalogue);
      if (!marker) return [];
      return [
        finding(facts, {
          rule: 'process.miner-argv',
          severity: 'critical',
          title: `Miner command line (${marker.text}) in pid ${p.pid} ${p.comm}`,
          family: familyOfProcess(p, catalogue)?.family.id ?? marker.family,
          evidence: [processEvidence(p)],
          iocs: [...processIocs(p), ...extractIocs(argv)],
          artifacts: [processArtifact(p, 'miner')],
          remedy: 'Stop the miner, quarantine its executable and block the pool it names.',
        }),
      ];
    }),
};
