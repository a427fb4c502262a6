import { decodeLossless } from '../core/bytes.js';
import type { Step } from '../actions/types.js';
import type { ControllerInfo as ModuleController, StepResult } from '../playbook/module-types.js';
import type { ControllerInfo } from './context.js';

// Glue between the playbook engine's module contract and the remediation planners.

/** The engine's controller info as the planners' guards read it. */
export function controllerFromModule(c: ModuleController): ControllerInfo {
  const info: ControllerInfo = { address: c.address, sshPort: c.sshPort };
  if (c.keyFingerprints?.length) {
    info.keyFingerprint = c.keyFingerprints[0]!;
    info.keyFingerprints = c.keyFingerprints;
  }
  if (c.user) info.user = c.user;
  return info;
}

const CHANGE_MARKERS = /^(MS-CHANGED|MSQ v1 |MSR-CHANGED|MS-KILLED)/m;

/** ok / changed / failed from the planners' output markers. */
export function markerStatus(step: Step, r: StepResult): 'ok' | 'changed' | 'failed' {
  if (r.code !== 0 || r.timedOut) return 'failed';
  if (step.capture) return 'ok';
  return CHANGE_MARKERS.test(decodeLossless(r.stdout)) ? 'changed' : 'ok';
}
