import type { Command } from 'commander';
import path from 'node:path';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { writeReport } from '../report/write-report.js';
import { writeIncidentReport } from '../incident/write-incident.js';
import { incidentDir, incidentNameProblem } from '../run/incident-dir.js';
import { hostsCsv } from '../report/hosts-csv.js';
import { readRunRecord } from '../run/run-dir.js';
import { writePrivate } from '../run/private-files.js';
import { addOutputOption, outputOf } from './output-option.js';
import { SUMMARIES } from './summaries.js';

// `minesweep report runs/RUN [--format html|json] [-o FILE] [--hosts-csv FILE]`: re-render a run's report (and a hosts CSV).
// `minesweep report --incident NAME [--runs runs]`: render the incident's report (exit 1 while it is not over).

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description(SUMMARIES.report.description)
    .argument('[run-dir]', 'run directory holding run.json, e.g. runs/20261123T080000Z-ab12')
    .option('--format <format>', 'html or json (default: both)')
    .option('--hosts-csv <file>', 'also write the hosts as CSV (host, address, groups, status, verdict, families, findings, highest severity, reason), mode 0600')
    .option('--incident <name>', 'render the report of a whole incident instead (NAME under <runs>/incidents/, or its directory)')
    .option('--runs <dir>', 'where the run directories (and incidents/) are', 'runs');
  addOutputOption(cmd, 'write to this file instead of the run directory (needs --format, or a .html/.json name)')
    .action((runDir: string | undefined, raw: Record<string, unknown>) => {
      const opts = { format: raw['format'] as string | undefined, out: outputOf(raw) };
      const fail = (msg: string, code: number = EXIT.usage) => {
        process.stderr.write(`minesweep report: ${escapeForTerminal(msg)}\n`);
        process.exitCode = code;
      };
      const shown = (p: string) => {
        const rel = path.relative(process.cwd(), p);
        return escapeForTerminal(rel && !rel.startsWith('..') ? rel : p);
      };
      if (typeof raw['incident'] === 'string') {
        if (runDir) return fail('give a run directory or --incident, not both.');
        const problem = incidentNameProblem(raw['incident']);
        if (problem) return fail(problem);
        try {
          const w = writeIncidentReport(incidentDir(raw['incident'], String(raw['runs'] ?? 'runs')));
          const s = w.model.summary;
          for (const x of w.skipped) process.stderr.write(`warning: incident run left out: ${escapeForTerminal(x)}\n`);
          process.stdout.write(`incident ${escapeForTerminal(w.model.name)}: ${w.model.runs.length} runs, ${s.hosts} hosts, ${s.affected} affected (${s.verdicts.cleaned} cleaned, ${s.verdicts.closed} closed), ${s.findings.open + s.findings.cameBack} findings open${s.over ? '; over' : ''}\n`);
          process.stdout.write(`report: ${shown(w.html)}\njson: ${shown(w.json)}\n`);
          if (!s.over) process.exitCode = EXIT.findings;
          return;
        } catch (e) {
          return fail((e as Error).message);
        }
      }
      if (!runDir) return fail('give the run directory to render (e.g. runs/20261123T080000Z-ab12), or --incident NAME.');
      let format = opts.format;
      if (!format && opts.out) format = /\.json$/i.test(opts.out) ? 'json' : /\.html?$/i.test(opts.out) ? 'html' : undefined;
      if (opts.out && !format) return fail(`--out ${opts.out}: cannot tell the format from the name; add --format html or --format json.`);
      if (format !== undefined && format !== 'html' && format !== 'json') return fail(`--format: expected html or json, got ${JSON.stringify(format)}.`);
      try {
        const out = writeReport(runDir, {
          ...(format ? { formats: [format as 'html' | 'json'] } : {}),
          ...(opts.out && format === 'html' ? { htmlPath: opts.out } : {}),
          ...(opts.out && format === 'json' ? { jsonPath: opts.out } : {}),
        });
        const s = out.model.summary;
        process.stdout.write(
          `${s.hostsSwept} hosts: ${s.infected} infected, ${s.cleaned} cleaned, ${s.stillInfected} still infected, ${s.verdicts.closed} closed, ${s.open} open, ${s.unreachable} unreachable\n`,
        );
        for (const [kind, p] of [['report', out.html], ['json', out.json]] as const)
          if (p) process.stdout.write(`${kind}: ${shown(p)} (${Math.round((out.bytes[kind === 'report' ? 'html' : 'json'] ?? 0) / 1024)} KiB)\n`);
        if (typeof raw['hostsCsv'] === 'string') {
          writePrivate(raw['hostsCsv'], hostsCsv(readRunRecord(runDir)));
          process.stdout.write(`hosts csv: ${shown(path.resolve(raw['hostsCsv']))}\n`);
        }
      } catch (e) {
        return fail((e as Error).message);
      }
    });
}
