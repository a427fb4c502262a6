import { quote } from '../core/quote.js';
import type { Step } from '../actions/types.js';
import type { Artifact } from '../findings/types.js';
import { backupLine } from '../quarantine/plan.js';
import { quarantinePrelude } from '../quarantine/shell-lib.js';
import type { RemediateContext } from './context.js';
import { protectedAccount, protectedKey } from './guards.js';
import { groupBy, type PhasePlan } from './phase-plan.js';
import { lineRemovalStep } from './persistence.js';

// Access (step 5): unknown authorized_keys lines (never the key the controller logs in
// with) and backdoor accounts (locked, then removed from /etc/passwd and /etc/shadow with
// the originals kept in quarantine; never root or the controller's account).

/** Remove every line whose first ':'-field is NAME from a file, keeping a backup. */
function accountLines(name: string): string {
  const lines: string[] = [];
  for (const file of ['/etc/passwd', '/etc/shadow']) {
    lines.push(
      `f=${quote(file)}`,
      `if [ -f "$f" ] && N=${quote(name)} awk -F: '$1 == ENVIRON["N"] { found = 1 } END { exit !found }' "$f"; then`,
      `  ${backupLine(file)}`,
      '  chattr -i -a -- "$f" 2>/dev/null',
      '  t=$(mktemp /etc/.minesweep.XXXXXX) || exit 1',
      `  N=${quote(name)} awk -F: '$1 != ENVIRON["N"]' "$f" > "$t" && chmod --reference="$f" -- "$t" && chown --reference="$f" -- "$t" && mv -f -- "$t" "$f" || { rm -f -- "$t"; exit 1; }`,
      '  echo MS-CHANGED',
      'fi',
    );
  }
  return lines.join('\n');
}

function accountStep(ctx: RemediateContext, a: Extract<Artifact, { type: 'account' }>): Step {
  return {
    phase: 'access',
    become: true,
    description: `lock backdoor account ${a.name} (uid ${a.uid}), then remove it from /etc/passwd and /etc/shadow (originals kept in quarantine)`,
    command: `${quarantinePrelude(ctx.quarantineDir)}
if N=${quote(a.name)} awk -F: '$1 == ENVIRON["N"] { found = 1 } END { exit !found }' /etc/passwd; then
  usermod -L -- ${quote(a.name)} 2>/dev/null || passwd -l -- ${quote(a.name)} >/dev/null 2>&1
fi
${accountLines(a.name)}
`,
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
  for (const [path, list] of groupBy(allowed, (k) => k.path)) plan.steps.push(lineRemovalStep(ctx, path, list.map((k) => k.line), 'access', 'authorized key'));
  for (const a of artifacts) {
    if (a.type !== 'account') continue;
    const refused = protectedAccount(a.name, a.uid, ctx.controller);
    if (refused) plan.notes.push(`keeping account ${a.name}: ${refused}`);
    else plan.steps.push(accountStep(ctx, a));
  }
  return plan;
}
