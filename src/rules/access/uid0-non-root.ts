import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/** An account other than root with uid 0. */
export const uid0NonRoot: Rule = {
  id: 'account.uid0-non-root',
  run: (facts, { catalogue }) =>
    facts.accounts
      .filter((a) => a.uid === 0 && a.name !== 'root')
      .map((a) =>
        finding(facts, {
          rule: 'account.uid0-non-root',
          severity: 'critical',
          title: `Account ${a.name} has uid 0 (root powers)`,
          family: catalogue.families.find((f) => f.accounts.includes(a.name))?.id,
          evidence: [{ kind: 'account', text: `${a.name}:x:${a.uid}:${a.gid}:${a.gecos}:${a.home}:${a.shell}`, path: '/etc/passwd', lineNumber: a.line, time: a.homeMtime || undefined }],
          iocs: [{ type: 'user', value: a.name }],
          artifacts: [{ type: 'account', name: a.name, uid: a.uid }],
          remedy: `Lock and remove ${a.name} (unlock /etc/passwd and /etc/shadow with chattr -i first if needed).`,
        }),
      ),
};
