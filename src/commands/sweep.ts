import { reportRun } from './run-report.js';
import type { Command } from 'commander';
import { catalogueOf } from './ioc-option.js';
import { progressLine } from '../transport/progress.js';
import { escapeForTerminal } from '../core/terminal.js';
import { runFleet } from '../transport/fleet.js';
import type { RunFleet } from '../transport/types.js';
import { sweepStream, warnLine } from './jsonl.js';
import { parseDuration } from '../sweep/duration.js';
import { sweepExitCode } from '../sweep/exit-code.js';
import { sweepFleet } from '../sweep/sweep-fleet.js';
import { addShardOptions } from './shard-options.js';
import { action, addFleetOptions, noHostsMatched, addOutputOption, loadTargets, outputOf, readFleetOptions, transportOptions, UsageError, writeFailedHosts } from './common.js';
import { SUMMARIES } from './summaries.js';
import { addIncidentOption, incidentOf, joinIncident } from './incident-option.js';
import { addBaselineOptions, afterSweep, maskScheduledArgv, readScheduledOptions } from './baseline-options.js';

// `minesweep sweep -i INV [--limit P] [--forks N] [--ioc FILE] [--since DURATION] [--json] [-o runs/]
//   [--baseline RUN|latest] [--notify URL|@FILE [--notify-always]]`
// Read-only: one probe exec per host, rules, fleet pivot, run directory.
// Exit codes: 0 every host clean, 1 findings, 3 a probe failed or some host's facts partial (incomplete), 4 some host unreachable, 2 bad usage.
// With --baseline: 1 only for new findings (before 4 and 3), see baseline-options.ts.

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  const cmd = program
    .command('sweep')
    .description(SUMMARIES.sweep.description)
    .option('--ioc <file>', 'extra families/IOCs (YAML, the catalogue schema; `minesweep iocs` writes one); repeatable', collect, [])
    .option('--since <duration>', 'also list files changed within this window (30m, 6h, 2d)');
  addOutputOption(cmd, 'where run directories go', 'runs');
  addIncidentOption(cmd);
  addBaselineOptions(cmd);
  addShardOptions(addFleetOptions(cmd, { timeoutSec: 120 })).action(
    action(async (raw: Record<string, unknown>) => {
      const o = readFleetOptions(raw);
      let sinceSeconds: number | undefined;
      if (typeof raw['since'] === 'string') {
        const s = parseDuration(raw['since']);
        if (s === null) throw new UsageError(`--since must be a duration like 30m, 6h or 2d, got ${JSON.stringify(raw['since'])}`);
        sinceSeconds = s;
      }
      const catalogue = catalogueOf(raw['ioc']);
      const incident = incidentOf(raw, outputOf(raw, 'runs'));
      const scheduled = readScheduledOptions(raw, outputOf(raw, 'runs'), (m) => process.stderr.write(`warning: ${m}\n`));
      const fleet = await transportOptions(o);
      const t = await loadTargets(o, 'all', fleet);
      const none = noHostsMatched(o, t);
      if (none) throw none;
      const progress = progressLine('sweep');
      fleet.onProgress = (done, total, failed) => progress.update(done, total, failed);
      fleet.warn = (m) => {
        progress.clear();
        process.stderr.write(m + '\n');
        warnLine(o.json, m);
      };
      const stream = o.json ? sweepStream('sweep') : undefined;
      const r = await sweepFleet(t.targets, {
        catalogue,
        fleet,
        become: o.become,
        out: outputOf(raw, 'runs'),
        argv: maskScheduledArgv(process.argv.slice(2)),
        inventory: o.inventory,
        problems: t.problems,
        runFleet: runFleet as RunFleet,
        ...(t.shard ? { shard: t.shard } : {}),
        ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
        ...(stream ? { events: stream } : {}),
      });
      progress.clear();
      for (const e of r.errors) {
        process.stderr.write(`warning: ${escapeForTerminal(e)}\n`);
        warnLine(o.json, e);
      }
      if (!stream) process.stdout.write(r.summary);
      const code = await afterSweep(r, scheduled, { json: o.json, warn: (m) => process.stderr.write(m + '\n') });
      if (r.runDir) {
        reportRun(r.runDir, { quiet: o.json, record: r.record });
        if (incident) joinIncident(incident, r.runDir, { quiet: o.json });
      }
      const failedFile = writeFailedHosts(r.results, r.runDir);
      if (failedFile && !o.json) process.stderr.write(`retry the unreachable/failed hosts with --limit @${failedFile}\n`);
      const exit = code ?? sweepExitCode(r.record);
      stream?.end(r.record, r.runDir, exit);
      return exit;
    }),
  );
}
