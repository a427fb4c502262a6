import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

const NO_LOGIN = /(nologin|false|sync|shutdown|halt)$/;

/** An account that can log in with an empty password. */
export const emptyPassword: Rule = {
  id: 'account.empty-password',
  run: (facts) =>
    facts.shadow
      .filter((s) => s.password === 'empty')
      .flatMap((s) => {
        const a = facts.accounts.find((x) => x.name === s.name);
        if (a && NO_LOGIN.test(a.shell)) return [];
        return [
          finding(facts, {
            rule: 'account.empty-password',
            severity: 'high',
            title: `Account ${s.name} has an empty password`,
            evidence: [{ kind: 'account', text: `${s.name}: empty password field in /etc/shadow`, path: '/etc/shadow' }],
            iocs: [],
            artifacts: a ? [{ type: 'account', name: a.name, uid: a.uid }] : [],
            remedy: `Lock ${s.name} (passwd -l) or remove it if nobody knows it.`,
          }),
        ];
      }),
};
