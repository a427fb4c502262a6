import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { iocFileText } from '../run/ioc-file.js';
import { iocsCsv, recordIocs } from '../report/ioc-export.js';
import { stixBundle } from '../report/stix.js';
import { readRunRecord, RunDirError } from '../run/run-dir.js';
import { action, addOutputOption, outputOf, UsageError } from './common.js';
import { SUMMARIES } from './summaries.js';

// `minesweep iocs runs/RUN [--format yaml|csv] [-o FILE]`: the run's indicators as an --ioc file, or CSV.

export function register(program: Command): void {
  const cmd = program
    .command('iocs')
    .description(SUMMARIES.iocs.description)
    .argument('<run-dir>', 'run directory (runs/<time>-<id>)')
    .option('--format <format>', 'yaml (an --ioc file), csv (type,value,family,source,hosts; formula-defused) or stix (a STIX 2.1 bundle)', 'yaml');
  addOutputOption(cmd, 'write to this file instead of stdout')
    .action(
      action(async (run: string, raw: Record<string, unknown>) => {
        const output = outputOf(raw);
        const format = raw['format'];
        if (format !== 'yaml' && format !== 'csv' && format !== 'stix') throw new UsageError(`--format must be yaml, csv or stix, got ${JSON.stringify(format)}`);
        let record;
        try {
          record = readRunRecord(run);
        } catch (e) {
          if (e instanceof RunDirError) throw new UsageError(e.message);
          throw e;
        }
        const text = format === 'csv' ? iocsCsv(recordIocs(record)) : format === 'stix' ? JSON.stringify(stixBundle(record.iocs, record.startedAt, record.id), null, 2) + '\n' : iocFileText(record);
        if (output) {
          writeFileSync(output, text);
          process.stderr.write(`${record.iocs.length} IOCs written to ${output}\n`);
        } else process.stdout.write(text);
        return EXIT.ok;
      }),
    );
}
