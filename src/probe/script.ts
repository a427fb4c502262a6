import { randomBytes } from 'node:crypto';
import { quote } from '../core/quote.js';
import type { ProbeSection } from './section.js';
import { sections } from './sections/index.js';
import { integrityHelpers } from './sections/integrity.js';
import { PKG_HELPERS } from './pkg-helpers.js';
import { shText } from './sh-text.js';

/** Bounds and inputs of one probe run; every value reaches the script through core/quote.ts. */
export interface ScriptOptions {
  /** list files changed within this many seconds */
  since?: number;
  /** catalogue path globs to check (`~/` = every home) */
  paths?: string[];
  /** one extended regular expression of miner markers (the markers section greps small files in writable/hidden places for it) */
  markerRegex?: string;
  /** overall time budget, seconds (sections past it are skipped and flagged) */
  budgetSeconds?: number;
  /** bytes of any one file's content */
  fileCap?: number;
  maxProcesses?: number;
  /** files per file section */
  maxFiles?: number;
  maxUnits?: number;
  /** executables larger than this are not hashed */
  hashCap?: number;
  maxHashes?: number;
  /** bytes of the --since file list */
  recentCap?: number;
  /** force the data encoding (tests): r = raw lines behind '|' (GNU sed), b = base64, x = od hex */
  encoding?: 'r' | 'b' | 'x';
  /** gzip the output after its first line where the host has gzip (default true) */
  compress?: boolean;
  /** renice/ionice the probe where the tools exist (default true) */
  gentle?: boolean;
  /** replace PATH (tests: a busybox-only PATH) */
  path?: string;
  /** only these sections (tests) */
  only?: string[];
  /** multiply every section's timeout (slow or very busy hosts) */
  timeoutScale?: number;
  /** boundary between files in batched reads; random per run unless given (tests) */
  nonce?: string;
}

export const DEFAULTS = {
  budgetSeconds: 100,
  fileCap: 64 * 1024,
  maxProcesses: 32768,
  maxFiles: 2000,
  maxUnits: 3000,
  hashCap: 128 * 1024 * 1024,
  maxHashes: 200,
  recentCap: 1024 * 1024,
};

const TOOLS = ['base64', 'od', 'gzip', 'md5sum', 'sha256sum', 'stat', 'readlink', 'lsattr', 'ps', 'ss', 'netstat', 'lsof', 'systemctl', 'sshd', 'redis-cli', 'nc', 'iptables', 'ip6tables', 'timeout', 'nproc', 'getconf', 'find', 'crontab'];

// Framing helpers, defined once (records.ts reads what they print). Every value a host
// controls goes through ms_enc; ms_v prints safe words literally and encodes the rest.
const helpers = shText`
LC_ALL=C; export LC_ALL
umask 077
MS_SELF=$$
# gentle on production: nice 10 (unless already nicer) and the lowest best-effort I/O class,
# inherited by every process the probe starts
if [ -n "$MS_GENTLE" ]; then
  read -r ms_x < /proc/$$/stat; set -- \${ms_x##*) }
  [ "\${17:-0}" -lt 10 ] 2>/dev/null && command -v renice >/dev/null 2>&1 && renice -n 10 -p $$ >/dev/null 2>&1
  command -v ionice >/dev/null 2>&1 && ionice -c 2 -n 7 -p $$ >/dev/null 2>&1
fi
MS_TOOLS=
for ms_a in @TOOLS@; do
  command -v $ms_a >/dev/null 2>&1 || continue
  MS_TOOLS="$MS_TOOLS $ms_a"
  case $ms_a in redis-cli) eval MS_HAVE_redis_cli=1;; *) eval "MS_HAVE_$ms_a=1";; esac
done
# data encoding: r = every line behind '|' (a sed that keeps NULs and a missing last newline:
# GNU), else base64, else od hex
if [ -z "$MS_ENC" ]; then
  case $(printf 'a\000b\nc' | sed 's/^/|/' 2>/dev/null | od -An -tx1 2>/dev/null) in *'7c 61 00 62 0a 7c 63') MS_ENC=r;; esac
fi
if [ -z "$MS_ENC" ]; then
  MS_ENC=x
  [ -n "$MS_HAVE_base64" ] && [ "$(printf 'ms' | base64 2>/dev/null)" = bXM= ] && MS_ENC=b
fi
# grep options that prefix every line or NUL record with its file name, binary or not:
# GNU (-a: no binary-file summary), busybox (no binary test at all); empty without -H -z
MS_PGREP=
if command -v xargs >/dev/null 2>&1; then
  if [ "$(printf 'a\000b\000' | grep -a -H -z -c '' - 2>/dev/null)" = '(standard input):2' ]; then MS_PGREP='-a -H'
  elif [ "$(printf 'a\000b\000' | grep -H -z -c '' - 2>/dev/null)" = '(standard input):2' ]; then MS_PGREP=-H
  fi
fi
# batched /proc reads (GNU grep -z, find -printf, xargs), else one process at a time
MS_BATCH=
[ "$MS_PGREP" = '-a -H' ] && [ -n "$MS_HAVE_find" ] && [ -n "$(find /proc/self/exe -maxdepth 0 -printf '%l' 2>/dev/null)" ] && MS_BATCH=1
# readlink with several operands and NUL-terminated output (GNU): links are then read in batches
MS_RLZ=
[ "$(readlink -z -- /proc/self/fd/0 /proc/self/fd/0 2>/dev/null | tr '\0' :)" = /dev/null:/dev/null: ] && MS_RLZ=1
ms_enc() { case $MS_ENC in r) sed 's/^/|/'; printf '\n~\n';; b) base64;; *) od -An -v -tx1;; esac; }
MS_NL='
'
# ms_encv VALUE: ms_enc of a shell value, byte for byte; raw values up to 4 KiB are framed by the
# shell itself (no process), longer ones and the other encodings go through ms_enc
ms_encv() {
  if [ "$MS_ENC" != r ] || [ \${#1} -gt 4096 ]; then printf '%s' "$1" | ms_enc; return 0; fi
  ms_er=$1
  while :; do
    case $ms_er in
      '') printf '\n~\n'; return 0;;
      *"$MS_NL"*) printf '|%s\n' "\${ms_er%%"$MS_NL"*}"; ms_er=\${ms_er#*"$MS_NL"}; [ -n "$ms_er" ] || { printf '\n~\n'; return 0; };;
      *) printf '|%s\n~\n' "$ms_er"; return 0;;
    esac
  done
}
ms_r() { printf '@R %s\n' "$1"; }
ms_l() { printf '@L %s %s\n' "$1" "$2"; }
ms_v() {
  case $2 in
    *[!A-Za-z0-9_./:+,@%=-]*) printf '@B %s\n' "$1"; ms_encv "$2";;
    *) printf '@L %s %s\n' "$1" "$2";;
  esac
}
ms_fv() { printf '@B %s\n' "$1"; ms_enc < "$2"; }
ms_trunc() { printf '\n@T %s\n' "$1"; }
# uptime in centiseconds
ms_now() { read -r ms_up ms_x < /proc/uptime; ms_up=\${ms_up%.*}\${ms_up#*.}; }
ms_now; MS_T0=$ms_up
ms_t() { ms_ts=$1; shift; if [ -n "$MS_HAVE_timeout" ]; then timeout "$ms_ts" "$@"; else "$@"; fi; }
ms_link() { ms_lt=$(readlink "$1" 2>/dev/null; printf .); ms_lt=\${ms_lt%.}; ms_lt=\${ms_lt%?}; }
MS_N=0; MS_CAP=$MS_MAXFILES; MS_CUT=; MS_TAG=
ms_count() {
  MS_N=$((MS_N + 1))
  if [ $MS_N -gt "$MS_CAP" ]; then [ -n "$MS_CUT" ] || ms_trunc "count>$MS_CAP"; MS_CUT=1; return 1; fi
  case $MS_N in *00) ms_now; if [ $((ms_up - MS_T0)) -ge $((MS_BUDGET * 100)) ]; then ms_trunc budget; MS_CAP=0; MS_CUT=1; return 1; fi;; esac
  return 0
}
ms_file() {
  ms_ff=$1; ms_fl=$2
  ms_r f
  ms_v path "$ms_ff"
  [ -n "$MS_TAG" ] && ms_v tag "$MS_TAG"
  ms_il=; [ -L "$ms_ff" ] && { ms_il=1; ms_link "$ms_ff"; ms_v link "$ms_lt"; }
  ms_st=$(stat -L -c '%a %u %g %s %Y %f' "$ms_ff" 2>/dev/null)
  ms_l stat "$ms_st"
  case $ms_fl in *a*) [ -n "$MS_HAVE_lsattr" ] && { ms_a=$(lsattr -d "$ms_ff" 2>/dev/null); ms_v attrs "\${ms_a%% *}"; };; esac
  case $ms_fl in *n*) return 0;; esac
  [ -n "$ms_il" ] && case $ms_fl in *l*) return 0;; esac
  [ -f "$ms_ff" ] && [ -r "$ms_ff" ] || return 0
  set -- $ms_st
  case $ms_fl in *g*)
    ms_l excerpt 1; printf '@B content\n'
    grep -E '^[[:space:]]*([[]|Exec|Description=|WantedBy=|RequiredBy=|Alias=|On[A-Za-z]*=|Unit=|User=)' "$ms_ff" | head -c "$MS_FILECAP" | ms_enc
    return 0;;
  esac
  if [ "\${4:-0}" -gt "$MS_FILECAP" ]; then
    ms_l trunc 1; printf '@B content\n'; head -c "$MS_FILECAP" "$ms_ff" | ms_enc
  else
    printf '@B content\n'; ms_enc < "$ms_ff"
  fi
}
# ms_dir DIR FLAGS DEPTH: every file of a directory tree. Plain-named regular files (and, with
# flag l, links) are read in one batch per tree (ms_batch: one stat, one lsattr, one readlink,
# one cat); other names and kinds go through ms_file one by one.
ms_dir() {
  [ -d "$1" ] || return 0
  ms_start
  ms_walk "$@"; ms_wr=$?
  ms_batch "$2"
  return $ms_wr
}
ms_walk() {
  [ -d "$1" ] || return 0
  for ms_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$ms_e" ] || [ -L "$ms_e" ] || continue
    if [ -d "$ms_e" ] && [ ! -L "$ms_e" ]; then
      [ "$3" -gt 1 ] && { ms_walk "$ms_e" "$2" $(($3 - 1)) || return 1; }
      continue
    fi
    ms_count || return 1
    ms_add "$2" "$ms_e"
  done
  return 0
}
# ms_add FLAGS PATH: queue a file for the next ms_batch, or read it now (ms_file) when its name
# is not plain or it is neither a regular file nor (with flag l) a link
ms_add() {
  case $2 in *[!A-Za-z0-9_./:+,@%=-]*) ms_file "$2" "$1"; return 0;; esac
  if [ -L "$2" ]; then
    case $1 in *l*) [ -n "$MS_RLZ" ] && { ms_bl="$ms_bl $2"; return 0; };; esac
  elif [ -f "$2" ] && [ -r "$2" ]; then
    ms_bf="$ms_bf $2"; return 0
  fi
  ms_file "$2" "$1"
}
# ms_start: an empty batch (then ms_add / ms_walk, then ms_batch FLAGS)
ms_start() { ms_bf=; ms_bl=; }
# ms_files FLAGS PATH...: the files that exist, as one batch
ms_files() {
  ms_ffl=$1; shift
  ms_start
  for ms_e; do [ -e "$ms_e" ] || [ -L "$ms_e" ] || continue; ms_count || break; ms_add "$ms_ffl" "$ms_e"; done
  ms_batch "$ms_ffl"
}
# one record for many plain-named files: stat lines, lsattr lines, NUL-separated link targets,
# and the contents of the files within the cap concatenated in the order of "read" (the
# parser cuts them by the stat sizes); a file over the cap gets its own ms_file record
ms_batch() {
  [ -n "$ms_bf$ms_bl" ] || return 0
  ms_bfl=$1
  ms_bst=$(stat -L -c '%a %u %g %s %Y %f %n' -- $ms_bf $ms_bl 2>/dev/null)
  ms_small=; ms_big=
  case $ms_bfl in *n*) ;; *)
    set -- $ms_bst
    while [ $# -ge 7 ]; do
      case " $ms_bf " in *" $7 "*)
        if [ "$4" -le "$MS_FILECAP" ]; then ms_small="$ms_small $7"; else ms_big="$ms_big $7"; fi;;
      esac
      shift 7
    done;;
  esac
  ms_vsplit "$ms_small"; ms_small=$ms_vkeep
  ms_r batch
  [ -n "$MS_TAG" ] && ms_v tag "$MS_TAG"
  ms_l flags "$ms_bfl"
  ms_l files "$ms_bf"
  ms_l links "$ms_bl"
  ms_l read "$ms_small"
  [ -n "$ms_vinfo" ] && { printf '@B verified\n'; ms_encv "$ms_vinfo$MS_NL"; }
  printf '@B stat\n'; ms_encv "$ms_bst"
  case $ms_bfl in *a*) [ -n "$MS_HAVE_lsattr" ] && { printf '@B attrs\n'; lsattr -d -- $ms_bf $ms_bl 2>/dev/null | ms_enc; };; esac
  [ -n "$ms_bl" ] && { printf '@B targets\n'; readlink -z -- $ms_bl 2>/dev/null | ms_enc; }
  [ -n "$ms_small" ] && { printf '@B content\n'; cat -- $ms_small 2>/dev/null | ms_enc; }
  for ms_e in $ms_big; do ms_file "$ms_e" "$ms_bfl"; done
  return 0
}
ms_vendor() {
  [ -d "$1" ] || return 0
  ms_vf=; ms_vl=
  for ms_e in "$1"/* "$1"/*/*; do
    [ -e "$ms_e" ] || [ -L "$ms_e" ] || continue
    [ -d "$ms_e" ] && [ ! -L "$ms_e" ] && continue
    ms_count || return 1
    case $ms_e in *[!A-Za-z0-9_./:+,@%=-]*) ms_file "$ms_e" l; continue;; esac
    if [ -L "$ms_e" ]; then ms_vl="$ms_vl $ms_e"; elif [ -f "$ms_e" ]; then ms_vf="$ms_vf $ms_e"; fi
  done
  ms_r vendor
  ms_l dir "$1"
  [ -n "$MS_TAG" ] && ms_v tag "$MS_TAG"
  ms_l nonce "$MS_NONCE"
  ms_l links "$ms_vl"
  [ -n "$ms_vf" ] || return 0
  ms_vsplit "$ms_vf" nohash
  [ -n "$ms_vinfo" ] && { printf '@B verified\n'; ms_encv "$ms_vinfo$MS_NL"; }
  printf '@B stat\n'
  stat -L -c '%a %u %g %s %Y %f %n' $ms_vf 2>/dev/null | ms_enc
  # a unit its package vouches for: only what it runs (Exec*) and starts (Unit=)
  printf '@B content\n'
  awk -v b="$MS_NONCE" -v v=" $ms_vpaths " 'FNR == 1 { print b " " FILENAME; pv = index(v, " " FILENAME " ") }
    pv && !/^[ \t]*(Exec|Unit=)/ { next }
    /^[ \t]*(\[|Exec|Description=|WantedBy=|RequiredBy=|Alias=|On[A-Za-z]*=|Unit=|User=)/' $ms_vf 2>/dev/null | ms_enc
}
# ms_vsplit PLAIN-PATHS [nohash]: of these files, those the probe's package pass found verified
# as configuration ("pkg sha256 path" lines in ms_vinfo, sha256 '-' with nohash; paths in
# ms_vpaths) and the rest (ms_vkeep). A verified file carrying a miner marker is suspicious: it
# stays with the rest.
ms_vsplit() {
  ms_vkeep=$1; ms_vpaths=; ms_vinfo=
  [ -n "$MS_PKGDONE" ] && [ -n "$1" ] || return 0
  ms_vsus=; [ -n "$MS_MARKRE" ] && ms_vsus=$(grep -lE -- "$MS_MARKRE" $1 2>/dev/null | tr '\n' ' ')
  ms_vo=$(printf '%s\n' "$MS_PKGT" | awk -F '\t' -v l="$1" -v s=" $ms_vsus " '
    $1 == "verified" && $3 ~ /(^|,)config(,|$)/ && !index(s, " " $4 " ") { v[$4] = $2 }
    END { n = split(l, a, " "); k = ""; w = ""; for (i = 1; i <= n; i++) if (a[i] in v) w = w " " a[i]; else k = k " " a[i]
      print k; print w; for (i = 1; i <= n; i++) if (a[i] in v) print v[a[i]] " - " a[i] }')
  { read -r ms_vkeep; read -r ms_vpaths; ms_vinfo=$(cat); } <<MS_EOF
$ms_vo
MS_EOF
  [ -n "$ms_vpaths" ] && [ -n "$MS_HAVE_sha256sum" ] && [ "$2" != nohash ] || return 0
  ms_vinfo=$({ printf '%s\n@@\n' "$ms_vinfo"; sha256sum -- $ms_vpaths 2>/dev/null; } | awk '
    p == 0 { if ($0 == "@@") { p = 1; next } pk[$3] = $1; o[++n] = $3; next }
    { h[$2] = $1 }
    END { for (i = 1; i <= n; i++) print pk[o[i]] " " ((o[i] in h) ? h[o[i]] : "-") " " o[i] }')
}
ms_each_home() {
  ms_seen='|'
  while IFS=: read -r ms_u ms_x ms_i ms_g ms_c ms_h ms_s || [ -n "$ms_u" ]; do
    [ -n "$ms_h" ] && [ -d "$ms_h" ] || continue
    case $ms_seen in *"|$ms_h|"*) continue;; esac
    ms_seen="$ms_seen$ms_h|"
    "$1" "$ms_u" "$ms_h" < /dev/null || break
  done < /etc/passwd
}
ms_tree() {
  ms_tr=" $1 "; ms_pp=
  for ms_s in /proc/[0-9]*/stat; do
    read -r ms_x < "$ms_s" || continue
    ms_y=\${ms_s#/proc/}; ms_x=\${ms_x##*) }
    set -- $ms_x
    ms_pp="$ms_pp \${ms_y%/stat}:$2"
  done
  ms_more=1
  while [ -n "$ms_more" ]; do
    ms_more=
    for ms_x in $ms_pp; do
      case $ms_tr in *" \${ms_x#*:} "*) case $ms_tr in *" \${ms_x%%:*} "*) ;; *) ms_tr="$ms_tr\${ms_x%%:*} "; ms_more=1;; esac;; esac
    done
  done
  for ms_x in $ms_tr; do [ "$ms_x" = 1 ] || [ "$ms_x" = "$MS_SELF" ] || printf '%s ' "$ms_x"; done
}
# ms_watch SECONDS FUNCTION: run it in a subshell; at SECONDS its whole process tree is killed (status 137)
ms_watch() {
  ( "$2" )&
  ms_sp=$!
  ( trap 'kill $ms_ws 2>/dev/null; exit 0' TERM
    sleep $1 & ms_ws=$!; wait $ms_ws
    kill -STOP $ms_sp; kill -9 $(ms_tree $ms_sp) ) >/dev/null 2>&1 &
  ms_wd=$!
  wait $ms_sp; ms_rc=$?
  kill $ms_wd 2>/dev/null; wait $ms_wd 2>/dev/null
  return $ms_rc
}
# ms_cpu: CPU ticks of this shell's waited-for descendants (cutime + cstime of its own stat:
# a section's subshell tree once it was waited for)
ms_cpu() { read -r ms_x < /proc/self/stat; set -- \${ms_x##*) }; ms_cpu=$((\${14:-0} + \${15:-0})); }
ms_run() {
  printf '@S %s\n' "$1"
  ms_now; ms_rem=$(((MS_BUDGET * 100 - (ms_up - MS_T0) + 99) / 100))
  if [ $ms_rem -le 0 ]; then printf '@T budget\n@E %s 124\n' "$1"; return 0; fi
  [ "$2" -lt $ms_rem ] && ms_rem=$2
  ms_cpu; ms_c0=$ms_cpu
  ms_watch $ms_rem "ms_sec_$1"; ms_rc=$?
  [ $ms_rc -eq 137 ] && printf '\n@T timeout'
  ms_t1=$ms_up; ms_now; ms_cpu
  printf '\n@E %s %s %s %s\n' "$1" $ms_rc $(((ms_up - ms_t1) * 10)) $((ms_cpu - ms_c0))
}
`.replace('@TOOLS@', TOOLS.join(' ')) + PKG_HELPERS + integrityHelpers;

function optionLines(o: ScriptOptions): string {
  const v = (name: string, value: string | number | undefined): string => `${name}=${quote(value ?? '')}\n`;
  return (
    v('MS_BUDGET', Math.max(1, Math.floor(o.budgetSeconds ?? DEFAULTS.budgetSeconds))) +
    v('MS_FILECAP', o.fileCap ?? DEFAULTS.fileCap) +
    v('MS_MAXPROC', o.maxProcesses ?? DEFAULTS.maxProcesses) +
    v('MS_MAXFILES', o.maxFiles ?? DEFAULTS.maxFiles) +
    v('MS_MAXUNITS', o.maxUnits ?? DEFAULTS.maxUnits) +
    v('MS_HASHCAP', o.hashCap ?? DEFAULTS.hashCap) +
    v('MS_MAXHASH', o.maxHashes ?? DEFAULTS.maxHashes) +
    v('MS_RECENTCAP', o.recentCap ?? DEFAULTS.recentCap) +
    v('MS_SINCE_MIN', o.since !== undefined && o.since > 0 ? Math.max(1, Math.ceil(o.since / 60)) : '') +
    v('MS_PATHS', (o.paths ?? []).filter((p) => p !== '' && !p.includes('\n')).join('\n')) +
    v('MS_MARKRE', (o.markerRegex ?? '').replace(/\n/g, '')) +
    v('MS_ENC', o.encoding ?? '') +
    v('MS_GZ', o.compress === false ? '' : '1') +
    v('MS_GENTLE', o.gentle === false ? '' : '1') +
    v('MS_NONCE', o.nonce ?? `ms${randomBytes(16).toString('hex')}`) +
    (o.path !== undefined ? v('PATH', o.path) : 'PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n') +
    'export PATH\n'
  );
}

/**
 * The whole probe as one POSIX sh script (dash, busybox sh, bash) for `sh -s`. It is one
 * brace group read to its end before anything runs, with stdin from /dev/null, so no command
 * can eat the rest of the script; stderr is discarded (the output carries its own errors).
 * Each section runs in a subshell with a watchdog that kills its process tree when its time
 * (bounded by what is left of the overall budget) is up.
 */
export function buildScript(opts: ScriptOptions = {}, list: ProbeSection[] = sections): string {
  const chosen = opts.only ? list.filter((s) => opts.only!.includes(s.name)) : list;
  const fns = chosen.map((s) => `ms_sec_${s.name}() {\n${s.snippet.replace(/^\n/, '')}\n}\n`).join('');
  const runs = chosen.map((s) => `ms_run ${s.name} ${Math.max(1, Math.ceil(s.timeoutSeconds * (opts.timeoutScale ?? 1)))}\n`).join('');
  // one package check for the whole probe, before the sections (integrity and the file sections read its table)
  const integrity = chosen.find((s) => s.name === 'integrity');
  const pass = integrity
    ? `ms_now; ms_t1=$ms_up; ms_cpu; ms_c0=$ms_cpu\nMS_PKGDONE=; MS_PKGT=$(ms_watch ${Math.max(1, Math.ceil(integrity.timeoutSeconds * (opts.timeoutScale ?? 1)))} ms_pkg_pass) && MS_PKGDONE=1\nMS_PKGODD=\${MS_PKGT%%"@@TABLE $MS_NONCE"*}; MS_PKGT=\${MS_PKGT#*"@@TABLE $MS_NONCE"?}\nms_now; ms_cpu; printf '@C package-pass %s %s\\n' $(((ms_up - ms_t1) * 10)) $((ms_cpu - ms_c0))\n`
    : '';
  const main = `ms_main() {\nprintf '@MINESWEEP 1 %s\\n' "$MS_ENC"\n${pass}${runs}printf '@END\\n'\n}\n`;
  // with gzip, everything after the "@GZ" line is one gzip stream (records.ts undoes it)
  const tail = `if [ -n "$MS_GZ" ] && [ -n "$MS_HAVE_gzip" ]; then printf '@GZ\\n'; ms_main | gzip -c; else ms_main; fi\n`;
  return `{\n${optionLines(opts)}${helpers}${fns}${main}${tail}} </dev/null 2>/dev/null\n`;
}
