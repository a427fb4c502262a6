import type { Scenario } from '../types.js';
import { appendLine, installBinary, passwordUser, processArtifact, startProcess, stratum, writeFile } from '../kit.js';

// Modelled on: "How do you detect a TeamTNT intrusion?",
// https://answers.securityscientist.net/q/23695/how-do-you-detect-a-teamtnt-intrusion, and
// "How Do You Detect TeamTNT Activity?", https://answers.securityscientist.net/q/22768/how-do-you-detect-teamtnt-activity
// (bioset-named xmrig, new privileged accounts, keys added without admin action, chattr
// usage); TeamTNT's scripts copy curl/wget and chattr under other names so that blocking the
// tools does not stop them, and hide their kit in a hidden directory under /usr/sbin.
const DIR = '/usr/sbin/.configure';
const MINER = `${DIR}/bioset`;
const COPIES = [['/usr/bin/curl', '/usr/bin/cd1'], ['/usr/bin/wget', '/usr/bin/wd1'], ['/usr/bin/chattr', '/usr/bin/tntrecht']] as const;

export const teamtnt: Scenario = {
  name: 'teamtnt',
  plan: (ctx) => {
    const argv = [MINER, '-o', stratum(ctx.pool, 3333), '-k'];
    const key = `${ctx.keys.teamtnt!.publicKey} hilde@teamtnt`;
    const sudo = 'hilde ALL=(ALL) NOPASSWD: ALL';
    return {
      family: 'teamtnt',
      plant: [
        installBinary('teamtnt', MINER),
        ...COPIES.map(([from, to]) => `cp ${from} ${to}`),
        'chattr +i /usr/bin/cd1',
        ...passwordUser('hilde', 'Hilde-lab-0'),
        writeFile('/etc/sudoers.d/hilde', `${sudo}\n`, '440'),
        appendLine('/root/.ssh/authorized_keys', key, '600'),
      ],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'teamtnt', ctx.sha256('teamtnt'), 'miner', `${ctx.pool}:3333`),
        { kind: 'file', path: DIR },
        ...COPIES.map(([from, to]) => ({ kind: 'file' as const, path: to, note: `copy of ${from}` })),
        { kind: 'immutable', path: '/usr/bin/cd1', attrs: 'i' },
        { kind: 'sudoers-line', path: '/etc/sudoers.d/hilde', line: sudo },
        { kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment: 'hilde@teamtnt', fingerprint: ctx.keys.teamtnt!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['teamtnt'],
      sources: [
        { url: 'https://answers.securityscientist.net/q/23695/how-do-you-detect-a-teamtnt-intrusion', title: 'How do you detect a TeamTNT intrusion?' },
        { url: 'https://answers.securityscientist.net/q/22768/how-do-you-detect-teamtnt-activity', title: 'How Do You Detect TeamTNT Activity?' },
      ],
    };
  },
};
