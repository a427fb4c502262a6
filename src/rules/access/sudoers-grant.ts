import type { Rule } from '../types.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { commandLines } from '../../evidence/line-judge.js';
import { newerThanHost } from './baseline.js';

// "alice ALL=(ALL:ALL) NOPASSWD: ALL", "alice ALL=(ALL) ALL", "Defaults:alice !authenticate"
const GRANT = /^\s*([A-Za-z0-9_.-]+)\s+\S+\s*=\s*(?:\([^)]*\)\s*)?((?:[A-Z_]+:\s*)*)ALL\s*$/;

/**
 * sudoers or sudoers.d grants everything to an account that has uid 0 or an empty password, or
 * passwordless root to a password login created after the host was set up: how droppers keep
 * root after adding a user. Grants to key-only or password-prompting admin accounts are the
 * admins' business (fleet stacking still sees a grant few hosts of a group have).
 */
export const sudoersGrant: Rule = {
  id: 'sudoers.grant-all',
  run: (facts) =>
    facts.sudoers.flatMap((file) =>
      commandLines(file).flatMap(({ lineNumber, line }) => {
        const m = GRANT.exec(line);
        if (!m || m[1] === 'root' || m[1]!.startsWith('%')) return [];
        const user = m[1]!;
        const a = facts.accounts.find((x) => x.name === user);
        const pw = facts.shadow.find((s) => s.name === user)?.password;
        const nopasswd = /NOPASSWD/.test(m[2]!);
        // a passwordless grant to a password login made after the host: how a dropper keeps root
        const late = nopasswd && pw === 'hash' && newerThanHost(facts, user);
        const why = [a && a.uid === 0 ? 'has uid 0' : '', late ? 'logs in with a password and was created after the host was set up' : '', pw === 'empty' ? 'has an empty password' : ''].filter(Boolean);
        if (!a || !why.length) return [];
        return [
          finding(facts, {
            rule: 'sudoers.grant-all',
            severity: 'high',
            title: `${file.path} gives ${user} ${/NOPASSWD/.test(m[2]!) ? 'passwordless ' : ''}root: the account ${why.join(' and ')}`,
            evidence: [lineEvidence(file, lineNumber, line), { kind: 'account', text: `${a.name}:x:${a.uid}:${a.gid}:${a.gecos}:${a.home}:${a.shell}`, path: '/etc/passwd', lineNumber: a.line }],
            iocs: [{ type: 'user', value: user }],
            artifacts: [{ type: 'profile-line', path: file.path, lineNumber, line }, { type: 'account', name: user, uid: a.uid }],
            remedy: `Remove the line (visudo -c afterwards), then lock or remove ${user} if nobody claims it.`,
          }),
        ];
      }),
    ),
};
