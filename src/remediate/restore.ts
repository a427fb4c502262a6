import { quote } from '../core/quote.js';
import type { Artifact } from '../findings/types.js';
import { undoPrelude } from '../quarantine/undo-lib.js';
import type { RemediateContext } from './context.js';
import type { PhasePlan } from './phase-plan.js';

// Restore (step 8): a system binary the malware renamed (ps → ps.original, replaced by a
// script) gets its name back once the replacement is in quarantine. The rename is recorded
// before it happens, so rollback can undo it; whatever holds the name is never overwritten.

export function planRestore(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const plan: PhasePlan = { steps: [], notes: [] };
  for (const a of artifacts) {
    if (a.type !== 'renamed-binary') continue;
    plan.steps.push({
      phase: 'restore',
      become: true,
      journal: true,
      description: `restore ${a.replacement} from ${a.original}`,
      command: `${undoPrelude(ctx.quarantineDir)}
if [ -e ${quote(a.replacement)} ] || [ -L ${quote(a.replacement)} ]; then echo "MS-STILL-THERE: the replacement was not quarantined" >&2; exit 1; fi
if [ -e ${quote(a.original)} ] || [ -L ${quote(a.original)} ]; then ms_rename ${quote(a.original)} ${quote(a.replacement)} || exit 1; [ "$MS_PHASE" = record ] || echo MS-CHANGED; fi
`,
    });
  }
  return plan;
}
