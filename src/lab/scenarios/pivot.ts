import type { Scenario } from './types.js';
import { appendLine, installBinary, startProcess } from './kit.js';
import { legitCron } from './clean.js';

const INNOCENT = '/usr/local/sbin/logrotated';

/**
 * Only traces seen elsewhere in the run: the redis scenario's C2 domain in /etc/hosts and
 * the redis scenario's minerd (same sha256) running under an innocent name, with no pool.
 */
export const pivot: Scenario = {
  name: 'pivot',
  plan: (ctx) => {
    const hosts = `${ctx.pool} ${ctx.c2Domain}`;
    const argv = [INNOCENT, '--daemon'];
    return {
      family: 'minerd',
      plant: [...legitCron.plant(), appendLine('/etc/hosts', hosts), installBinary('minerd', INNOCENT)],
      start: [startProcess(argv)],
      artifacts: [
        ...legitCron.artifacts(),
        { kind: 'hosts-entry', path: '/etc/hosts', line: hosts, name: ctx.c2Domain, pivotOnly: true },
        { kind: 'process', path: INNOCENT, comm: 'logrotated', argv, sha256: ctx.sha256('minerd'), role: 'other', pivotOnly: true, note: 'same binary as the redis scenario minerd' },
        { kind: 'file', path: INNOCENT, sha256: ctx.sha256('minerd'), pivotOnly: true },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['minerd'],
    };
  },
};
