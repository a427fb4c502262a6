import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { Artifact } from '../findings/types.js';
import { qtag, undoPrelude } from '../quarantine/undo-lib.js';
import type { RemediateContext } from './context.js';
import { protectedAccount, protectedKey } from '../planning/guards.js';
import { groupBy, type PhasePlan } from './phase-plan.js';
import { lineRemovalStep } from './persistence.js';

// Access (step 5): unknown authorized_keys lines (never the key the controller logs in
// with; a symlinked file is not edited through) and backdoor accounts (removed from
// /etc/passwd and /etc/shadow with the originals kept in quarantine; never root or the
// controller's account).

function accountStep(ctx: RemediateContext, a: Extract<Artifact, { type: 'account' }>): Step {
  // the lines go (originals recorded in quarantine first); a symlinked passwd is never edited through
  const lines = ['/etc/passwd', '/etc/shadow'].map((f) => `ms_rewrite ${quote(f)} ${quote(qtag(f))} ms_drop_account ${quote(a.name)} || exit 1`);
  return {
    phase: 'access',
    become: true,
    journal: true,
    description: `remove backdoor account ${a.name} (uid ${a.uid}) from /etc/passwd and /etc/shadow (originals kept in quarantine)`,
    command: `${undoPrelude(ctx.quarantineDir)}MS_LINKS=keep\n${lines.join('\n')}\n`,
  };
}

export function planAccess(artifacts: Artifact[], ctx: RemediateContext): PhasePlan {
  const plan: PhasePlan = { steps: [], notes: [] };
  const keys = artifacts.filter((a): a is Extract<Artifact, { type: 'authorized-key' }> => a.type === 'authorized-key');
  const allowed = keys.filter((k) => {
    const refused = protectedKey(k.fingerprint, ctx.controller);
    if (refused) plan.notes.push(`keeping ${k.path} line ${k.lineNumber}: ${refused}`);
    return !refused;
  });
  for (const [path, list] of groupBy(allowed, (k) => k.path)) plan.steps.push(lineRemovalStep(ctx, path, list.map((k) => k.line), 'access', 'authorized key', 'keep'));
  for (const a of artifacts) {
    if (a.type !== 'account') continue;
    const refused = protectedAccount(a.name, a.uid, ctx.controller);
    if (refused) plan.notes.push(`keeping account ${a.name}: ${refused}`);
    else plan.steps.push(accountStep(ctx, a));
  }
  return plan;
}
