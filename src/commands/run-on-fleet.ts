import type { HostResult } from '../core/result.js';
import { runFleet } from '../transport/fleet.js';
import { progressLine } from '../transport/progress.js';
import { loadTargets, transportOptions, UsageError, type FleetCliOptions, type HostFn, type Targets } from './common.js';

/** What a command does with each host's result as it ends (hosts that cannot be targeted first), and with the transport's warnings. */
export interface FleetListener<T> {
  result(r: HostResult<T>): void;
  warn(message: string): void;
}

/**
 * The whole fan-out for a command: targets, transport, progress line on a TTY, results in
 * target order (hosts that could not be targeted included as 'failed').
 */
export async function runOnFleet<T>(
  o: FleetCliOptions,
  label: string,
  fn: HostFn<T>,
  pattern = 'all',
  listen?: FleetListener<T>,
): Promise<{ targets: Targets; results: HostResult<T>[] }> {
  const fleet = await transportOptions(o);
  const t = await loadTargets(o, pattern, fleet);
  if (t.targets.length + t.problems.length === 0)
    throw new UsageError(`no hosts matched ${pattern}${o.limit ? ` --limit ${o.limit}` : ''} in ${o.inventory.join(', ')}`);
  const progress = progressLine(label);
  const total = t.targets.length + t.problems.length;
  fleet.onProgress = (done, _total, failed) => progress.update(done + t.problems.length, total, failed + t.problems.length);
  fleet.warn = (m) => {
    progress.clear();
    process.stderr.write(m + '\n');
    listen?.warn(m);
  };
  for (const p of t.problems) listen?.result(p);
  if (listen) fleet.onHostEnd = (r) => listen.result(r as HostResult<T>);
  const results = await runFleet<T>(t.targets, fn, fleet);
  progress.clear();
  return { targets: t, results: [...t.problems, ...results] };
}
