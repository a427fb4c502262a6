import type { UnitFile } from '../../facts/types.js';
import type { Rule } from '../types.js';
import { familyByText } from '../../evidence/family-match.js';
import { fileEvidence, finding } from '../../evidence/finding.js';
import { extractIocs } from '../../evidence/iocs-extract.js';
import { inWritableLocation } from '../../evidence/paths.js';

/** The program an ExecStart= line runs (after the -@:+! prefixes), or ''. */
export function execProgram(execStart: string): string {
  const s = execStart.replace(/^\s*[-@:+!]*/, '');
  const first = s.match(/^"([^"]*)"|^(\S+)/);
  return first ? (first[1] ?? first[2] ?? '') : '';
}

export const unitArtifact = (u: UnitFile) => ({ type: 'unit' as const, path: u.path, name: u.name, scope: u.scope });

/** A unit whose ExecStart runs from /tmp, /var/tmp, /dev/shm or a hidden directory. */
export const unitExecFromWritableDir: Rule = {
  id: 'unit.exec-from-writable-dir',
  run: (facts, { catalogue }) =>
    facts.units.flatMap((u) => {
      const bad = u.execStart.filter((e) => {
        const prog = execProgram(e);
        const args = e.split(/\s+/).slice(1);
        return inWritableLocation(prog) || (/(^|\/)(ba|da)?sh$/.test(prog) && args.some((a) => a.startsWith('/') && inWritableLocation(a)));
      });
      if (!bad.length) return [];
      return [
        finding(facts, {
          rule: 'unit.exec-from-writable-dir',
          severity: 'high',
          title: `Unit ${u.name} runs ${execProgram(bad[0]!)}${u.enabled ? ' (enabled)' : ''}`,
          family: familyByText(u.content, catalogue)?.family.id,
          evidence: [{ ...fileEvidence(u, bad.map((e) => `ExecStart=${e}`).join('\n')), kind: 'unit' }],
          iocs: bad.flatMap(extractIocs),
          artifacts: [unitArtifact(u)],
          remedy: `Stop and disable ${u.name}, quarantine ${u.path} and the program it runs.`,
        }),
      ];
    }),
};
