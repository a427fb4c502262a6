import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { iocFileText } from '../run/ioc-file.js';
import { readRunRecord, RunDirError } from '../run/run-dir.js';
import { action, addOutputOption, outputOf, UsageError } from './common.js';

// `minesweep iocs runs/RUN [-o FILE]`: the run's indicators in the --ioc format.

export function register(program: Command): void {
  const cmd = program
    .command('iocs')
    .description('Export the IOCs of a run as an --ioc file (YAML) for the next sweep')
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
