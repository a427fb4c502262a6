import type { Scenario } from './types.js';
import { appendLine, cronLine, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, writeFile, WALLET } from './kit.js';
import { LEGIT_CRON } from './clean.js';

const DIR = '/root/.configrc5';
const MINER = `${DIR}/a/kswapd0`;

/** Outlaw: ~/.configrc5/a/kswapd0, .configrc5 cron lines, /tmp/.X2xi-unix/.rsync, key "mdrfckr". */
export const outlaw: Scenario = {
  name: 'outlaw',
  plan: (ctx) => {
    const argv = [MINER, '-o', stratum(ctx.pool, 3333), '--donate-level', '1', '-u', WALLET];
    const upd = ['#!/bin/sh', `cd ${DIR}/a`, 'pgrep -x kswapd0 >/dev/null && exit 0', `setsid ${argv.join(' ')} </dev/null >/dev/null 2>&1 &`, ''].join('\n');
    const lines = [
      `*/1 * * * * ${DIR}/a/upd>/dev/null 2>&1`,
      `@reboot ${DIR}/a/upd>/dev/null 2>&1`,
      `5 8 * * 0 ${DIR}/b/sync>/dev/null 2>&1`,
      `@reboot ${DIR}/b/sync>/dev/null 2>&1`,
      '0 0 */3 * * /tmp/.X2xi-unix/.rsync/c/aptitude>/dev/null 2>&1',
    ];
    const key = `${ctx.keys.outlaw!.publicKey} mdrfckr`;
    return {
      family: 'outlaw',
      plant: [
        ...LEGIT_CRON.map((l) => cronLine(l)),
        ...lines.map((l) => cronLine(l)),
        writeFile(`${DIR}/cron.d`, lines.join('\n') + '\n'),
        installBinary('outlaw', MINER),
        writeFile(`${DIR}/a/upd`, upd, '755'),
        writeFile(`${DIR}/b/sync`, '#!/bin/sh\nexit 0\n', '755'),
        writeFile('/tmp/.X2xi-unix/.rsync/c/aptitude', '#!/bin/sh\nexit 0\n', '755'),
        writeFile('/tmp/.X2xi-unix/.rsync/initall', '#!/bin/sh\nexit 0\n', '755'),
        appendLine('/root/.ssh/authorized_keys', key, '600'),
      ],
      start: [`(cd ${DIR}/a && ${startProcess(argv)})`],
      artifacts: [
        processArtifact(argv, 'outlaw', ctx.sha256('outlaw'), 'miner', `${ctx.pool}:3333`),
        { kind: 'file', path: MINER, sha256: ctx.sha256('outlaw') },
        { kind: 'file', path: `${DIR}/a/upd` },
        { kind: 'file', path: '/tmp/.X2xi-unix/.rsync/c/aptitude' },
        { kind: 'connection', remote: `${ctx.pool}:3333`, comm: 'kswapd0' },
        ...lines.map((line) => ({ kind: 'cron-line' as const, path: ROOT_CRONTAB, line })),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: LEGIT_CRON[1]!, legitimate: true },
        { kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment: 'mdrfckr', fingerprint: ctx.keys.outlaw!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: 60,
      binaries: ['outlaw'],
    };
  },
};
