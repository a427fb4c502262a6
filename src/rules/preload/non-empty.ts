import type { Rule } from '../types.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { globMatch } from '../../evidence/glob.js';
import { commandLines } from '../../evidence/line-judge.js';
import { basename } from '../../evidence/paths.js';

/** /etc/ld.so.preload lists libraries: the classic userland rootkit that hides miners from ps/top. */
export const preloadNonEmpty: Rule = {
  id: 'preload.non-empty',
  run: (facts, { catalogue }) => {
    const file = facts.ldPreload;
    if (!file) return [];
    return commandLines(file).flatMap(({ lineNumber, line }) =>
      line
        .trim()
        .split(/[\s:]+/)
        .filter(Boolean)
        .map((entry) => {
          const fam = catalogue.families.find((f) => f.preload.some((g) => globMatch(g, basename(entry))));
          return finding(facts, {
            rule: 'preload.non-empty',
            severity: 'critical',
            title: `${file.path} preloads ${entry} into every program`,
            family: fam?.id,
            evidence: [lineEvidence(file, lineNumber, line)],
            iocs: [{ type: 'path', value: entry }],
            artifacts: [
              { type: 'preload', path: file.path, entry },
              { type: 'file', path: entry, reason: 'library preloaded through /etc/ld.so.preload' },
            ],
            remedy: `Remove ${entry} from ${file.path} first (it hides the rest), then quarantine the library.`,
          });
        }),
    );
  },
};
