#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './core/paths.js';
import { register as sweep } from './commands/sweep.js';
import { register as remediate } from './commands/remediate.js';
import { register as harden } from './commands/harden.js';
import { register as run } from './commands/run.js';
import { register as exec } from './commands/exec.js';
import { register as ping } from './commands/ping.js';
import { register as report } from './commands/report.js';
import { register as rollback } from './commands/rollback.js';
import { register as iocs } from './commands/iocs.js';
import { register as lab } from './commands/lab.js';

const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

const program = new Command('minesweep')
  .description('Sweep a Linux fleet over SSH for crypto-mining malware, clean it, harden it, report it.\nNothing changes on a host without --apply.')
  .version(pkg.version);

for (const register of [sweep, remediate, harden, run, exec, ping, report, rollback, iocs, lab]) register(program);

await program.parseAsync(process.argv);
