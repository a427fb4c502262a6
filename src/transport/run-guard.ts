import { seconds } from './phases.js';

// The last-resort guards shared by every runFleet of one command: a run deadline
// (--run-timeout) and the controller's event loop draining while hosts are still pending
// (a wait nothing can end any more). Either way the pending hosts are ended with a reason
// and runFleet returns, so the command still writes its record, report and exit code.

/** Ends a fleet's pending hosts; returns how many it ended. */
type Force = (reason: string) => number;

const fleets = new Set<Force>();
const deadlineListeners = new Set<() => void>();
let deadlineReason: string | undefined;
let deadlineTimer: NodeJS.Timeout | undefined;
let listening = false;

const DRAINED = 'the controller had nothing left to wait on while this host was still pending (a wait that could never end)';

/** End every host still pending in any fleet run; true when there was one. */
export function endPendingHosts(reason: string = DRAINED): boolean {
  let n = 0;
  for (const force of [...fleets]) n += force(reason);
  return n > 0;
}

function onBeforeExit(): void {
  endPendingHosts(DRAINED);
}

/** Arm the run deadline: `ms` after `startedAt` (default: now) every pending host ends, and no host starts. */
export function armRunDeadline(ms: number, startedAt = Date.now()): void {
  clearTimeout(deadlineTimer);
  deadlineReason = undefined;
  const fire = (): void => {
    deadlineReason = `the run deadline (--run-timeout ${seconds(ms)}) passed`;
    endPendingHosts(deadlineReason);
    for (const l of [...deadlineListeners]) l();
  };
  const left = startedAt + ms - Date.now();
  if (left <= 0) return fire();
  // unref: a finished command must not wait for it
  deadlineTimer = setTimeout(fire, left);
  deadlineTimer.unref();
}

/** The run deadline's reason once it passed, else undefined. */
export function runDeadlinePassed(): string | undefined {
  return deadlineReason;
}

/** Be told when the run deadline passes; returns the unregister. */
export function onRunDeadline(listener: () => void): () => void {
  deadlineListeners.add(listener);
  if (deadlineReason) listener();
  return () => deadlineListeners.delete(listener);
}

/** A fleet run registers how to end its pending hosts; returns the unregister. */
export function guardFleet(force: Force): () => void {
  if (!listening) {
    process.on('beforeExit', onBeforeExit);
    listening = true;
  }
  fleets.add(force);
  return () => fleets.delete(force);
}

/** For tests: forget the deadline. */
export function resetRunGuard(): void {
  clearTimeout(deadlineTimer);
  deadlineReason = undefined;
}
