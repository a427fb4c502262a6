import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import type { RemediateContext } from './context.js';
import type { PhasePlan } from './phase-plan.js';
import { touchedPaths } from './touched-paths.js';

// Unlock (step 3): `chattr -i -a` on every persistence file the plan touches (and its
// directory) that carries the immutable or append-only attribute, read at run time so a
// file locked after the sweep is unlocked too.

const UNLOCK_LIB = String.raw`
ms_unlock() {
  a=$(lsattr -d -- "$1" 2>/dev/null | sed -n '1s/ .*//p')
  case "$a" in *[ia]*) chattr -i -a -- "$1" && printf 'MS-CHANGED unlocked %s\n' "$a" || return 1;; esac
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
        description: known.length ? `unlock (chattr -i -a) ${known.join(', ')}` : `unlock (chattr -i -a) any of ${paths.length} touched path(s) locked since the sweep`,
        command: `${UNLOCK_LIB}ms_fail=0\n${paths.map((p) => `ms_unlock ${quote(p)} || ms_fail=1`).join('\n')}\nexit $ms_fail\n`,
      },
    ],
    notes: [],
  };
}
