import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

/** An account a family creates (shaojiang99 …), or one named in an --ioc file. */
export const backdoorUser: Rule = {
  id: 'account.backdoor-user',
  run: (facts, { catalogue }) =>
    facts.accounts.flatMap((a) => {
      const fam = catalogue.families.find((f) => f.accounts.includes(a.name));
      const ioc = catalogue.iocs.find((i) => i.type === 'user' && i.value === a.name);
      if (!fam && !ioc) return [];
      return [
        finding(facts, {
          rule: 'account.backdoor-user',
          severity: 'critical',
          title: `Backdoor account ${a.name}${fam ? ` (${fam.name})` : ''}`,
          family: fam?.id ?? ioc?.family,
          evidence: [{ kind: 'account', text: `${a.name}:x:${a.uid}:${a.gid}:${a.gecos}:${a.home}:${a.shell}`, path: '/etc/passwd', lineNumber: a.line, time: a.homeMtime || undefined }],
          iocs: [{ type: 'user', value: a.name }],
          artifacts: [{ type: 'account', name: a.name, uid: a.uid }],
          remedy: `Kill ${a.name}'s processes, remove the account and its home (into quarantine).`,
        }),
      ];
    }),
};
