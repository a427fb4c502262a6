import type { HostFacts } from '../facts/types.js';

// What the remediation planners know besides the artifacts: the host's facts, the run,
// and who the controller is (so the guards can keep it in).

/** The controller as the host sees it (Session.controller()) and the key it logs in with. */
export interface ControllerInfo {
  /** the address the host sees the controller connect from */
  address: string;
  /** the host's SSH port (never blocked) */
  sshPort: number;
  /** SHA256:… fingerprint of the key the controller logs in with, when it uses a key */
  keyFingerprint?: string;
  /** every key the controller may log in with (all kept) */
  keyFingerprints?: string[];
  /** the login user of the controller (its account is never removed) */
  user?: string;
}

export interface RemediateContext {
  runId: string;
  /** inventory name of the host */
  host: string;
  facts: HostFacts;
  controller: ControllerInfo;
  /** where quarantined files and the manifest live on the host */
  quarantineDir: string;
}

/** The host-side quarantine directory of a run. */
export function quarantineDirFor(runId: string): string {
  return `/var/lib/minesweep/quarantine/${runId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
