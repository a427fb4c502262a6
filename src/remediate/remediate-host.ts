import path from 'node:path';
import { decodeLossless } from '../core/bytes.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import type { QuarantineRecord, TaskRecord } from '../run/types.js';
import { safeName } from '../run/safe-name.js';
import { writeEvidenceFile } from '../run/run-dir.js';
import { mkdirPrivate, writePrivate } from '../run/private-files.js';
import type { Session } from '../transport/types.js';
import type { Phase } from '../actions/types.js';
import type { Journal } from '../engine/journal.js';
import type { StopSignal } from '../engine/stop.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import type { RemediateContext } from './context.js';
import { parseEvidence } from './evidence-frame.js';
import { artifactsOf, planRemediation, planSteps, type RemediationPlan } from './plan.js';
import { overallStatus, runSteps, taskRecords, type StepOutcome } from './run-steps.js';
import { controllerInfo, undoContext } from '../engine/host-context.js';

// One host of `minesweep remediate`: who the controller is, the plan, and with --apply the
// steps run in order, evidence saved into the run directory as it arrives, quarantine
// records collected.

export interface HostRemediation {
  plan: RemediationPlan;
  tasks: TaskRecord[];
  quarantine: QuarantineRecord[];
  outcomes: StepOutcome[];
  evidenceFiles: number;
}

/** Save the evidence step's output under evidence/<host>/ (bytes exact); returns how many files. */
export function saveEvidence(runDir: string, host: string, stdout: Buffer): number {
  const items = parseEvidence(stdout);
  const index = items.map((it) =>
    it.content === null
      ? it.linkTarget !== undefined ? { hostPath: it.path, linkTarget: it.linkTarget } : { hostPath: it.path, absent: true }
      : { ...writeEvidenceFile(runDir, host, it.path.startsWith('/proc/') ? `${it.path}.bin` : it.path, decodeLossless(it.content)), hostPath: it.path, sha256: it.sha256, size: it.content.length },
  );
  const file = path.join(runDir, 'evidence', safeName(host), 'captured.json');
  mkdirPrivate(path.dirname(file));
  writePrivate(file, JSON.stringify(index, null, 1) + '\n');
  return items.filter((i) => i.content !== null).length;
}

export async function remediateHost(
  session: Session,
  input: { runId: string; runDir: string; facts: HostFacts; findings: Finding[]; apply: boolean; phases?: Set<Phase>; timeoutMs?: number; journal?: Journal; stop?: StopSignal; controllerKeys?: string[] },
): Promise<HostRemediation> {
  const controller = await controllerInfo(session, input.controllerKeys);
  const quarantineDir = quarantineDirFor(input.runId);
  const ctx: RemediateContext = { runId: input.runId, host: session.target.name, facts: input.facts, controller, quarantineDir };
  const plan = planRemediation(artifactsOf(input.findings), ctx, input.phases);
  const result: HostRemediation = { plan, tasks: [], quarantine: [], outcomes: [], evidenceFiles: 0 };
  if (!input.apply) return result;
  result.outcomes = await runSteps(session, planSteps(plan), {
    become: true,
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    undo: undoContext(ctx.host, quarantineDir, input.journal),
    ...(input.stop ? { stop: input.stop } : {}),
    onStep: (o) => {
      if (o.step.capture === 'evidence' && o.record.status !== 'failed') result.evidenceFiles += saveEvidence(input.runDir, ctx.host, o.stdout);
      result.quarantine.push(...o.records);
    },
  });
  result.tasks = taskRecords('remediate', 'remediate', result.outcomes);
  return result;
}

export { overallStatus };
