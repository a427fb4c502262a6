import { Command, Help } from 'commander';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS, SUMMARIES } from '../../../src/commands/summaries.js';

// `minesweep --help` lists the commands from commands/summaries.ts without loading them:
// each summary must say what the command's own definition says.

const dist = path.resolve(import.meta.dirname, '../../../dist');

describe('command summaries', () => {
  it('each summary has the help term and description of the command it stands for', async () => {
    for (const name of COMMANDS) {
      const program = new Command('minesweep');
      ((await import(pathToFileURL(path.join(dist, 'commands', `${name}.js`)).href)) as { register: (p: Command) => void }).register(program);
      const cmd = program.commands.find((c) => c.name() === name)!;
      expect([name, new Help().subcommandTerm(cmd), cmd.description()]).toEqual([name, SUMMARIES[name].term, SUMMARIES[name].description]);
    }
  });

  it('the built CLI lists every command in its top-level help', () => {
    const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const name of COMMANDS) expect(r.stdout).toContain(`  ${SUMMARIES[name].term} `);
    expect(r.stdout).toContain('  help [command] ');
  });
});
