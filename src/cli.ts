#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT } from './core/exit-codes.js';
import { COMMANDS, SUMMARIES } from './commands/summaries.js';
import { minesweepVersion } from './run/new-record.js';

// Usage errors (commander's own included: unknown option or command, missing argument) exit
// 2, never 1, which means "findings" (README "Exit codes"); --help and --version exit 0.
const program = new Command('minesweep')
  .description('Sweep a Linux fleet over SSH for crypto-mining malware, clean it, harden it, report it.\nNothing changes on a host without --apply.')
  .version(minesweepVersion())
  .showSuggestionAfterError(true)
  .exitOverride();

// only the command being run is loaded (each pulls in its own modules, `help X` loads X);
// the top-level help and unknown-command errors need only the summaries
const asked = process.argv[2] ?? '';
const wanted = asked === 'help' ? process.argv[3] ?? '' : asked;
const known = (COMMANDS as readonly string[]).includes(wanted);
// what minesweep writes (run directories, failed-host lists, IOC files) is private by default;
// the lab keeps the system's umask (its hosts' users read some of its files)
if (asked !== 'lab') process.umask(0o077);
if (known) ((await import(`./commands/${wanted}.js`)) as { register: (p: Command) => void }).register(program);
else {
  const terms = new Map<string, string>([...COMMANDS.map((n) => [n, SUMMARIES[n].term] as const), ['help', 'help [command]']]);
  program.configureHelp({ subcommandTerm: (c) => terms.get(c.name()) ?? c.name() });
  for (const n of COMMANDS) program.command(n).description(SUMMARIES[n].description);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  const ok = ['commander.helpDisplayed', 'commander.version'].includes(e.code);
  process.exitCode = ok ? EXIT.ok : EXIT.usage;
}
