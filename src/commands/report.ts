import type { Command } from 'commander';
import path from 'node:path';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { writeReport } from '../report/write-report.js';
import { hostsCsv } from '../report/hosts-csv.js';
import { readRunRecord } from '../run/run-dir.js';
import { writePrivate } from '../run/private-files.js';
import { addOutputOption, outputOf } from './output-option.js';
import { SUMMARIES } from './summaries.js';

// `minesweep report runs/RUN [--format html|json] [-o FILE] [--hosts-csv FILE]`: re-render a run's report (and a hosts CSV).

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description(SUMMARIES.report.description)
    .argument('<run-dir>', 'run directory holding run.json, e.g. runs/20261123T080000Z-ab12')
    .option('--format <format>', 'html or json (default: both)')
    .option('--hosts-csv <file>', 'also write the hosts as CSV (host, address, groups, status, verdict, families, findings, highest severity, reason), mode 0600');
  addOutputOption(cmd, 'write to this file instead of the run directory (needs --format, or a .html/.json name)')
    .action((runDir: string, raw: Record<string, unknown>) => {
      const opts = { format: raw['format'] as string | undefined, out: outputOf(raw) };
      const fail = (msg: string, code: number = EXIT.usage) => {
        process.stderr.write(`minesweep report: ${escapeForTerminal(msg)}\n`);
        process.exitCode = code;
      };
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
          `${s.hostsSwept} hosts: ${s.infected} infected, ${s.cleaned} cleaned, ${s.stillInfected} still infected, ${s.unreachable} unreachable\n`,
        );
        const shown = (p: string) => {
          const rel = path.relative(process.cwd(), p);
          return escapeForTerminal(rel && !rel.startsWith('..') ? rel : p);
        };
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
