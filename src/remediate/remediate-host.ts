import path from 'node:path';
import { decodeLossless } from '../core/bytes.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { parseQuarantineOutput } from '../quarantine/manifest.js';
import type { QuarantineRecord, TaskRecord } from '../run/types.js';
import { safeName } from '../run/safe-name.js';
import { writeEvidenceFile } from '../run/run-dir.js';
import { mkdirPrivate, writePrivate } from '../run/private-files.js';
import { fingerprintOfKeyFile } from '../sweep/controller-keys.js';
import type { Session } from '../transport/types.js';
import type { Phase } from '../actions/types.js';
import { quarantineDirFor, type ControllerInfo, type RemediateContext } from './context.js';
import { parseEvidence } from './evidence-frame.js';
import { artifactsOf, planRemediation, planSteps, type RemediationPlan } from './plan.js';
import { overallStatus, runSteps, taskRecords, type StepOutcome } from './run-steps.js';

// One host of `minesweep remediate`: who the controller is, the plan, and with --apply the
// steps run in order, evidence saved into the run directory as it arrives, quarantine
// records collected.

/** The controller as this host sees it, and the key it logs in with. */
export async function controllerInfo(session: Session): Promise<ControllerInfo> {
  const c = await session.controller();
  const info: ControllerInfo = { address: c.address, sshPort: c.sshPort, user: session.target.user };
  const fp = session.target.privateKeyFile ? fingerprintOfKeyFile(session.target.privateKeyFile, process.env['MINESWEEP_KEY_PASSPHRASE']) : null;
  if (fp) info.keyFingerprint = fp;
  return info;
}

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
      ? { hostPath: it.path, absent: true }
      : { ...writeEvidenceFile(runDir, host, it.path.startsWith('/proc/') ? `${it.path}.bin` : it.path, decodeLossless(it.content)), hostPath: it.path, sha256: it.sha256, size: it.content.length },
  );
  const file = path.join(runDir, 'evidence', safeName(host), 'captured.json');
  mkdirPrivate(path.dirname(file));
  writePrivate(file, JSON.stringify(index, null, 1) + '\n');
  return items.filter((i) => i.content !== null).length;
}

export async function remediateHost(
  session: Session,
  input: { runId: string; runDir: string; facts: HostFacts; findings: Finding[]; apply: boolean; phases?: Set<Phase>; timeoutMs?: number },
): Promise<HostRemediation> {
  const controller = await controllerInfo(session);
  const quarantineDir = quarantineDirFor(input.runId);
  const ctx: RemediateContext = { runId: input.runId, host: session.target.name, facts: input.facts, controller, quarantineDir };
  const plan = planRemediation(artifactsOf(input.findings), ctx, input.phases);
  const result: HostRemediation = { plan, tasks: [], quarantine: [], outcomes: [], evidenceFiles: 0 };
  if (!input.apply) return result;
  result.outcomes = await runSteps(session, planSteps(plan), {
    become: true,
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    onStep: (o) => {
      if (o.step.capture === 'evidence' && o.record.status !== 'failed') result.evidenceFiles += saveEvidence(input.runDir, ctx.host, o.stdout);
      else result.quarantine.push(...parseQuarantineOutput(decodeLossless(o.stdout), quarantineDir));
    },
  });
  result.tasks = taskRecords('remediate', 'remediate', result.outcomes);
  return result;
}

export { overallStatus };
