import { PHASES, nothing, type Phase } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { markerStatus } from './support/marker-status.js';
import { artifactsOf, planRemediation, planSteps } from '../remediate/plan.js';
import { saveEvidence } from '../remediate/remediate-host.js';

// `remediate`: the built-in ordered cleanup of this host's findings (from a detect task or
// a sweep run), optionally limited to some phases. Evidence is saved into the run
// directory as it arrives; quarantine records go to the run record.

type Args = { phases?: string[] };

export const module = defineModule<Args>({
  name: 'remediate',
  description: "clean the host's findings in the responders' order (evidence, contain, unlock, persistence, access, processes, files, restore, verify)",
  options: { phases: { type: 'list', items: 'string', description: `phases to run (default all): ${PHASES.join(', ')}` } },
  validate: (a) =>
    (a.phases ?? []).filter((p) => !(PHASES as readonly string[]).includes(p)).map((p) => ({ option: 'phases', message: `unknown phase ${p}`, expected: PHASES.join(', '), got: p })),
  plan(a, ctx) {
    if (!ctx.facts) return nothing('no facts for this host: run a probe/detect task first (or remediate --from a sweep run)');
    if (!ctx.findings.length) return nothing('no findings on this host');
    const only = a.phases ? new Set(a.phases as Phase[]) : undefined;
    const p = planRemediation(artifactsOf(ctx.findings), { runId: ctx.runId, host: ctx.host, facts: ctx.facts, controller: ctx.controller, quarantineDir: ctx.quarantineDir }, only);
    const steps = planSteps(p);
    return steps.length ? { kind: 'steps', steps } : nothing(p.notes.join('; ') || 'nothing to remove');
  },
  stepStatus: markerStatus,
  afterStep(step, r, ctx) {
    if (step.capture === 'evidence' && ctx.runDir && r.code === 0) saveEvidence(ctx.runDir, ctx.host, r.stdout);
  },
});
