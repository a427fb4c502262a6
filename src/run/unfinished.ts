import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HostRun, RunRecord } from './types.js';

// Run directories whose run.json is not written yet, with what is known of the run so far,
// so that a run that cannot finish (an internal error, the run deadline, a wait that can
// never end) still leaves its record: every host not yet accounted for is marked failed.

interface OpenRun {
  seed: RunRecord;
  /** hosts whose entry in the seed is final */
  done: Set<string>;
  /** where each host is in seed.hosts */
  at: Map<string, number>;
}

const open = new Map<string, OpenRun>();

/** A run directory was created; `seed` is the record as far as it is known (its hosts not done yet). */
export function noteOpenRun(dir: string, seed: RunRecord): void {
  open.set(path.resolve(dir), { seed, done: new Set(), at: new Map(seed.hosts.map((h, i) => [h.name, i])) });
}

/** One host of the open run in `dir` is accounted for: its entry becomes final. */
export function noteHostDone(dir: string, host: HostRun): void {
  const run = open.get(path.resolve(dir));
  if (!run) return;
  const i = run.at.get(host.name);
  if (i !== undefined) run.seed.hosts[i] = host;
  run.done.add(host.name);
}

let reporter: ((dir: string) => void) | undefined;

/** What renders the report of a run recorded as unfinished (set by the commands that write reports). */
export function setUnfinishedReporter(fn: (dir: string) => void): void {
  reporter = fn;
}

/** Render the report of a run recorded as unfinished, when a reporter is set. */
export function reportUnfinished(dir: string): void {
  reporter?.(dir);
}

/** run.json was written for `dir`: nothing left to do for it. */
export function noteRecorded(dir: string): void {
  open.delete(path.resolve(dir));
}

/**
 * For every open run without a run.json: write one from its seed, every host not accounted
 * for marked failed with `reason`. Returns the directories written.
 */
export function writeUnfinishedRecords(reason: string, write: (dir: string, record: RunRecord) => void): string[] {
  const written: string[] = [];
  for (const [dir, run] of [...open]) {
    open.delete(dir);
    if (existsSync(path.join(dir, 'run.json'))) continue;
    const hosts = run.seed.hosts.map((h): HostRun => (run.done.has(h.name) ? h : { ...h, status: 'failed', reason: `the run ended before this host's result was recorded: ${reason}` }));
    write(dir, { ...run.seed, finishedAt: new Date().toISOString(), hosts });
    written.push(dir);
  }
  return written;
}
