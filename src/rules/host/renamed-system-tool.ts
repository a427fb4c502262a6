import type { Rule } from '../types.js';
import { familyByPath } from '../../evidence/family-match.js';
import { finding } from '../../evidence/finding.js';

/** ps/top/pstree/netstat renamed to *.original and replaced (Cleanfda and others hide this way). */
export const renamedSystemTool: Rule = {
  id: 'binary.renamed-system-tool',
  run: (facts, { catalogue }) =>
    facts.renamedBinaries.map((b) =>
      finding(facts, {
        rule: 'binary.renamed-system-tool',
        severity: 'critical',
        title: `${b.replacement} was replaced; the real one is ${b.original}`,
        family: familyByPath(b.original, catalogue)?.family.id,
        evidence: [
          {
            kind: 'hash',
            text: `${b.original} exists; ${b.replacement} is now ${b.replacementIsScript ? 'a script' : 'a binary'} sha256 ${b.replacementSha256 || '?'}`,
            path: b.replacement,
            ...(b.replacementSha256 ? { sha256: b.replacementSha256 } : {}),
          },
        ],
        iocs: b.replacementSha256 ? [{ type: 'sha256', value: b.replacementSha256.toLowerCase() }] : [],
        artifacts: [{ type: 'renamed-binary', original: b.original, replacement: b.replacement }],
        remedy: `Quarantine the fake ${b.replacement} and move ${b.original} back; do not trust ps/top output until then.`,
      }),
    ),
};
