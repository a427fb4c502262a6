import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import type { RemediateContext } from './context.js';
import { cronCommand } from './cron-command.js';
import { protectedProcess } from '../planning/guards.js';
import { droppedExe, type PhasePlan } from './phase-plan.js';

// Processes (step 6): the whole family in one pass — SIGSTOP every target (watchdogs
// first) and their children, then SIGKILL them all, so a watchdog cannot respawn a miner
// in between. Each listed pid is re-matched by its start time (a recycled pid is never
// hit); running copies of a dropped malicious executable are caught by exe path. PID 1,
// sshd, the shell running this step and every one of its ancestors (the controller's
// session) are never signalled — checked again on the host at run time. The host's process
// table is read in batch (one cat of every /proc/PID/stat and one awk per pass, one find for
// exe links): O(processes) with a constant of a few forks per pass, not per process.
// Runs of the persistence entries removed in step 4 that were already under way (a cron job's
// `sh -c CMD` fetching a dropper, an init script) are not in the sweep's facts: they are found
// by an argument equal to the entry's command or script path (one grep over every cmdline) and
// stopped with their children.

const ROLE_ORDER = { watchdog: 0, other: 1, miner: 2 } as const;

/** Seconds of tolerance when re-matching a pid's start time (tick rounding). */
export const START_TOLERANCE = 2;

const KILL_LIB = String.raw`
ms_hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
ms_btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
# every process in one read (one cat, one awk): "pid ppid start" (start in seconds since the epoch)
ms_snap() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v hz="$ms_hz" -v bt="$ms_btime" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print $1, f[2], bt + int(f[20] / hz) }'
}
# this shell and every ancestor (the controller's session), from one snapshot
ms_prot=" 1 $(ms_snap | awk -v me=$$ '{ pp[$1] = $2 } END { for (p = me; p > 1 && !(p in seen); p = pp[p]) { seen[p] = 1; printf "%s ", p } }')"
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
# ms_targets "PID:START ...": each listed process whose start time still matches, in order
ms_targets() {
  for t in $(ms_snap | awk -v list="$1" -v tol="$ms_tol" '{ st[$1] = $3 }
    END { n = split(list, a, " "); for (i = 1; i <= n; i++) { split(a[i], x, ":"); p = x[1]
      if (!(p in st)) print "GONE:" p
      else if (st[p] - x[2] > tol || x[2] - st[p] > tol) print "RECYCLED:" p ":" st[p] ":" x[2]
      else print "OK:" p } }'); do
    case $t in
      GONE:*) printf 'MS-GONE %s\n' "${'$'}{t#GONE:}";;
      RECYCLED:*) t=${'$'}{t#RECYCLED:}; p=${'$'}{t%%:*}; t=${'$'}{t#*:}; printf 'MS-RECYCLED %s started %s, expected %s: not touched\n' "$p" "${'$'}{t%%:*}" "${'$'}{t#*:}";;
      OK:*) ms_stop "${'$'}{t#OK:}";;
    esac
  done
}
# ms_by_exe PATH: every process running PATH (or its deleted copy); one find over the exe links
# where find has -printf (GNU), else one readlink per process
ms_by_exe() {
  if [ -n "$(find /proc/self/exe -maxdepth 0 -printf '%l' 2>/dev/null)" ]; then
    ms_x=$(find /proc/[0-9]*/exe -maxdepth 0 -printf '%p\t%l\n' 2>/dev/null | awk -F '\t' -v x="$1" '$2 == x || $2 == x " (deleted)" { p = $1; sub(/^\/proc\//, "", p); sub(/\/exe$/, "", p); print p }')
  else
    ms_x=$(for d in /proc/[0-9]*; do x=$(readlink "$d/exe" 2>/dev/null) || continue; if [ "$x" = "$1" ] || [ "$x" = "$1 (deleted)" ]; then echo "${'$'}{d#/proc/}"; fi; done)
  fi
  for p in $ms_x; do ms_stop "$p"; done
}
# ms_by_arg TEXT...: every process with an argument exactly equal to one TEXT (one grep over
# every cmdline; the patterns reach grep through the builtin printf, never as a process's argv)
ms_by_arg() {
  ms_a=$(printf '%s\n' "$@" | grep -lzFx -f - /proc/[0-9]*/cmdline 2>/dev/null | sed 's,^/proc/,,; s,/cmdline$,,')
  for p in $ms_a; do ms_stop "$p"; done
}
# children of stopped processes, one generation per call (one snapshot); false when none is new
ms_children() {
  ms_new=$(ms_snap | awk -v s="$ms_stopped" 'BEGIN { n = split(s, a, " "); for (i = 1; i <= n; i++) st[a[i]] = 1 } !($1 in st) && ($2 in st) { print $1 }')
  [ -n "$ms_new" ] || return 1
  for c in $ms_new; do ms_stop "$c"; done
  return 0
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
  const runs = entryRuns(artifacts);
  if (!targets.length && !runs.length) return plan;
  const exes = [...new Set(targets.map((t) => droppedExe(t.exe)).filter((e): e is string => e !== null))];
  const body = [
    `ms_tol=${START_TOLERANCE}`,
    KILL_LIB,
    targets.length ? `ms_targets '${targets.map((t) => `${t.pid}:${Math.round(t.startTime)}`).join(' ')}'` : '',
    ...exes.map((e) => `ms_by_exe ${quote(e)}`),
    runs.length ? `ms_by_arg ${runs.map(quote).join(' ')}` : '',
    'i=0; while [ $i -lt 10 ] && ms_children; do i=$((i+1)); done',
    'for p in $ms_stopped; do kill -KILL "$p" 2>/dev/null && printf "MS-KILLED %s\\n" "$p"; done',
    '[ "$ms_stopped" = " " ] || echo MS-CHANGED',
  ];
  plan.steps.push({
    phase: 'processes',
    become: true,
    description: `stop (SIGSTOP) then kill (SIGKILL) in one pass: ${[
      ...targets.map((t) => `${t.comm}[${t.pid}, ${t.role}]`),
      ...(exes.length ? [`any process running ${exes.join(', ')}`] : []),
      ...(runs.length ? [`any run still under way of the ${runs.length} removed persistence command(s)`] : []),
    ].join(', ')}, and their children`,
    command: body.filter(Boolean).join('\n') + '\n',
  });
  return plan;
}

/** The argument a run of a removed persistence entry carries: a cron job's command, an init script's path. */
export function entryRuns(artifacts: Artifact[]): string[] {
  const out = new Set<string>();
  for (const a of artifacts) {
    if (a.type === 'cron-line') {
      const cmd = cronCommand(a.path, a.line);
      if (cmd === null || cmd.includes('\n')) continue;
      out.add(cmd);
      if (cmd.trimEnd() !== cmd) out.add(cmd.trimEnd());
    } else if (a.type === 'init-script' && !a.path.includes('\n')) out.add(a.path);
  }
  return [...out];
}
