import type { Rule } from '../types.js';
import { fileEvidence, finding } from '../../evidence/finding.js';
import { persistenceEntries } from './graph.js';

/** A timer, path or socket unit that starts a unit another finding flagged inherits its judgement. */
export const startsFlaggedUnit: Rule = {
  id: 'persistence.starts-flagged-unit',
  phase: 2,
  run: (facts, { prior = [] }) =>
    persistenceEntries(facts).flatMap((e) => {
      if (!e.starts || e.artifact.type !== 'unit') return [];
      const flagged = prior.find((f) => f.artifacts.some((a) => a.type === 'unit' && a.name === e.starts && a.path !== e.file.path));
      if (!flagged) return [];
      return [
        finding(facts, {
          rule: 'persistence.starts-flagged-unit',
          severity: flagged.severity,
          title: `${e.artifact.name} starts ${e.starts}, which is flagged: ${flagged.title}`,
          family: flagged.family,
          evidence: [{ ...fileEvidence(e.file), kind: 'unit' }],
          artifacts: [e.artifact],
          remedy: `Stop and disable ${e.artifact.name} together with ${e.starts}: it restarts it.`,
        }),
      ];
    }),
};
