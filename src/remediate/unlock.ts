import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import { undoPrelude } from '../quarantine/undo-lib.js';
import type { RemediateContext } from './context.js';
import type { PhasePlan } from './phase-plan.js';
import { touchedPaths } from './touched-paths.js';

// Unlock (step 3): `chattr -i -a` on every persistence file the plan touches (and its
// directory) that carries the immutable or append-only attribute, read at run time so a
// file locked after the sweep is unlocked too. The attributes are recorded first (rollback
// puts them back); a symlink is never unlocked (chattr would act on its target).

const UNLOCK_LIB = String.raw`
ms_unlock() {
  [ -L "$1" ] && return 0
  [ -f "$1" ] || [ -d "$1" ] || return 0
  a=$(ms_lsattr "$1")
  case "$a" in *[ia]*) ;; *) return 0;; esac
  ms_before "$1" meta || return 1
  [ "$MS_PHASE" = record ] && return 0
  chattr -i -a -- "$1" && printf 'MS-CHANGED unlocked %s\n' "$a"
}
`;

export function planUnlock(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const paths = touchedPaths(artifacts);
  if (!paths.length) return { steps: [], notes: [] };
  const known = paths.filter((p) => /[ia]/.test((ctx.facts.attributes[p] ?? '').replace(/[^-a-zA-Z]/g, '')) || artifacts.some((a) => a.type === 'immutable' && a.path === p));
  return {
    steps: [
      {
        phase: 'unlock',
        become: true,
        journal: true,
        description: known.length ? `unlock (chattr -i -a) ${known.join(', ')}` : `unlock (chattr -i -a) any of ${paths.length} touched path(s) locked since the sweep`,
        command: `${undoPrelude(ctx.quarantineDir)}${UNLOCK_LIB}ms_fail=0\n${paths.map((p) => `ms_unlock ${quote(p)} || ms_fail=1`).join('\n')}\nexit $ms_fail\n`,
      },
    ],
    notes: [],
  };
}
