import type { Step } from '../actions/types.js';

// What each phase planner returns: steps, plus notes on what it refused or left out
// (guards, missing tools) that the plan shows and the run records.
export interface PhasePlan {
  steps: Step[];
  notes: string[];
}

export const emptyPlan = (): PhasePlan => ({ steps: [], notes: [] });

/** Group items by a key, keeping first-seen order. */
export function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** Directories whose executables are system binaries (never quarantined as an exe). */
const SYSTEM_DIRS = /^\/(usr\/)?(s?bin|lib(32|64|x32)?|libexec)\//;

/** The exe of a suspicious process when it is a dropped file (not a system binary or interpreter). */
export function droppedExe(exe: string): string | null {
  const e = exe.replace(/ \(deleted\)$/, '');
  if (!e.startsWith('/') || SYSTEM_DIRS.test(e)) return null;
  return e;
}
