import type { Scenario } from './types.js';
import { installBinary, processArtifact, startProcess, stratum, installUnit, WALLET } from './kit.js';
import { legitCron } from './clean.js';
import { respawnCommand } from './ddg.js';

const WATCHDOG = '/usr/bin/systemd-cgroup';
const MINER = '/usr/bin/systemd-deltaed';


/** Skidmap-style: systemd-cgroup (watchdog) and systemd-deltaed (miner) binaries and units. */
export const skidmap: Scenario = {
  name: 'skidmap',
  plan: (ctx) => {
    const minerArgv = [MINER, '-o', stratum(ctx.pool, 3333), '-u', WALLET];
    const env = { MS_LAB_CHILD: respawnCommand(ctx.http, 'skidmap', MINER, minerArgv) };
    const units = [
      { path: '/etc/systemd/system/systemd-cgroup.service', name: 'systemd-cgroup.service', exec: WATCHDOG },
      { path: '/etc/systemd/system/systemd-deltaed.service', name: 'systemd-deltaed.service', exec: minerArgv.join(' ') },
    ];
    return {
      family: 'skidmap',
      plant: [
        ...legitCron.plant(),
        installBinary('skidmap', WATCHDOG),
        installBinary('skidmap', MINER),
        ...units.flatMap((u) => installUnit(u.path, u.name, u.exec)),
      ],
      start: [startProcess([WATCHDOG], env)],
      artifacts: [
        ...legitCron.artifacts(),
        processArtifact([WATCHDOG], 'skidmap', ctx.sha256('skidmap'), 'watchdog'),
        processArtifact(minerArgv, 'skidmap', ctx.sha256('skidmap'), 'miner', `${ctx.pool}:3333`),
        { kind: 'file', path: WATCHDOG, sha256: ctx.sha256('skidmap') },
        { kind: 'file', path: MINER, sha256: ctx.sha256('skidmap') },
        { kind: 'connection', remote: `${ctx.pool}:3333`, comm: 'systemd-deltaed' },
        ...units.map((u) => ({ kind: 'unit' as const, path: u.path, name: u.name, line: `ExecStart=${u.exec}` })),
      ],
      expectFindings: true,
      respawnSeconds: 5,
      binaries: ['skidmap'],
    };
  },
};
