import path from 'node:path';
import type { Command } from 'commander';
import { catalogueOf } from './ioc-option.js';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { MergeError } from '../merge/read-shards.js';
import { mergeRuns, shardProblems } from '../merge/merge-runs.js';
import { iocFileText } from '../run/ioc-file.js';
import { writePrivate } from '../run/private-files.js';
import { recordLines } from '../report/jsonl.js';
import { emit, warnLine } from './jsonl.js';
import { sweepExitCode } from '../sweep/exit-code.js';
import { action, UsageError } from './common.js';
import { reportRun } from './run-report.js';
import { incidentOf, joinIncident } from './incident-option.js';
import { SUMMARIES } from './summaries.js';

// `minesweep merge RUN_DIR… [-o RUN] [--ioc FILE] [--json]`: shard sweeps joined into one run
// (merge/merge-runs.ts): every host once, fleet stacking and the pivot redone across all
// shards, report.html, report.json and iocs.yml. Exit codes as sweep's, except that a missing
// or unfinished shard always exits 3: the merged fleet is incomplete. 2: runs that are not
// shards of one split.

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  program
    .command('merge')
    .description(SUMMARIES.merge.description)
    .argument('<run-dirs...>', 'the shard run directories (any order)')
    .option('-o, --output <dir>', 'the merged run directory (must not exist or be empty; default runs/<id>)')
    .option('--ioc <file>', 'the --ioc files the shard sweeps had (the catalogue must match); repeatable', collect, [])
    .option('--json', 'typed JSON Lines on stdout (schema: src/report/jsonl.schema.json)', false)
    .option('--incident <name>', 'join the merged run to this incident (NAME under the merged run\'s parent /incidents/, or a directory)')
    .action(
      action(async (dirs: string[], raw: Record<string, unknown>) => {
        const catalogue = catalogueOf(raw['ioc']);
        let r;
        try {
          r = await mergeRuns(dirs, { catalogue, ...(typeof raw['output'] === 'string' ? { runDir: raw['output'] } : {}), argv: process.argv.slice(2) });
        } catch (e) {
          // the message can carry host names from the shard records: hostile text
          if (e instanceof MergeError) throw new UsageError(escapeForTerminal(e.message));
          throw e;
        }
        const { record, runDir } = r.sweep;
        const json = raw['json'] === true;
        const problems = shardProblems(r.merged);
        for (const p of problems) process.stderr.write(`warning: ${escapeForTerminal(p)}\n`);
        for (const e of r.sweep.errors) process.stderr.write(`warning: ${escapeForTerminal(e)}\n`);
        writePrivate(path.join(runDir!, 'iocs.yml'), iocFileText(record));
        const exit = problems.length ? EXIT.failed : sweepExitCode(record);
        if (json) {
          for (const p of problems) warnLine(true, p);
          for (const l of recordLines({ ...record, command: 'merge' }, runDir, exit)) emit(l);
        } else {
          process.stdout.write(`merged ${r.set.runs.length}/${r.merged.count} shard(s)${problems.length ? ' (INCOMPLETE)' : ''}\n${r.sweep.summary}`);
        }
        reportRun(runDir!, { quiet: json, record });
        const incident = incidentOf(raw, path.dirname(runDir!));
        if (incident) joinIncident(incident, runDir!, { quiet: json });
        return exit;
      }),
    );
}
