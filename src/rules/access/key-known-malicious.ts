import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/** An authorized key with a family's comment (mdrfckr …) or a fingerprint from an --ioc file. */
export const keyKnownMalicious: Rule = {
  id: 'key.known-malicious-comment',
  run: (facts, { catalogue }) =>
    facts.authorizedKeys.flatMap((file) =>
      file.keys.flatMap((k) => {
        const fam = catalogue.families.find((f) => f.keyComments.some((c) => k.comment.includes(c) || k.raw.includes(c)));
        const ioc = catalogue.iocs.find((i) => i.type === 'key-fingerprint' && i.value === k.fingerprint);
        if (!fam && !ioc) return [];
        return [
          finding(facts, {
            rule: 'key.known-malicious-comment',
            severity: 'critical',
            title: `Attacker SSH key "${k.comment}" in ${file.path}`,
            family: fam?.id ?? ioc?.family,
            evidence: [{ kind: 'key', text: k.raw, path: file.path, lineNumber: k.line, time: file.mtime }],
            iocs: k.fingerprint ? [{ type: 'key-fingerprint', value: k.fingerprint }] : [],
            artifacts: [{ type: 'authorized-key', path: file.path, lineNumber: k.line, fingerprint: k.fingerprint, line: k.raw }],
            remedy: `Remove the key from ${file.path} (chattr -ia first if the file is locked).`,
          }),
        ];
      }),
    ),
};
