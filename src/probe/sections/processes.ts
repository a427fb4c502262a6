import type { HiddenPid, HostFacts, ProcessFact } from '../../facts/types.js';
import { decodeLarge, type ProbeRecord } from '../records.js';
import type { HostClock, ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Processes from /proc (never from ps, which malware replaces): stat, status Uid, cmdline
// (NUL-separated argv), exe and cwd links (kernel threads: stat only), LD_PRELOAD from environ (only that variable
// leaves the host), sha256 of suspicious executables through /proc/PID/exe. Then hidden
// PIDs: in the /proc listing (twice, before and after) but not in `ps`; and PIDs whose
// /proc/PID exists (stat, not readdir) but which the listing left out — up to the highest
// listed PID, threads excluded (their Tgid differs).
const snippet = shText`
  MS_CAP=$MS_MAXPROC
  ms_pre=" $(grep -l LD_PRELOAD= /proc/[0-9]*/environ 2>/dev/null | tr '\n' ' ')"
  ms_nh=0
  ms_proc() {
    ms_d=/proc/$1
    ms_r p
    ms_l pid "$1"
    [ -n "$2" ] && ms_l hidden "$2"
    ms_u=; while read -r ms_a ms_b ms_c; do case $ms_a in Uid:) ms_u=$ms_b; break;; esac; done < $ms_d/status
    ms_l uid "$ms_u"
    # stat read by the shell itself when it is one plain line (comm may hold anything):
    # a complete line has 20+ fields after the last ") "; field 7 there is flags (PF_KTHREAD)
    ms_sl=; read -r ms_sl < $ms_d/stat
    ms_k=\${ms_sl##*) }; ms_kt=0
    set -- $ms_k
    if [ $# -ge 20 ] && [ "$ms_k" != "$ms_sl" ]; then
      case $ms_sl in
        *[!A-Za-z0-9' ()'/:._+@%,=-]*) ms_fv stat $ms_d/stat;;
        *) ms_l stat "$ms_sl";;
      esac
      ms_kt=$(($7 & 2097152))
    else
      ms_fv stat $ms_d/stat
    fi
    [ "$ms_kt" -eq 0 ] || return 0
    ms_fv cmdline $ms_d/cmdline
    ms_link $ms_d/exe
    ms_e=$ms_lt
    [ -n "$ms_e" ] || return 0
    ms_v exe "$ms_e"
    ms_link $ms_d/cwd
    ms_v cwd "$ms_lt"
    case $ms_pre in *" $ms_d/environ "*) printf '@B preload\n'; tr '\0' '\n' < $ms_d/environ | grep '^LD_PRELOAD=' | head -n 1 | ms_enc;; esac
    ms_s=1
    case $ms_e in
      *' (deleted)'|/tmp/*|/var/tmp/*|/dev/shm/*|/run/shm/*|memfd:*|/memfd:*|*/.*) ;;
      /usr/*|/bin/*|/sbin/*|/lib/*|/lib64/*|/opt/*|/snap/*) ms_s= ;;
    esac
    [ -n "$ms_s" ] && [ -n "$MS_HAVE_sha256sum" ] || return 0
    ms_z=$(stat -L -c %s $ms_d/exe 2>/dev/null)
    ms_l exesize "$ms_z"
    if [ "\${ms_z:-0}" -le "$MS_HASHCAP" ] && [ $ms_nh -lt "$MS_MAXHASH" ]; then
      ms_nh=$((ms_nh + 1))
      ms_h=$(sha256sum < $ms_d/exe 2>/dev/null)
      ms_l sha256 "\${ms_h%% *}"
    fi
  }
  ms_list=
  for ms_x in /proc/[0-9]*; do ms_list="$ms_list \${ms_x#/proc/}"; done
  ms_r listing
  ms_l pids "$ms_list"
  ms_max=0
  for ms_p in $ms_list; do
    ms_count || break
    ms_proc $ms_p
    [ "$ms_p" -gt $ms_max ] && ms_max=$ms_p
  done
  if [ -n "$MS_HAVE_ps" ]; then
    ms_r ps
    printf '@B out\n'
    { ps -e -o pid= 2>/dev/null || ps -o pid 2>/dev/null; } | head -c 1000000 | ms_enc
  fi
  ms_l2=
  for ms_x in /proc/[0-9]*; do ms_l2="$ms_l2 \${ms_x#/proc/}"; done
  ms_r listing2
  ms_l pids "$ms_l2"
  # up to the highest listed pid: the probe's own shell is newer than anything hidden before
  # it, and pids above it are processes born during the scan
  ms_top=$ms_max
  set -- $(printf '%s\n' $ms_list $ms_l2 | sort -n)
  ms_n=1
  while [ $ms_n -le $ms_top ]; do
    while [ $# -gt 0 ] && [ "$1" -lt $ms_n ]; do shift; done
    if [ $# -gt 0 ] && [ "$1" -eq $ms_n ]; then
      :
    elif [ -d /proc/$ms_n ]; then
      ms_t=; while read -r ms_a ms_b; do case $ms_a in Tgid:) ms_t=$ms_b; break;; esac; done < /proc/$ms_n/status
      [ "$ms_t" = $ms_n ] && ms_proc $ms_n missing-from-proc-listing
    fi
    ms_n=$((ms_n + 1))
  done
`;

const PF_KTHREAD = 0x00200000;

interface Stat {
  comm: string;
  ppid: number;
  flags: number;
  ticks: number;
  startTicks: number;
}

/** /proc/PID/stat: comm is between the first '(' and the LAST ')' (it may hold ')', spaces, newlines). */
export function parseStat(buf: Buffer): Stat | null {
  const open = buf.indexOf(0x28);
  const close = buf.lastIndexOf(0x29);
  if (open < 0 || close < open) return null;
  const rest = buf.subarray(close + 1).toString('latin1').trim().split(/\s+/);
  const n = (i: number): number => Number(rest[i] ?? 0) || 0;
  return {
    comm: decodeLarge(buf.subarray(open + 1, close)),
    ppid: n(1),
    flags: n(6),
    ticks: n(11) + n(12),
    startTicks: n(19),
  };
}

/** NUL-separated argv; a trailing NUL ends the last argument (programs that rewrite their title may use spaces). */
export function parseCmdline(buf: Buffer): string[] {
  if (buf.length === 0) return [];
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) {
      parts.push(decodeLarge(buf.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < buf.length) parts.push(decodeLarge(buf.subarray(start)));
  return parts;
}

function toProcess(r: ProbeRecord, clock: HostClock, users: Map<number, string>): ProcessFact | null {
  const st = parseStat(r.bytes('stat'));
  if (!st) return null;
  const pid = r.num('pid');
  const uid = r.num('uid', -1);
  const exe = r.str('exe');
  const startAfterBoot = st.startTicks / clock.clkTck;
  const elapsed = Math.max(0, clock.uptime - startAfterBoot);
  const preload = r.str('preload').replace(/\n$/, '');
  return {
    pid,
    ppid: st.ppid,
    user: users.get(uid) ?? String(uid),
    uid,
    // lifetime average like ps %CPU: CPU seconds over seconds alive, per core (can exceed 100)
    cpuPercent: elapsed > 0 ? Math.round((st.ticks / clock.clkTck / elapsed) * 1000) / 10 : 0,
    startTime: Math.round(clock.btime + startAfterBoot),
    elapsedSeconds: Math.round(elapsed),
    comm: st.comm,
    argv: parseCmdline(r.bytes('cmdline')),
    exe,
    exeDeleted: exe.endsWith(' (deleted)'),
    cwd: r.str('cwd'),
    ldPreload: preload.startsWith('LD_PRELOAD=') ? preload.slice('LD_PRELOAD='.length) : '',
    exeSha256: /^[0-9a-f]{64}$/.test(r.str('sha256')) ? r.str('sha256') : '',
    kernelThread: exe === '' && ((st.flags & PF_KTHREAD) !== 0 || pid === 2 || st.ppid === 2),
  };
}

const pidList = (r: ProbeRecord | undefined): number[] =>
  r ? r.str('pids').split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number) : [];

/** The probe's own shell and everything under it (its short-lived helpers). */
function probeOwn(processes: ProcessFact[], self: number): Set<number> {
  const own = new Set<number>([self]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes) if (!own.has(p.pid) && own.has(p.ppid)) own.add(p.pid), (grew = true);
  }
  return own;
}

export function parseProcesses(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const processes: ProcessFact[] = [];
  const hiddenPids: HiddenPid[] = [];
  for (const r of records.filter((x) => x.kind === 'p')) {
    const p = toProcess(r, ctx.clock, ctx.users);
    if (!p) continue;
    processes.push(p);
    // only a process already running when the probe started can have been left out of its
    // listing; younger ones were born during the scan (pids wrap around)
    const startedBeforeProbe = (parseStat(r.bytes('stat'))?.startTicks ?? Infinity) / ctx.clock.clkTck < ctx.clock.uptime;
    if (r.str('hidden') === 'missing-from-proc-listing' && startedBeforeProbe) hiddenPids.push({ pid: p.pid, how: 'missing-from-proc-listing' });
  }
  const ps = records.find((r) => r.kind === 'ps');
  if (ps) {
    const inPs = new Set(ps.str('out').split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number));
    const second = new Set(pidList(records.find((r) => r.kind === 'listing2')));
    const own = probeOwn(processes, ctx.clock.self);
    // listed before and after ps ran, yet ps did not show it
    for (const pid of pidList(records.find((r) => r.kind === 'listing')))
      if (second.has(pid) && !inPs.has(pid) && !own.has(pid)) hiddenPids.push({ pid, how: 'missing-from-ps' });
  }
  return { processes, hiddenPids };
}

export const processesSection: ProbeSection = {
  name: 'processes',
  snippet,
  timeoutSeconds: 60,
  parse: parseProcesses,
  missing: () => ({ processes: [], hiddenPids: [] }),
};
