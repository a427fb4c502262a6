import type { HiddenPid, HostFacts, ProcessFact } from '../../facts/types.js';
import { decodeLarge, ProbeRecord } from '../records.js';
import type { HostClock, ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Processes from /proc (never from ps, which malware replaces): stat, status Uid, cmdline
// (NUL-separated argv), exe and cwd links (kernel threads: stat only), LD_PRELOAD from environ
// (only that variable leaves the host), sha256 of suspicious executables through /proc/PID/exe.
// With GNU grep/find (MS_BATCH) every PID is read in one pass: one grep per kind of file over
// all PIDs (each line or NUL record prefixed with its file name), one find for every exe and
// cwd link, one find for the suspicious exes, one sha256sum: O(processes) with a constant
// number of processes. Without find -printf (busybox) the links come from one stat and the
// suspicious exes from one awk over its output; with no grep -H -z, one PID at a time. Then hidden PIDs: in the /proc
// listing (before and after) but not in `ps`; and PIDs the kernel shows as some process's
// child (task/*/children) or parent (stat) whose /proc/PID exists (stat, not readdir) but
// which the listing left out, threads excluded (their Tgid differs), their children in turn.
const snippet = shText`
  MS_CAP=$MS_MAXPROC
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
    case "$2$ms_pre" in missing*|*" $ms_d/environ "*) printf '@B preload\n'; tr '\0' '\n' < $ms_d/environ | grep '^LD_PRELOAD=' | head -n 1 | ms_enc;; esac
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
  # the listing: /proc/N words, at most MS_MAXPROC
  set -- /proc/[0-9]*
  ms_all=$*
  if [ $# -gt "$MS_MAXPROC" ]; then
    ms_trunc "count>$MS_MAXPROC"
    ms_pl=$(printf '%s\n' "$@" | head -n "$MS_MAXPROC" | tr '\n' ' ')
  else
    ms_pl=$*
  fi
  ms_r listing
  ms_l pids "$ms_pl"
  if [ -n "$MS_PGREP" ] && { [ -n "$MS_BATCH" ] || [ -n "$MS_HAVE_stat" ]; }; then
    ms_r procs
    printf '@B stat\n'; printf '%s/stat\n' $ms_pl | xargs grep $MS_PGREP '' 2>/dev/null | ms_enc
    printf '@B status\n'; printf '%s/status\n' $ms_pl | xargs grep $MS_PGREP '^Uid:' 2>/dev/null | ms_enc
    printf '@B cmdline\n'; printf '%s/cmdline\n' $ms_pl | xargs grep $MS_PGREP -z '' 2>/dev/null | ms_enc
    printf '@B environ\n'; printf '%s/environ\n' $ms_pl | xargs grep $MS_PGREP -z '^LD_PRELOAD=' 2>/dev/null | ms_enc
    # executables outside the package directories, deleted, or in a temporary or hidden
    # directory (the same test as ms_proc's), up to MS_MAXHASH of at most MS_HASHCAP bytes
    ms_sus=
    if [ -n "$MS_BATCH" ]; then
      printf '@B links\n'
      { printf '%s/exe\n' $ms_pl; printf '%s/cwd\n' $ms_pl; } | xargs sh -c 'exec find "$@" -maxdepth 0 -printf "%p\0%l\0"' sh 2>/dev/null | ms_enc
      [ -n "$MS_HAVE_sha256sum" ] && ms_sus=$(printf '%s/exe\n' $ms_pl | xargs sh -c 'exec find "$@" -maxdepth 0 -lname "?*" \( -lname "* (deleted)" -o -lname "/tmp/*" -o -lname "/var/tmp/*" -o -lname "/dev/shm/*" -o -lname "/run/shm/*" -o -lname "memfd:*" -o -lname "/memfd:*" -o -lname "*/.*" -o ! \( -lname "/usr/*" -o -lname "/bin/*" -o -lname "/sbin/*" -o -lname "/lib/*" -o -lname "/lib64/*" -o -lname "/opt/*" -o -lname "/snap/*" \) \) -print' sh 2>/dev/null)
    else
      # no find -printf (busybox): one stat over every link, "NONCE NAME|'NAME' -> 'TARGET'|"
      # (GNU stat with literal quoting: "NAME -> TARGET"); a target may hold newlines, never
      # the run's random boundary
      ms_l nonce "$MS_NONCE"
      ms_lk=$({ printf '%s/exe\n' $ms_pl; printf '%s/cwd\n' $ms_pl; } | QUOTING_STYLE=literal xargs stat -c "$MS_NONCE %n|%N|" 2>/dev/null)
      printf '@B slinks\n'; ms_encv "$ms_lk$MS_NL"
      [ -n "$MS_HAVE_sha256sum" ] && ms_sus=$(printf '%s\n' "$ms_lk" | awk -v b="$MS_NONCE " '
        function sus() {
          if (n !~ /\/exe$/) return
          sub(/\|$/, "", x)
          if (index(x, "\047" n "\047 -> \047") == 1) t = substr(x, length(n) + 8, length(x) - length(n) - 8)
          else if (index(x, n " -> ") == 1) t = substr(x, length(n) + 5)
          else return
          if (t == "") return
          if (t ~ / \(deleted\)$/ || t ~ /^\/(tmp|var\/tmp|dev\/shm|run\/shm)\// || t ~ /^\/?memfd:/ || index(t, "/.") || t !~ /^\/(usr|bin|sbin|lib|lib64|opt|snap)\//) print n
        }
        index($0, b) == 1 { sus(); r = substr($0, length(b) + 1); i = index(r, "|"); n = substr(r, 1, i - 1); x = substr(r, i + 1); next }
        { x = x "\n" $0 }
        END { sus() }' 2>/dev/null)
    fi
    ms_hl=
    if [ -n "$ms_sus" ]; then
      set -- $(stat -L -c '%s %n' $ms_sus 2>/dev/null)
      while [ $# -ge 2 ] && [ $ms_nh -lt "$MS_MAXHASH" ]; do
        [ "$1" -le "$MS_HASHCAP" ] 2>/dev/null && { ms_hl="$ms_hl $2"; ms_nh=$((ms_nh + 1)); }
        shift 2
      done
    fi
    [ -n "$ms_hl" ] && { printf '@B hashes\n'; sha256sum $ms_hl 2>/dev/null | ms_enc; }
  else
    ms_pre=" $(grep -l LD_PRELOAD= /proc/[0-9]*/environ 2>/dev/null | tr '\n' ' ')"
    for ms_p in $ms_pl; do ms_count || break; ms_proc \${ms_p#/proc/}; done
  fi
  if [ -n "$MS_HAVE_ps" ]; then
    ms_r ps
    printf '@B out\n'
    { ps -e -o pid= 2>/dev/null || ps -o pid 2>/dev/null; } | head -c 1000000 | ms_enc
  fi
  set -- /proc/[0-9]*
  ms_l2=$*
  ms_r listing2
  ms_l pids "$ms_l2"
  # PIDs the kernel names as a child or a parent but neither listing holds (each listed
  # PID printed twice, each candidate once: uniq -u keeps the candidates alone)
  ms_q=$( { printf '%s\n' $ms_all $ms_all $ms_l2 $ms_l2 | sed 's|^/proc/||'
    { cat /proc/[0-9]*/task/[0-9]*/children 2>/dev/null | tr ' ' '\n'
      sed -n 's/.*) . \([0-9][0-9]*\) .*/\1/p' /proc/[0-9]*/stat 2>/dev/null; } | sort -u; } | sort | uniq -u)
  ms_seen=' '
  while [ -n "$ms_q" ]; do
    set -- $ms_q; ms_n=$1; shift; ms_q=$*
    case $ms_n in *[!0-9]*|'') continue;; esac
    case $ms_seen in *" $ms_n "*) continue;; esac
    ms_seen="$ms_seen$ms_n "
    [ -d /proc/$ms_n ] || continue
    case " $ms_all $ms_l2 " in *" /proc/$ms_n "*) continue;; esac
    ms_t=; while read -r ms_a ms_b; do case $ms_a in Tgid:) ms_t=$ms_b; break;; esac; done < /proc/$ms_n/status
    [ "$ms_t" = $ms_n ] || continue
    ms_proc $ms_n missing-from-proc-listing
    ms_q="$ms_q $(cat /proc/$ms_n/task/*/children 2>/dev/null)"
  done
`;

const PF_KTHREAD = 0x00200000;

interface Stat {
  /** fields after the comm's closing ") " (a whole stat line has 50+) */
  fields: number;
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
    fields: rest.length,
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

/** PIDs of a listing record: "/proc/N" words (older probes: plain numbers). */
const pidList = (r: ProbeRecord | undefined): number[] =>
  r ? r.str('pids').split(/\s+/).map((x) => x.replace(/^\/proc\//, '')).filter((x) => /^\d+$/.test(x)).map(Number) : [];

/** Split `buf` at every `sep` byte (a trailing separator ends the last piece). */
function splitBytes(buf: Buffer, sep: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(sep); i >= 0; i = buf.indexOf(sep, start)) {
    out.push(buf.subarray(start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

/**
 * grep -H output of /proc/PID/<file>: every line (or NUL record) starts with the file name
 * and ':'. The name is plain, so everything after the first ':' is the host's bytes, even
 * when they hold newlines, ':' or another file's name. Pieces by PID, in order.
 */
export function byProcFile(buf: Buffer, file: string, sep: number): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  const re = new RegExp(`^/proc/(\\d+)/${file}:`);
  for (const piece of splitBytes(buf, sep)) {
    const head = re.exec(piece.subarray(0, 40).toString('latin1'));
    if (!head) continue;
    const pid = Number(head[1]);
    const list = out.get(pid) ?? [];
    list.push(piece.subarray(head[0].length));
    out.set(pid, list);
  }
  return out;
}

/**
 * `stat -c "NONCE %n|%N|"` over /proc/PID/{exe,cwd}: busybox prints "NAME|'NAME' -> 'TARGET'|"
 * ("NAME||" when the link cannot be read), GNU stat with literal quoting "NAME|NAME -> TARGET|".
 * Records start at a line beginning with the run's random boundary; a target may hold newlines.
 */
export function statLinks(buf: Buffer, nonce: string): Map<string, Buffer> {
  if (!/^\w{16,}$/.test(nonce)) throw new Error('link batch without a boundary');
  const out = new Map<string, Buffer>();
  const text = buf.toString('latin1');
  for (const rec of text.split(new RegExp(`(?:^|\n)${nonce} `)).slice(1)) {
    const bar = rec.indexOf('|');
    const name = rec.slice(0, bar);
    if (bar < 0 || !/^\/proc\/\d+\/(exe|cwd)$/.test(name)) continue;
    const x = rec.slice(bar + 1).replace(/\|\n?$/, '');
    const quoted = `'${name}' -> '`;
    const target = x.startsWith(quoted) && x.endsWith("'") ? x.slice(quoted.length, -1) : x.startsWith(`${name} -> `) ? x.slice(name.length + 4) : '';
    out.set(name, Buffer.from(target, 'latin1'));
  }
  return out;
}

/** A "procs" record (every PID read in one pass) → the one-PID "p" records ms_proc prints, in listing order. */
export function expandProcs(r: ProbeRecord, listing: number[]): ProbeRecord[] {
  const NL = Buffer.from('\n');
  const stats = byProcFile(r.bytes('stat'), 'stat', 0x0a);
  const status = byProcFile(r.bytes('status'), 'status', 0x0a);
  const argv = byProcFile(r.bytes('cmdline'), 'cmdline', 0);
  const environ = byProcFile(r.bytes('environ'), 'environ', 0);
  const links = r.has('slinks') ? statLinks(r.bytes('slinks'), r.str('nonce')) : new Map<string, Buffer>();
  const parts = splitBytes(r.bytes('links'), 0);
  for (let i = 0; i + 1 < parts.length; i += 2) links.set(parts[i]!.toString('latin1'), parts[i + 1] ?? Buffer.alloc(0));
  const hashes = new Map<number, string>();
  for (const line of r.str('hashes').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *]\/proc\/(\d+)\/exe$/.exec(line);
    if (m) hashes.set(Number(m[2]), m[1]!);
  }
  const out: ProbeRecord[] = [];
  for (const pid of listing) {
    const p = new ProbeRecord('p');
    out.push(p);
    p.fields.set('pid', Buffer.from(String(pid)));
    const uid = /^Uid:\s+(\d+)/.exec((status.get(pid)?.[0] ?? Buffer.alloc(0)).toString('latin1'))?.[1] ?? '';
    p.fields.set('uid', Buffer.from(uid));
    const lines = stats.get(pid);
    if (!lines) continue; // gone before grep read it
    const stat = Buffer.concat([...lines.flatMap((l, i) => (i > 0 ? [NL, l] : [l])), NL]);
    p.fields.set('stat', stat);
    const st = parseStat(stat);
    if (st && st.fields >= 20 && (st.flags & PF_KTHREAD) !== 0) continue;
    const args = argv.get(pid) ?? [];
    p.fields.set('cmdline', Buffer.concat(args.flatMap((a) => [a, Buffer.from([0])])));
    const exe = links.get(`/proc/${pid}/exe`) ?? Buffer.alloc(0);
    if (exe.length === 0) continue;
    p.fields.set('exe', exe);
    p.fields.set('cwd', links.get(`/proc/${pid}/cwd`) ?? Buffer.alloc(0));
    const preload = environ.get(pid)?.find((e) => e.subarray(0, 11).toString('latin1') === 'LD_PRELOAD=');
    if (preload) p.fields.set('preload', preload);
    const sha = hashes.get(pid);
    if (sha) p.fields.set('sha256', Buffer.from(sha));
  }
  return out;
}

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
  const listed = pidList(records.find((r) => r.kind === 'listing'));
  const batch = records.find((r) => r.kind === 'procs');
  const perPid = [...(batch ? expandProcs(batch, listed) : []), ...records.filter((x) => x.kind === 'p')];
  for (const r of perPid) {
    const p = toProcess(r, ctx.clock, ctx.users);
    if (!p) continue;
    // only a process already running when the probe started can have been left out of its
    // listing; younger ones were born during the scan (the probe's own helpers among them)
    const startedBeforeProbe = (parseStat(r.bytes('stat'))?.startTicks ?? Infinity) / ctx.clock.clkTck < ctx.clock.uptime;
    const candidate = r.str('hidden') === 'missing-from-proc-listing';
    if (candidate && !startedBeforeProbe) continue;
    processes.push(p);
    if (candidate) hiddenPids.push({ pid: p.pid, how: 'missing-from-proc-listing' });
  }
  const ps = records.find((r) => r.kind === 'ps');
  if (ps) {
    const inPs = new Set(ps.str('out').split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number));
    const second = new Set(pidList(records.find((r) => r.kind === 'listing2')));
    const own = probeOwn(processes, ctx.clock.self);
    // listed before and after ps ran, yet ps did not show it
    for (const pid of listed)
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
