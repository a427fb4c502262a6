// e2e project under `npm test` (MINESWEEP_LAB_CLEANUP=1): whatever happened, the shared lab
// is brought down at the end of the run, and one left over from a crashed run is removed
// before it starts. A plain `vitest run` keeps the lab, to iterate on one file quickly.
import { labSkipReason, labDown } from './lab.js';

const cleanup = () => !labSkipReason() && process.env.MINESWEEP_LAB_CLEANUP === '1';

export async function setup(): Promise<void> {
  if (cleanup()) await labDown().catch(() => undefined);
}

export async function teardown(): Promise<void> {
  if (cleanup()) await labDown();
}
