import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/**
 * Keys that are not trusted (not the controller's, not in trustedKeys) on a host that is
 * already compromised, or added inside the --since window. On a clean host an unknown key
 * is the owner's business, so it is not reported.
 */
export const keyUnknown: Rule = {
  id: 'key.recently-added',
  phase: 2,
  run: (facts, { trustedKeys, sinceEpoch, prior = [] }) => {
    const compromised = prior.some((f) => f.severity === 'critical' || f.severity === 'high');
    const alreadyReported = new Set(prior.flatMap((f) => f.artifacts.flatMap((a) => (a.type === 'authorized-key' ? [`${a.path}\0${a.lineNumber}`] : []))));
    return facts.authorizedKeys.flatMap((file) => {
      const recent = sinceEpoch !== undefined && file.mtime >= sinceEpoch;
      if (!compromised && !recent) return [];
      return file.keys
        .filter((k) => !trustedKeys.has(k.fingerprint) && !alreadyReported.has(`${file.path}\0${k.line}`))
        .map((k) =>
          finding(facts, {
            rule: 'key.recently-added',
            severity: 'medium',
            title: `Unknown SSH key "${k.comment || k.fingerprint}" in ${file.path}${recent ? ' (file changed recently)' : ' on a compromised host'}`,
            evidence: [{ kind: 'key', text: k.raw, path: file.path, lineNumber: k.line, time: file.mtime }],
            iocs: [],
            artifacts: [{ type: 'authorized-key', path: file.path, lineNumber: k.line, fingerprint: k.fingerprint, line: k.raw }],
            remedy: 'Confirm with the key owner; attackers plant keys to come back. Remove it if nobody claims it.',
          }),
        );
    });
  },
};
