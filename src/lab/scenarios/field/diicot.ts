import type { Scenario } from '../types.js';
import { appendLine, cronLine, ROOT_CRONTAB, writeFile, WALLET } from '../kit.js';

// Modelled on: Bitdefender's Diicot report (2021), as reported in "Bitdefender: Romanian
// hackers' group mining cryptocurrencies using worldwide victims' devices",
// https://www.infobalkans.com/2021/07/14/bitdefender-romanian-hackers-group-mining-cryptocurrencies-using-worldwide-victims
// (SSH brute force, a modified XMRig; later reports: payloads in a hidden /var/tmp directory,
// an @reboot cron, a start-up file line, an SSH key left behind). The host is caught between
// runs: nothing mines yet, the config waits.
const DIR = '/var/tmp/.update-logs';

export const diicot: Scenario = {
  name: 'diicot',
  plan: (ctx) => {
    const key = `${ctx.keys.diicot!.publicKey} admin@srv`;
    const boot = `@reboot ${DIR}/Update >/dev/null 2>&1`;
    const rc = `(${DIR}/Update >/dev/null 2>&1 &)`;
    const config = JSON.stringify({ 'donate-level': 1, 'randomx': { '1gb-pages': true }, pools: [{ url: `${ctx.pool}:3333`, user: WALLET, 'rig-id': 'x' }] }, null, 2);
    return {
      family: 'diicot',
      plant: [
        writeFile(`${DIR}/config.json`, config),
        writeFile(`${DIR}/Update`, '#!/bin/sh\nexit 0\n', '755'),
        cronLine(boot),
        appendLine('/root/.bashrc', rc),
        'mkdir -p /root/.ssh && chmod 700 /root/.ssh',
        appendLine('/root/.ssh/authorized_keys2', key, '600'),
      ],
      start: [],
      artifacts: [
        { kind: 'file', path: `${DIR}/config.json`, note: 'dormant miner config' },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: boot },
        { kind: 'profile-line', path: '/root/.bashrc', line: rc },
        { kind: 'key', path: '/root/.ssh/authorized_keys2', line: key, comment: 'admin@srv', fingerprint: ctx.keys.diicot!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: [],
      sources: [{ url: 'https://www.infobalkans.com/2021/07/14/bitdefender-romanian-hackers-group-mining-cryptocurrencies-using-worldwide-victims', title: "Bitdefender: Romanian hackers' group mining cryptocurrencies using worldwide victims' devices" }],
    };
  },
};
