import { Option, type Command } from 'commander';

// One spelling for "where this command writes" across commands (kept light: `report` loads it alone).

/** -o/--output (and the older spelling --out, kept for scripts): where the command writes. */
export function addOutputOption(cmd: Command, what: string, dflt?: string): Command {
  return cmd
    .option('-o, --output <path>', `${what}${dflt ? ` (default: ${dflt})` : ''}`)
    .addOption(new Option('--out <path>', 'alias of --output (the older spelling)'));
}

/** The -o/--output value (or --out), else the default. */
export function outputOf(raw: Record<string, unknown>, dflt: string): string;
export function outputOf(raw: Record<string, unknown>): string | undefined;
export function outputOf(raw: Record<string, unknown>, dflt?: string): string | undefined {
  const v = raw['output'] ?? raw['out'];
  return typeof v === 'string' ? v : dflt;
}
