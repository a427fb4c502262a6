import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';

/** Register a command that says plainly it is not built yet. */
export function notBuilt(program: Command, name: string, summary: string, issue: number): void {
  program
    .command(name)
    .description(`${summary} [not built yet, issue #${issue}]`)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      process.stderr.write(`minesweep ${name}: not built yet (issue #${issue}). Nothing was done.\n`);
      process.exitCode = EXIT.notBuilt;
    });
}
