import { CHANGE_MARKERS, type Step } from '../../actions/types.js';
import { decodeLossless } from '../../core/bytes.js';
import type { StepResult } from '../../playbook/module-types.js';

/** ok / changed / failed of a planner's step, from the change markers it prints. */
export function markerStatus(step: Step, r: StepResult): 'ok' | 'changed' | 'failed' {
  if (r.code !== 0 || r.timedOut) return 'failed';
  if (step.capture) return 'ok';
  return CHANGE_MARKERS.test(decodeLossless(r.stdout)) ? 'changed' : 'ok';
}
