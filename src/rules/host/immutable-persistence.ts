import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

const KEY_FILE = /\/authorized_keys2?$/;

/**
 * chattr +i / +a on cron, unit, preload, passwd/shadow or key files: malware locks its
 * persistence. A locked authorized_keys alone is what hardening does, so it counts only
 * on a host that already has other findings.
 */
export const immutablePersistence: Rule = {
  id: 'attr.immutable-persistence',
  phase: 2,
  run: (facts, { prior = [] }) => {
    const compromised = prior.length > 0;
    return Object.entries(facts.attributes)
      .filter(([, attrs]) => /[ia]/.test(attrs.replace(/-/g, '')))
      .filter(([path]) => compromised || !KEY_FILE.test(path))
      .map(([path, attrs]) =>
        finding(facts, {
          rule: 'attr.immutable-persistence',
          severity: 'high',
          title: `${path} is locked (${attrs.replace(/-/g, '')}) against changes`,
          family: prior.find((f) => f.family && f.evidence.some((e) => e.path === path))?.family,
          evidence: [{ kind: 'file', text: `lsattr: ${attrs} ${path}`, path }],
          iocs: [],
          artifacts: [{ type: 'immutable', path, attrs }],
          remedy: `chattr -ia ${path} before cleaning it.`,
        }),
      );
  },
};
