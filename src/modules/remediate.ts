import { PHASES, nothing, type Phase } from '../actions/types.js';
import { masked } from '../core/mask.js';
import { defineModule } from '../playbook/module-types.js';
import { markerStatus } from './support/marker-status.js';
import { saveEvidence } from './support/save-evidence.js';
import { artifactsOf, planRemediation, planSteps } from '../remediate/plan.js';

// `remediate`: the built-in ordered cleanup of this host's findings (from a detect task or
// a sweep run), optionally limited to some phases. Evidence is saved into the run
// directory as it arrives; quarantine records go to the run record. The result holds
// `notes` (what the guards refused, what is left to harden), `plan` (the planned steps,
// masked) and `planned` (how many), and after the evidence step `evidence_files`.

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
    const plan = steps.map((s) => ({ phase: s.phase, description: masked(s.description, s.mask), command: masked(s.command, s.mask), ...(s.diff ? { diff: masked(s.diff, s.mask) } : {}) }));
    const data = { notes: p.notes, planned: steps.length, plan };
    return steps.length ? { kind: 'steps', steps, data } : { ...nothing(p.notes.join('; ') || 'nothing to remove'), data };
  },
  stepStatus: markerStatus,
  afterStep(step, r, ctx) {
    if (step.capture === 'evidence' && ctx.runDir && r.code === 0) return { data: { evidence_files: saveEvidence(ctx.runDir, ctx.host, r.stdout) } };
    return undefined;
  },
});
