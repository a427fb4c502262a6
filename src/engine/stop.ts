// A stop request (SIGINT/SIGTERM during --apply): the step running on each host finishes
// and is recorded, no further step starts, and the run still writes its record and report.

export interface StopSignal {
  /** set when a stop was asked for, with why */
  reason?: string;
}

/** Turn the first SIGINT/SIGTERM into a stop request; a second one ends the process at once (the journal is already on disk). Returns the signal and a function removing the handlers. */
export function stopOnSignals(onStop?: (reason: string) => void): { signal: StopSignal; dispose(): void } {
  const signal: StopSignal = {};
  const handler = (name: NodeJS.Signals) => {
    if (signal.reason) process.exit(130);
    signal.reason = `${name}: stopped after the steps running then; the rest was not started`;
    onStop?.(name);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
