import type { HostFacts, RedisFact } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Redis: every redis-server process (its title shows "ADDR:PORT"), whether it answers PING
// without a password on loopback (redis-cli, else nc; 3 s), its INFO version and config file
// when it does; and the config files found (argv, INFO, the usual places) reduced ON THE HOST
// to bind / port / protected-mode / include lines and whether requirepass is set — never its value.
const snippet = shText`
  ms_cfs=
  # one grep over every comm finds the instances (no shell loop over all processes)
  for ms_d in $(grep -l -E '^redis-(server|sentinel)' /proc/[0-9]*/comm 2>/dev/null); do
    ms_d=\${ms_d%/comm}
    ms_r instance
    ms_l pid "\${ms_d#/proc/}"
    ms_w=$(tr -s '\0' ' ' < $ms_d/cmdline)
    ms_port=
    for ms_a in $ms_w; do
      case $ms_a in
        *.conf) ms_cfs="$ms_cfs
$ms_a";;
        *:[0-9]*) [ -z "$ms_port" ] && ms_port=\${ms_a##*:};;
      esac
    done
    case $ms_port in *[!0-9]*|'') ms_port=6379;; esac
    ms_l port $ms_port
    ms_o=
    if [ -n "$MS_HAVE_redis_cli" ]; then
      ms_o=$(ms_t 3 redis-cli -h 127.0.0.1 -p $ms_port ping 2>&1 | head -c 200)
    elif [ -n "$MS_HAVE_nc" ]; then
      ms_o=$(printf 'PING\r\n' | ms_t 3 nc -w 2 127.0.0.1 $ms_port 2>&1 | head -c 200)
    else
      ms_o=untested
    fi
    ms_v ping "$ms_o"
    case $ms_o in *PONG*) ;; *) continue;; esac
    [ -n "$MS_HAVE_redis_cli" ] || continue
    ms_o=$(ms_t 3 redis-cli -h 127.0.0.1 -p $ms_port info server 2>/dev/null | tr -d '\r' | grep -E '^(redis_version|config_file|executable):')
    ms_v info "$ms_o"
    ms_a=$(printf '%s\n' "$ms_o" | sed -n 's/^config_file://p')
    [ -n "$ms_a" ] && ms_cfs="$ms_cfs
$ms_a"
  done
  ms_seen=
  ms_ifs=$IFS
  IFS='
'
  for ms_f in $ms_cfs /etc/redis/redis.conf /etc/redis.conf /etc/redis/*.conf /usr/local/etc/redis.conf /usr/local/etc/redis/*.conf /opt/redis/redis.conf; do
    IFS=$ms_ifs
    [ -f "$ms_f" ] || continue
    case $ms_seen in *"|$ms_f|"*) continue;; esac
    ms_seen="$ms_seen|$ms_f|"
    ms_r config
    ms_v path "$ms_f"
    printf '@B lines\n'
    grep -Ei '^[[:space:]]*(bind|port|protected-mode|include|unixsocket)[[:space:]]' "$ms_f" 2>/dev/null | head -n 100 | ms_enc
    grep -Eiq '^[[:space:]]*requirepass[[:space:]]+[^[:space:]]' "$ms_f" 2>/dev/null && ms_l requirepass 1
  done
  IFS=$ms_ifs
`;

interface Conf {
  path: string;
  bind: string[];
  port: number;
  protectedMode: 'yes' | 'no' | '';
  requirepass: boolean;
}

function parseConf(r: ProbeRecord): Conf {
  const c: Conf = { path: r.str('path'), bind: [], port: 6379, protectedMode: '', requirepass: r.str('requirepass') === '1' };
  for (const line of r.str('lines').split('\n')) {
    const [k = '', ...v] = line.trim().split(/\s+/);
    const key = k.toLowerCase();
    if (key === 'bind') c.bind = v;
    else if (key === 'port' && /^\d+$/.test(v[0] ?? '')) c.port = Number(v[0]);
    else if (key === 'protected-mode') c.protectedMode = v[0]?.toLowerCase() === 'no' ? 'no' : v[0]?.toLowerCase() === 'yes' ? 'yes' : '';
  }
  return c;
}

export function parseRedis(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const confs = records.filter((r) => r.kind === 'config').map(parseConf);
  const procs = new Map(ctx.facts.processes.map((p) => [p.pid, p]));
  const redis: RedisFact[] = records
    .filter((r) => r.kind === 'instance')
    .map((r) => {
      const pid = r.num('pid');
      const port = r.num('port', 6379);
      const info = r.str('info');
      const infoValue = (k: string): string => new RegExp(`^${k}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
      const conf = confs.find((c) => c.path === infoValue('config_file')) ?? confs.find((c) => c.port === port);
      const listen = ctx.facts.sockets
        .filter((s) => s.pid === pid && s.state === 'LISTEN' && s.proto.startsWith('tcp'))
        .map((s) => (s.localAddress.includes(':') ? `[${s.localAddress}]:${s.localPort}` : `${s.localAddress}:${s.localPort}`));
      return {
        pid,
        user: procs.get(pid)?.user ?? '',
        listen,
        configPath: conf?.path ?? '',
        bind: conf?.bind ?? [],
        protectedMode: conf?.protectedMode ?? '',
        requirepassSet: conf?.requirepass ?? false,
        unauthenticated: /PONG/.test(r.str('ping')),
        version: infoValue('redis_version'),
      };
    });
  return { redis };
}

export const redisSection: ProbeSection = {
  name: 'redis',
  snippet,
  timeoutSeconds: 20,
  parse: parseRedis,
  missing: () => ({ redis: [] }),
};
