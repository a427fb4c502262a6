import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import type { RemediateContext } from './context.js';
import { protectedProcess } from './guards.js';
import { droppedExe, type PhasePlan } from './phase-plan.js';

// Processes (step 6): the whole family in one pass — SIGSTOP every target (watchdogs
// first) and their children, then SIGKILL them all, so a watchdog cannot respawn a miner
// in between. Each listed pid is re-matched by its start time (a recycled pid is never
// hit); running copies of a dropped malicious executable are caught by exe path. PID 1,
// sshd, the shell running this step and every one of its ancestors (the controller's
// session) are never signalled — checked again on the host at run time.

const ROLE_ORDER = { watchdog: 0, other: 1, miner: 2 } as const;

/** Seconds of tolerance when re-matching a pid's start time (tick rounding). */
export const START_TOLERANCE = 2;

const KILL_LIB = String.raw`
ms_hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
ms_btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
ms_statf() { i=$2; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${'$'}{s##*) }; set -- $s; eval "printf '%s' \"\${$i}\""; }
ms_start() { t=$(ms_statf "$1" 20) || return 1; echo $(( ms_btime + t / ms_hz )); }
ms_ppid() { ms_statf "$1" 2; }
ms_prot=" 1 "
p=$$
while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do ms_prot="$ms_prot$p "; p=$(ms_ppid "$p"); done
ms_protected() {
  case "$ms_prot" in *" $1 "*) return 0;; esac
  c=$(cat "/proc/$1/comm" 2>/dev/null)
  case "$c" in sshd|sshd-session|systemd|init|dropbear) return 0;; esac
  case "$(readlink "/proc/$1/exe" 2>/dev/null)" in */sshd|*/sshd-session) return 0;; esac
  return 1
}
ms_stopped=" "
ms_stop() {
  case "$ms_stopped" in *" $1 "*) return 0;; esac
  [ -d "/proc/$1" ] || return 0
  if ms_protected "$1"; then printf 'MS-PROTECTED %s\n' "$1"; return 0; fi
  kill -STOP "$1" 2>/dev/null && ms_stopped="$ms_stopped$1 " && printf 'MS-STOPPED %s %s\n' "$1" "$(cat "/proc/$1/comm" 2>/dev/null)"
}
ms_target() {
  [ -d "/proc/$1" ] || { printf 'MS-GONE %s\n' "$1"; return 0; }
  st=$(ms_start "$1") || return 0
  d=$(( st - $2 )); [ "$d" -lt 0 ] && d=$(( -d ))
  if [ "$d" -gt ${'$'}{ms_tol} ]; then printf 'MS-RECYCLED %s started %s, expected %s: not touched\n' "$1" "$st" "$2"; return 0; fi
  ms_stop "$1"
}
ms_by_exe() {
  for d in /proc/[0-9]*; do
    x=$(readlink "$d/exe" 2>/dev/null) || continue
    if [ "$x" = "$1" ] || [ "$x" = "$1 (deleted)" ]; then ms_stop "${'$'}{d#/proc/}"; fi
  done
}
ms_children() {
  n=0
  for d in /proc/[0-9]*; do
    c=${'$'}{d#/proc/}
    case "$ms_stopped" in *" $c "*) continue;; esac
    pp=$(ms_ppid "$c") || continue
    case "$ms_stopped" in *" $pp "*) ms_stop "$c"; n=1;; esac
  done
  [ "$n" = 1 ]
}
`;

type ProcessArtifact = Extract<Artifact, { type: 'process' }>;

export function planProcesses(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const plan: PhasePlan = { steps: [], notes: [] };
  const procs = artifacts
    .filter((a): a is ProcessArtifact => a.type === 'process')
    .filter((a, i, all) => all.findIndex((b) => b.pid === a.pid) === i)
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const targets = procs.filter((p) => {
    const refused = protectedProcess(p.pid, ctx.facts.processes, p.comm);
    if (refused) plan.notes.push(`not killing ${p.comm} (${p.pid}): ${refused}`);
    return !refused;
  });
  if (!targets.length) return plan;
  const exes = [...new Set(targets.map((t) => droppedExe(t.exe)).filter((e): e is string => e !== null))];
  const body = [
    `ms_tol=${START_TOLERANCE}`,
    KILL_LIB,
    ...targets.map((t) => `ms_target ${t.pid} ${Math.round(t.startTime)}`),
    ...exes.map((e) => `ms_by_exe ${quote(e)}`),
    'i=0; while [ $i -lt 5 ] && ms_children; do i=$((i+1)); done',
    'for p in $ms_stopped; do kill -KILL "$p" 2>/dev/null && printf "MS-KILLED %s\\n" "$p"; done',
    '[ "$ms_stopped" = " " ] || echo MS-CHANGED',
  ];
  plan.steps.push({
    phase: 'processes',
    become: true,
    description: `stop (SIGSTOP) then kill (SIGKILL) in one pass: ${targets.map((t) => `${t.comm}[${t.pid}, ${t.role}]`).join(', ')}${exes.length ? `, any process running ${exes.join(', ')}` : ''}, and their children`,
    command: body.join('\n') + '\n',
  });
  return plan;
}
