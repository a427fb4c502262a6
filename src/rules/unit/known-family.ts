import type { Rule } from '../types.js';
import { familyByText } from '../../evidence/family-match.js';
import { fileEvidence, finding } from '../../evidence/finding.js';
import { globMatch } from '../../evidence/glob.js';
import { extractIocs } from '../../evidence/iocs-extract.js';
import { judgeLine } from '../../evidence/line-judge.js';
import { unitArtifact } from './exec-from-writable-dir.js';

/** A unit named like a family's (bot.service, sysetmd.service …), or whose ExecStart carries a family string, miner marker or downloader. */
export const unitKnownFamily: Rule = {
  id: 'unit.known-family',
  run: (facts, { catalogue }) =>
    facts.units.flatMap((u) => {
      const byName = catalogue.families.find((f) => f.units.some((g) => globMatch(g, u.name)));
      const exec = u.execStart.join('\n');
      const byText = byName ? null : familyByText(exec, catalogue);
      const verdict = judgeLine(exec, catalogue);
      const generic = verdict.reasons.filter((r) => ['download-pipe-shell', 'base64-blob', 'dev-tcp', 'miner-marker', 'pool-domain'].includes(r));
      const family = byName?.id ?? byText?.family.id ?? verdict.family;
      if (!byName && !byText && !generic.length) return [];
      const why = byName ? `unit name of ${byName.name}` : byText ? byText.why : verdict.why.join('; ');
      return [
        finding(facts, {
          rule: 'unit.known-family',
          severity: 'critical',
          title: `Malicious unit ${u.name}: ${why}`,
          family,
          evidence: [{ ...fileEvidence(u), kind: 'unit' }],
          iocs: [{ type: 'path', value: u.path }, ...u.execStart.flatMap(extractIocs)],
          artifacts: [unitArtifact(u)],
          remedy: `Stop and disable ${u.name}, quarantine ${u.path} and what its ExecStart runs.`,
        }),
      ];
    }),
};
