import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import type { RemediateContext } from './context.js';
import { filesToQuarantine, isRenamedOriginal } from './files.js';
import { protectedKey, protectedPath } from '../planning/guards.js';
import { droppedExe, type PhasePlan } from './phase-plan.js';

// Verify (step 9, immediate part): right after the cleanup, check on the host that no
// quarantined path is back, no removed line is back and nothing runs a dropped exe.
// The delayed re-probe after the respawn window is done by `minesweep remediate`.

const SPECIAL = 'ms_special() { [ ! -L "$1" ] && { [ -p "$1" ] || [ -S "$1" ] || [ -c "$1" ] || [ -b "$1" ]; }; }\n';

export function planVerifyNow(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const checks: string[] = [];
  for (const p of filesToQuarantine(artifacts)) {
    if (protectedPath(p)) continue;
    if (artifacts.some((a) => a.type === 'renamed-binary' && a.replacement === p)) continue; // restored in its place
    if (isRenamedOriginal(artifacts, p)) continue; // the genuine tool, renamed back by the restore phase
    // a FIFO, socket or device is recorded and left in place by design: not "back"
    checks.push(`if { [ -e ${quote(p)} ] || [ -L ${quote(p)} ]; } && ! ms_special ${quote(p)}; then printf 'MS-BACK file %s\\n' ${quote(p)}; ms_fail=1; fi`);
  }
  for (const a of artifacts) {
    if (a.type === 'cron-line' || a.type === 'profile-line' || a.type === 'hosts-entry' || (a.type === 'authorized-key' && protectedKey(a.fingerprint, ctx.controller) === null)) {
      checks.push(`if [ -f ${quote(a.path)} ] && LC_ALL=C grep -qxF -e ${quote(a.line)} -- ${quote(a.path)}; then printf 'MS-BACK line in %s\\n' ${quote(a.path)}; ms_fail=1; fi`);
    }
  }
  const exes = [...new Set(artifacts.flatMap((a) => (a.type === 'process' ? [droppedExe(a.exe)] : [])).filter((e): e is string => !!e))];
  for (const e of exes) {
    checks.push(
      `for d in /proc/[0-9]*; do x=$(readlink "$d/exe" 2>/dev/null) || continue; if [ "$x" = ${quote(e)} ] || [ "$x" = ${quote(`${e} (deleted)`)} ]; then printf 'MS-BACK process %s\\n' "\${d#/proc/}"; ms_fail=1; fi; done`,
    );
  }
  if (!checks.length) return { steps: [], notes: [] };
  return {
    steps: [
      {
        phase: 'verify',
        become: true,
        description: 'check right away that nothing removed is back (files, lines, processes)',
        command: `${SPECIAL}ms_fail=0\n${checks.join('\n')}\nexit $ms_fail\n`,
      },
    ],
    notes: [],
  };
}
