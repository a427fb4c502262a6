import type { HostFacts } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { HostClock, ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Host identity and clock: hostname, time, kernel, uptime, load, CPUs, boot time and
// clock ticks (the processes parser needs them), pid_max, the probe's own pid, tools found.
const snippet = shText`
  ms_r host
  read -r ms_a < /proc/sys/kernel/hostname && ms_v hostname "$ms_a"
  ms_l now "$(date +%s)"
  read -r ms_a < /proc/sys/kernel/osrelease && ms_v release "$ms_a"
  read -r ms_a < /proc/sys/kernel/tainted && ms_v tainted "$ms_a"
  read -r ms_a ms_b < /proc/uptime && ms_v uptime "$ms_a"
  read -r ms_a ms_b ms_c ms_d < /proc/loadavg && ms_v load "$ms_a $ms_b $ms_c"
  read -r ms_a < /proc/sys/kernel/pid_max && ms_v pidmax "$ms_a"
  while read -r ms_a ms_b; do [ "$ms_a" = btime ] && ms_v btime "$ms_b"; done < /proc/stat
  ms_a=; [ -n "$MS_HAVE_nproc" ] && ms_a=$(nproc 2>/dev/null)
  [ -z "$ms_a" ] && [ -n "$MS_HAVE_getconf" ] && ms_a=$(getconf _NPROCESSORS_ONLN 2>/dev/null)
  [ -z "$ms_a" ] && ms_a=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)
  ms_v cpus "$ms_a"
  ms_a=; [ -n "$MS_HAVE_getconf" ] && ms_a=$(getconf CLK_TCK 2>/dev/null)
  ms_v clktck "\${ms_a:-100}"
  ms_l self "$MS_SELF"
  ms_v tools "$MS_TOOLS"
  ms_l enc "$MS_ENC"
  ms_r modules
  ms_fv modules /proc/modules
`;

const num = (s: string): number => (Number.isFinite(Number(s)) ? Number(s) : 0);

export function parseHost(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const h = records.find((r) => r.kind === 'host');
  if (!h) throw new Error('no host record');
  const load = h.str('load').split(/\s+/).map((x) => num(x));
  const modules = records.find((r) => r.kind === 'modules');
  const clock: HostClock = { now: h.num('now'), btime: h.num('btime'), clkTck: h.num('clktck', 100) || 100, uptime: h.num('uptime'), self: h.num('self'), pidMax: h.num('pidmax', 32768) };
  ctx.clock = clock;
  return {
    hostname: h.str('hostname'),
    collectedAt: h.num('now'),
    kernel: {
      release: h.str('release'),
      tainted: h.num('tainted'),
      modules: modules ? modules.str('modules').split('\n').filter(Boolean).map((l) => l.split(' ')[0]!) : [],
    },
    uptimeSeconds: h.num('uptime'),
    load: [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0],
    cpuCount: h.num('cpus', 1) || 1,
    meta: { bytes: 0, durationMs: 0, truncated: [], errors: [], tools: h.str('tools').split(/\s+/).filter(Boolean) },
  };
}

export const hostSection: ProbeSection = {
  name: 'host',
  snippet,
  timeoutSeconds: 10,
  parse: parseHost,
  missing: () => ({}),
};
