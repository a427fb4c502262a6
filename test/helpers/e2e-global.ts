// e2e project: whatever happened, the shared lab is brought down at the end of the run
// (and a lab left over from a crashed earlier run is removed before it starts).
import { labSkipReason, labDown } from './lab.js';

export async function setup(): Promise<void> {
  if (!labSkipReason() && !process.env.MINESWEEP_KEEP_LAB) await labDown().catch(() => undefined);
}

export async function teardown(): Promise<void> {
  if (!labSkipReason() && !process.env.MINESWEEP_KEEP_LAB) await labDown();
}
