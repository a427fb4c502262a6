import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { iocFileText } from '../run/ioc-file.js';
import { readRunRecord, RunDirError } from '../run/run-dir.js';
import { action, addOutputOption, outputOf, UsageError } from './common.js';
import { SUMMARIES } from './summaries.js';

// `minesweep iocs runs/RUN [-o FILE]`: the run's indicators in the --ioc format.

export function register(program: Command): void {
  const cmd = program
    .command('iocs')
    .description(SUMMARIES.iocs.description)
    .argument('<run-dir>', 'run directory (runs/<time>-<id>)');
  addOutputOption(cmd, 'write to this file instead of stdout')
    .action(
      action(async (run: string, raw: Record<string, unknown>) => {
        const output = outputOf(raw);
        let record;
        try {
          record = readRunRecord(run);
        } catch (e) {
          if (e instanceof RunDirError) throw new UsageError(e.message);
          throw e;
        }
        const text = iocFileText(record);
        if (output) {
          writeFileSync(output, text);
          process.stderr.write(`${record.iocs.length} IOCs written to ${output}\n`);
        } else process.stdout.write(text);
        return EXIT.ok;
      }),
    );
}
