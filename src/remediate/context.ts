import type { ControllerInfo } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';

// What the remediation planners know besides the artifacts: the host's facts, the run,
// and who the controller is (so the guards can keep it in).

export interface RemediateContext {
  runId: string;
  /** inventory name of the host */
  host: string;
  facts: HostFacts;
  controller: ControllerInfo;
  /** where quarantined files and the manifest live on the host */
  quarantineDir: string;
}
