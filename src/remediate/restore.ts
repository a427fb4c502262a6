import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import { pathHex, quarantinePrelude } from '../quarantine/shell-lib.js';
import type { RemediateContext } from './context.js';
import type { PhasePlan } from './phase-plan.js';

// Restore (step 8): a system binary the malware renamed (ps → ps.original, replaced by a
// script) gets its name back once the replacement is in quarantine. The rename is
// recorded in the manifest so rollback can undo it.

export function planRestore(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const plan: PhasePlan = { steps: [], notes: [] };
  for (const a of artifacts) {
    if (a.type !== 'renamed-binary') continue;
    plan.steps.push({
      phase: 'restore',
      become: true,
      description: `restore ${a.replacement} from ${a.original}`,
      command: `${quarantinePrelude(ctx.quarantineDir)}
if [ -e ${quote(a.replacement)} ]; then echo "MS-STILL-THERE: the replacement was not quarantined" >&2; exit 1; fi
if [ -e ${quote(a.original)} ]; then ms_rename ${quote(a.original)} ${quote(a.replacement)} ${quote(pathHex(a.original))} ${quote(pathHex(a.replacement))} && echo MS-CHANGED || exit 1; fi
`,
    });
  }
  return plan;
}
