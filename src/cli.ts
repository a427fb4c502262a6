#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './core/paths.js';
const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

const program = new Command('minesweep')
  .description('Sweep a Linux fleet over SSH for crypto-mining malware, clean it, harden it, report it.\nNothing changes on a host without --apply.')
  .version(pkg.version);

const COMMANDS = ['sweep', 'remediate', 'harden', 'run', 'exec', 'ping', 'report', 'rollback', 'iocs', 'lab'];
// only the command being run is loaded (each pulls in its own modules); help and errors see all
const asked = process.argv[2] ?? '';
// what minesweep writes (run directories, failed-host lists, IOC files) is private by default;
// the lab keeps the system's umask (its hosts' users read some of its files)
if (asked !== 'lab') process.umask(0o077);
for (const name of COMMANDS.includes(asked) ? [asked] : COMMANDS) ((await import(`./commands/${name}.js`)) as { register: (p: Command) => void }).register(program);

await program.parseAsync(process.argv);
