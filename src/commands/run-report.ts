import { writeReport } from '../report/write-report.js';
import { escapeForTerminal } from '../core/terminal.js';
import { setUnfinishedReporter } from '../run/unfinished.js';
import type { RunRecord } from '../run/types.js';

/** Write report.html and report.json into a finished run directory (from `record` when given) and say where; never fails the command. */
export function reportRun(runDir: string, opts: { quiet?: boolean; record?: RunRecord } = {}): void {
  try {
    const out = writeReport(runDir, opts.record ? { record: opts.record } : {});
    if (!opts.quiet && out.html) process.stdout.write(`report: ${escapeForTerminal(out.html)}\n`);
  } catch (e) {
    process.stderr.write(`warning: report.html not written: ${escapeForTerminal((e as Error).message.split('\n')[0] ?? '')}\n`);
  }
}

// a run the last-resort guard records as unfinished gets its report too (commands/last-resort.ts)
setUnfinishedReporter((dir) => reportRun(dir, { quiet: true }));
