import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { playbooksDir } from '../core/paths.js';
import type { HostResult } from '../core/result.js';
import { PlaybookError } from '../playbook/errors.js';
import { parseAllExtraVars } from '../playbook/extra-vars.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import { consolePrinter } from '../playbook/printer.js';
import { getModule, loadModules, moduleNames } from '../playbook/registry.js';
import { runPlaybook } from '../playbook/run-playbook.js';
import { tagList } from '../playbook/tags.js';
import { createRunDir, writeRunRecord } from '../run/run-dir.js';
import { newRunId } from '../run/run-id.js';
import { noteOpenRun } from '../run/unfinished.js';
import type { RunRecord } from '../run/types.js';
import { newHostRun, newRunRecord } from '../run/new-record.js';
import { Journal } from '../engine/journal.js';
import { stopOnSignals } from '../engine/stop.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { freshLogin } from '../transport/fresh-login.js';
import { engineBase } from './engine-options.js';
import { addShardOptions } from './shard-options.js';
import { action, addFleetOptions, addOutputOption, exitCodeFor, loadTargets, outputOf, readFleetOptions, transportOptions, UsageError, writeFailedHosts } from './common.js';
import { resultStream } from './jsonl.js';
import { playedLine, taskLine } from '../report/jsonl.js';
import { SUMMARIES } from './summaries.js';
import { addIncidentOption, incidentOf, joinIncident } from './incident-option.js';

// `minesweep run PLAYBOOK -i INV [--apply] [-e k=v] [--tags t] [--skip-tags t] [--limit p]`
// Validates the whole playbook first (file:line errors, exit 2), then runs it: check mode
// by default (plan + diffs, nothing changed), --apply to change the hosts. Recap at the end;
// the run record goes to runs/<id>/run.json. Exit 0 ok, 3 a task failed, 4 unreachable.

function collect(value: string, prev: string[]): string[] {
  return [...prev, value];
}

/** A path as given, or a built-in playbook name (remediate → playbooks/remediate.yml). */
export function resolvePlaybook(p: string): string {
  if (existsSync(p)) return p;
  for (const c of [path.join(playbooksDir, p), path.join(playbooksDir, `${p}.yml`)]) if (existsSync(c)) return c;
  return p;
}

/** `--list-modules`: every module with its options. */
export function modulesHelp(): string {
  let out = '';
  for (const name of moduleNames()) {
    const m = getModule(name)!;
    out += `${name} — ${m.description}${m.freeForm ? ` (short form: ${name}: <${m.freeForm}>)` : ''}\n`;
    for (const [k, o] of Object.entries(m.options)) out += `    ${k}${o.required ? ' (required)' : ''}: ${Array.isArray(o.type) ? o.type.join('|') : o.type}${o.choices ? ` [${o.choices.join('|')}]` : ''} — ${o.description}\n`;
  }
  return out;
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description(SUMMARIES.run.description)
    .argument('[playbook]', 'playbook file, or the name of a built-in playbook')
    .option('--list-modules', 'list the modules and their options, then exit', false)
    .option('--apply', 'change the hosts (default: check mode, nothing is touched)', false)
    .option('-e, --extra-vars <vars>', 'key=value, @file.yml or {"k": "v"}; repeatable; wins over every other variable', collect, [])
    .option('-t, --tags <tags>', 'only tasks with these tags (comma list; repeatable)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma list; repeatable)', collect, [])
    .option('--show-commands', "print each step's shell command", false);
  addOutputOption(cmd, 'where run directories go', 'runs');
  addIncidentOption(cmd);
  addShardOptions(addFleetOptions(cmd)).action(
    action(async (file: string | undefined, raw: Record<string, unknown>) => {
      if (raw['listModules'] === true) {
        await loadModules();
        process.stdout.write(modulesHelp());
        return EXIT.ok;
      }
      if (!file) throw new UsageError('no playbook given. Fix: minesweep run PLAYBOOK.yml -i INVENTORY (or --list-modules)');
      const o = readFleetOptions(raw);
      const apply = raw['apply'] === true;
      let pb;
      let extraVars: Record<string, unknown>;
      try {
        pb = await loadPlaybook(resolvePlaybook(file));
        extraVars = parseAllExtraVars((raw['extraVars'] as string[]) ?? []);
      } catch (e) {
        if (e instanceof PlaybookError) throw new UsageError(e.message);
        throw e;
      }
      const tags = tagList(raw['tags'] as string[]);
      const skipTags = tagList(raw['skipTags'] as string[]);
      const fleet = await transportOptions(o);
      const started = new Date();
      const id = newRunId(started);
      const incident = incidentOf(raw, outputOf(raw, 'runs'));
      const runDir = createRunDir(outputOf(raw, 'runs'), id);
      const out = (s: string) => { if (!o.json) process.stdout.write(s); };
      const allTargets = await loadTargets(o, 'all', fleet);
      const stream = resultStream(o.json, 'run', { id, runDir, startedAt: started.toISOString(), apply });
      fleet.warn = (m) => {
        process.stderr.write(m + '\n');
        stream.warn(m);
      };
      // what run.json says if the playbook cannot finish (commands/last-resort.ts): every host not accounted for, failed
      noteOpenRun(runDir, newRunRecord({ id, command: 'run', argv: process.argv.slice(2), apply, startedAt: started.toISOString(), inventory: o.inventory, hosts: allTargets.targets.map((t) => newHostRun(t, 'failed')) }));
      const journal = apply ? new Journal(runDir, { runId: id, command: 'run', argv: process.argv.slice(2), inventory: o.inventory, quarantineDir: quarantineDirFor(id), startedAt: started.toISOString() }) : undefined;
      const stop = apply ? stopOnSignals((sig) => { if (!o.json) process.stderr.write(`\n${sig}: finishing the steps running now, then stopping (again to quit at once)\n`); }) : undefined;
      const r = await runPlaybook(pb, {
        ...(journal ? { journal } : {}),
        ...(stop ? { stop: stop.signal } : {}),
        check: !apply,
        extraVars,
        ...(tags ? { tags } : {}),
        ...(skipTags ? { skipTags } : {}),
        ...engineBase(o, { id, dir: runDir }, pb, fleet, allTargets.targets, async (pattern) => {
          const t = await loadTargets(o, pattern, fleet);
          return { targets: t.targets, problems: t.problems };
        }),
        freshLogin: (target) => freshLogin(target, fleet),
        events: [o.json ? { taskEnd: (e) => stream.line(taskLine(e)) } : consolePrinter(out, { check: !apply, verbose: o.verbose > 0, showCommands: raw['showCommands'] === true })],
      });
      const record: RunRecord = newRunRecord({ id, command: 'run', argv: process.argv.slice(2), apply, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), inventory: o.inventory, hosts: [...r.hosts.values()], ...(allTargets.shard ? { shard: allTargets.shard } : {}) });
      if (stop?.signal.reason) journal?.append({ j: 'stop', reason: stop.signal.reason, at: record.finishedAt });
      writeRunRecord(runDir, record);
      journal?.append({ j: 'end', at: record.finishedAt });
      journal?.close();
      stop?.dispose();
      const results: HostResult[] = record.hosts.map((h) => ({ host: h.name, status: h.status, startedAt: record.startedAt, durationMs: 0, ...(h.reason ? { reason: h.reason } : {}) }));
      for (const h of record.hosts) stream.line(playedLine(h));
      if (incident) joinIncident(incident, runDir, { quiet: o.json });
      const failedFile = writeFailedHosts(results, runDir);
      out(`\nrun record: ${path.join(runDir, 'run.json')}${apply ? '' : ' (check mode: nothing was changed; pass --apply to run)'}\n`);
      if (failedFile && !o.json) process.stderr.write(`retry the failed hosts with --limit @${failedFile}\n`);
      const code = stop?.signal.reason ? EXIT.interrupted : record.hosts.length ? exitCodeFor(results) : EXIT.ok;
      stream.end(results, code);
      return code;
    }),
  );
}
