import type { Rule } from '../types.js';
import { familyOfProcess } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';
import { globMatch } from '../../evidence/glob.js';
import { stripDeleted } from '../../evidence/paths.js';
import { processRole } from './role.js';

/** A userland process (it has an exe) calling itself [kworker/…], kswapd0 or another kernel thread name. */
export const kernelThreadImpostor: Rule = {
  id: 'process.kernel-thread-impostor',
  run: (facts, { catalogue }) =>
    facts.processes
      .filter((p) => !p.kernelThread && p.exe !== '')
      .filter((p) => {
        const a0 = p.argv[0] ?? '';
        const bracketed = /^\[.+\]$/.test(a0.trim());
        const bare = (n: string): string => n.replace(/^\[|\]$/g, '');
        return bracketed || [p.comm, a0].some((n) => catalogue.kernelThreadNames.some((g) => globMatch(g, bare(n))));
      })
      .map((p) =>
        finding(facts, {
          rule: 'process.kernel-thread-impostor',
          severity: 'critical',
          title: `Process pid ${p.pid} poses as kernel thread ${p.argv[0] || p.comm} but runs ${stripDeleted(p.exe)}`,
          family: familyOfProcess(p, catalogue)?.family.id,
          evidence: [processEvidence(p)],
          iocs: processIocs(p),
          artifacts: [processArtifact(p, processRole(p, facts, catalogue) === 'watchdog' ? 'watchdog' : 'miner')],
          remedy: 'Kernel threads have no executable: this is a disguised program. Preserve /proc/PID/exe and stop it.',
        }),
      ),
};
