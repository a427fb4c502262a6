import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/** A loaded kernel module of a known rootkit (Diamorphine, Reptile …). */
export const rootkitModule: Rule = {
  id: 'kernel.rootkit-module',
  run: (facts, { catalogue }) =>
    facts.kernel.modules
      .filter((m) => catalogue.rootkitModules.includes(m.toLowerCase()))
      .map((m) =>
        finding(facts, {
          rule: 'kernel.rootkit-module',
          severity: 'critical',
          title: `Rootkit kernel module ${m} is loaded (kernel taint ${facts.kernel.tainted})`,
          evidence: [{ kind: 'config', text: `lsmod: ${m}; tainted=${facts.kernel.tainted}` }],
          iocs: [],
          artifacts: [],
          remedy: 'A kernel rootkit means nothing on this host can be trusted: preserve evidence and rebuild it.',
        }),
      ),
};
