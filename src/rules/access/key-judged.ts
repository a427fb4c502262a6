import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';
import { extractIocs } from '../../evidence/iocs-extract.js';
import { judgeLine } from '../../evidence/line-judge.js';

const RISKY = ['download-pipe-shell', 'dev-tcp', 'exec-temp', 'exec-hidden', 'family', 'miner-marker', 'pool-domain', 'decoded', 'ld-preload'];

/** Does sshd read this authorized_keys2 file? (OpenSSH's default AuthorizedKeysFile names it.) */
const readsKeys2 = (setting: string): boolean => setting.trim() === '' || /authorized_keys2/.test(setting);

/**
 * SSH keys judged like every other persistence entry: a key in authorized_keys2 (sshd reads it
 * by default, people rarely look), and keys whose options run something or inject a library.
 */
export const keyJudged: Rule = {
  id: 'key.judged',
  run: (facts, { catalogue, trustedKeys }) =>
    facts.authorizedKeys.flatMap((file) =>
      file.keys.flatMap((k) => {
        if (trustedKeys.has(k.fingerprint)) return [];
        const why: string[] = [];
        if (/\/authorized_keys2$/.test(file.path) && readsKeys2(facts.authorizedKeysFileSetting)) why.push('it is in authorized_keys2, which sshd reads by default and few people check');
        const v = k.options ? judgeLine(k.options.replace(/\\"/g, '"'), catalogue) : null;
        const risky = v?.reasons.filter((r) => RISKY.includes(r)) ?? [];
        if (risky.length) why.push(`its options ${v!.why.join('; ')}`);
        if (/environment\s*=\s*"?LD_PRELOAD/i.test(k.options)) why.push('its options set LD_PRELOAD');
        if (!why.length) return [];
        return [
          finding(facts, {
            rule: 'key.judged',
            severity: risky.length ? 'high' : 'medium',
            title: `SSH key "${k.comment || k.fingerprint}" in ${file.path}: ${why[0]}`,
            family: v?.family,
            evidence: [{ kind: 'key', text: k.raw, path: file.path, lineNumber: k.line, time: file.mtime }, ...why.slice(1).map((w) => ({ kind: 'key' as const, text: w }))],
            iocs: [...(k.fingerprint ? [{ type: 'key-fingerprint' as const, value: k.fingerprint }] : []), ...extractIocs(k.options)],
            artifacts: [{ type: 'authorized-key', path: file.path, lineNumber: k.line, fingerprint: k.fingerprint, line: k.raw }],
            remedy: `Remove the key from ${file.path} unless its owner claims it (chattr -ia first if the file is locked).`,
          }),
        ];
      }),
    ),
};
