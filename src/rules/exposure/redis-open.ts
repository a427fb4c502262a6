import type { Rule } from '../types.js';
import { finding } from '../../evidence/finding.js';

const LOOPBACK = /^(127\.|\[?::1\]?:|localhost:)/;

/** Redis listening beyond loopback that answers without a password: how minerd and kinsing get in. */
export const redisOpen: Rule = {
  id: 'redis.open-unauthenticated',
  run: (facts) =>
    facts.redis.flatMap((r) => {
      const exposed = r.listen.filter((a) => !LOOPBACK.test(a));
      if (!exposed.length || (!r.unauthenticated && r.requirepassSet)) return [];
      // the config file from the command line when the probe could not tell (redis-server /etc/redis/x.conf)
      const argv = facts.processes.find((p) => p.pid === r.pid)?.argv ?? [];
      const fromArgv = argv.flatMap((a) => a.split(/\s+/)).find((a) => a.endsWith('.conf'));
      // redis-server rewrites its argv; the packaged unit names the config it was meant to read
      const fromUnit = facts.units.flatMap((u) => u.execStart).flatMap((e) => (/redis-server\s/.test(e) ? e.split(/\s+/) : [])).find((a) => a.endsWith('.conf'));
      const configPath = r.configPath || fromArgv || fromUnit || '';
      const guessed = !r.configPath && !fromArgv && fromUnit ? ` (config path from the redis-server unit: ${fromUnit})` : '';
      return [
        finding(facts, {
          rule: 'redis.open-unauthenticated',
          severity: r.unauthenticated ? 'critical' : 'high',
          title: `Redis on ${exposed.join(', ')} ${r.unauthenticated ? 'answers without a password' : 'has no requirepass'}`,
          evidence: [
            {
              kind: 'config',
              text: `listen ${r.listen.join(' ')}; bind ${r.bind.join(' ') || '(none)'}; protected-mode ${r.protectedMode || '?'}; requirepass ${r.requirepassSet ? 'set' : 'unset'}; user ${r.user}${guessed}`,
              ...(configPath ? { path: configPath } : {}),
              ...(r.pid !== null ? { pid: r.pid } : {}),
            },
          ],
          iocs: [],
          artifacts: [{ type: 'redis', configPath, listen: r.listen, pid: r.pid }],
          remedy: 'Bind Redis to loopback, set requirepass and protected-mode yes, and close the port in iptables (minesweep harden).',
        }),
      ];
    }),
};
