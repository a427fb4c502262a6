import path from 'node:path';
import type { Command } from 'commander';
import { escapeForTerminal } from '../core/terminal.js';
import { addIncidentRun, incidentDir, incidentNameProblem } from '../run/incident-dir.js';
import { writeIncidentReport } from '../incident/write-incident.js';
import { readRunRecord } from '../report/write-report.js';
import { UsageError } from './common.js';

// --incident NAME|DIR on the commands that write a run: the run joins the incident and the
// incident's report (one story across runs) is rendered again.

export function addIncidentOption(cmd: Command): Command {
  return cmd.option('--incident <name>', 'join the run to this incident (NAME under <out>/incidents/, or a directory) and render the incident report there');
}

/** Where the run's incident lives, or undefined without --incident; a bad value is a usage error. */
export function incidentOf(raw: Record<string, unknown>, out: string): string | undefined {
  const v = raw['incident'];
  if (v === undefined) return undefined;
  const problem = typeof v === 'string' ? incidentNameProblem(v) : '--incident needs a value';
  if (problem) throw new UsageError(problem);
  return incidentDir(v as string, out);
}

/** Add the finished run to its incident and render the incident report; a failure is a warning, never a lost run. */
export function joinIncident(dir: string, runDir: string, opts: { quiet?: boolean } = {}): void {
  try {
    const r = readRunRecord(runDir);
    addIncidentRun(dir, path.basename(dir), { id: r.id, dir: path.resolve(runDir), command: r.command, startedAt: r.startedAt });
    const w = writeIncidentReport(dir);
    for (const s of w.skipped) process.stderr.write(`warning: incident run left out: ${escapeForTerminal(s)}\n`);
    if (!opts.quiet) process.stdout.write(`incident report: ${escapeForTerminal(w.html)} (${w.model.summary.findings.open + w.model.summary.findings.cameBack} findings open)\n`);
  } catch (e) {
    process.stderr.write(`warning: incident report not written: ${escapeForTerminal((e as Error).message.split('\n')[0] ?? '')}\n`);
  }
}
