#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT } from './core/exit-codes.js';
import { packageRoot } from './core/paths.js';
const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

// Usage errors (commander's own included: unknown option or command, missing argument) exit
// 2, never 1, which means "findings" (README "Exit codes"); --help and --version exit 0.
const program = new Command('minesweep')
  .description('Sweep a Linux fleet over SSH for crypto-mining malware, clean it, harden it, report it.\nNothing changes on a host without --apply.')
  .version(pkg.version)
  .showSuggestionAfterError(true)
  .exitOverride();

const COMMANDS = ['sweep', 'remediate', 'harden', 'run', 'exec', 'ping', 'hosts', 'report', 'rollback', 'iocs', 'merge', 'lab'];
// only the command being run is loaded (each pulls in its own modules); help and errors see all
const asked = process.argv[2] ?? '';
// what minesweep writes (run directories, failed-host lists, IOC files) is private by default;
// the lab keeps the system's umask (its hosts' users read some of its files)
if (asked !== 'lab') process.umask(0o077);
for (const name of COMMANDS.includes(asked) ? [asked] : COMMANDS) ((await import(`./commands/${name}.js`)) as { register: (p: Command) => void }).register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  const ok = ['commander.helpDisplayed', 'commander.version'].includes(e.code);
  process.exitCode = ok ? EXIT.ok : EXIT.usage;
}
