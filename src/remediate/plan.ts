import { PHASES, type Phase, type Step } from '../actions/types.js';
import type { Artifact, Finding } from '../findings/types.js';
import { planAccess } from './access.js';
import { planContain } from './contain.js';
import type { RemediateContext } from './context.js';
import { planEvidence } from './evidence.js';
import { planFiles } from './files.js';
import { planPersistence } from './persistence.js';
import type { PhasePlan } from './phase-plan.js';
import { planProcesses } from './processes.js';
import { planRestore } from './restore.js';
import { planUnlock } from './unlock.js';
import { planVerifyNow } from './verify-step.js';

// The remediation plan of one host: artifacts + facts + controller → ordered steps per
// phase, in the responders' order (DESIGN.md "Remediation order"). Pure: nothing runs.

export interface RemediationPlan {
  host: string;
  phases: Record<Phase, Step[]>;
  /** what the guards refused or the host cannot do */
  notes: string[];
  /** artifacts left to `minesweep harden` (firewall rules, redis) */
  deferred: Artifact[];
}

const PLANNERS: Record<Phase, (a: Artifact[], ctx: RemediateContext) => PhasePlan> = {
  evidence: (a, ctx) => ({ steps: planEvidence(a, ctx), notes: [] }),
  contain: planContain,
  unlock: planUnlock,
  persistence: planPersistence,
  access: planAccess,
  processes: planProcesses,
  files: planFiles,
  restore: planRestore,
  verify: planVerifyNow,
};

/** Every artifact of the findings, deduplicated by content. */
export function artifactsOf(findings: Finding[]): Artifact[] {
  const seen = new Set<string>();
  const out: Artifact[] = [];
  for (const f of findings) for (const a of f.artifacts) {
    const k = JSON.stringify(a);
    if (!seen.has(k)) { seen.add(k); out.push(a); }
  }
  return out;
}

export function planRemediation(artifacts: Artifact[], ctx: RemediateContext, only?: Set<Phase>): RemediationPlan {
  const phases = {} as Record<Phase, Step[]>;
  const notes: string[] = [];
  for (const phase of PHASES) {
    if (only && !only.has(phase)) { phases[phase] = []; continue; }
    const p = PLANNERS[phase](artifacts, ctx);
    phases[phase] = p.steps.map((s) => ({ ...s, phase }));
    notes.push(...p.notes);
  }
  const deferred = artifacts.filter((a) => a.type === 'firewall-rule' || a.type === 'redis');
  if (deferred.length) notes.push(`${deferred.length} item(s) (world-open firewall rules, Redis) are closed by \`minesweep harden\``);
  return { host: ctx.host, phases, notes, deferred };
}

/** The plan's steps in order. */
export function planSteps(plan: RemediationPlan): Step[] {
  return PHASES.flatMap((p) => plan.phases[p]);
}
