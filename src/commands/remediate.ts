import path from 'node:path';
import { reportRun } from './run-report.js';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { PHASES, type Phase } from '../actions/types.js';
import type { HostResult } from '../core/result.js';
import { loadCatalogue } from '../catalogue/load.js';
import type { HostFacts } from '../facts/types.js';
import { createRunDir, readAllFacts, readHostFacts, readRunRecord, writeHostFacts, writeRunRecord, writeRunJson } from '../run/run-dir.js';
import { newRunId } from '../run/run-id.js';
import type { HostRun, RunRecord } from '../run/types.js';
import { parseDuration } from '../sweep/duration.js';
import { sweepFleet } from '../sweep/sweep-fleet.js';
import { runFleet } from '../transport/fleet.js';
import type { RunFleet } from '../transport/types.js';
import { planText } from '../remediate/print-plan.js';
import { playbooksDir } from '../core/paths.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import { runPlaybook } from '../playbook/run-playbook.js';
import { safeName } from '../run/safe-name.js';
import { planPhases, remediateCollector, type HostRemediation } from './remediate-collect.js';
import { cleaningFinished, judgeVerification } from '../remediate/verify.js';
import { Journal } from '../engine/journal.js';
import { stopOnSignals } from '../engine/stop.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { engineBase, onlyThese } from './engine-options.js';
import { addShardOptions } from './shard-options.js';
import { action, addFleetOptions, noHostsMatched, addOutputOption, exitCodeFor, loadTargets, outputOf, readFleetOptions, transportOptions, UsageError, writeFailedHosts } from './common.js';
import { SUMMARIES } from './summaries.js';
import { emit, verificationLines } from './jsonl.js';
import { JSONL_VERSION, recordLines, runLine } from '../report/jsonl.js';
import { addIncidentOption, incidentOf, joinIncident } from './incident-option.js';

// `minesweep remediate -i INV [--apply] [--from runs/RUN] [--verify-after 75s] [--tags/--skip-tags PHASES]`
// Sweeps (unless --from), runs playbooks/remediate.yml on every infected host, seeded with
// the sweep's facts and findings: prints the ordered cleanup (check mode) or runs it
// (--apply), then probes again after the respawn window and says per host: clean, or what
// came back and from where.
// Exit: 0 every host clean, 1 something came back / findings left, 3 a step failed, 4 unreachable.

const DEFAULT_VERIFY = '75s';

function phaseList(v: unknown, flag: string): Phase[] | undefined {
  if (typeof v !== 'string') return undefined;
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((x) => !(PHASES as readonly string[]).includes(x));
  if (bad.length) throw new UsageError(`${flag}: unknown tag(s) ${bad.join(', ')}; expected some of ${PHASES.join(', ')}`);
  return list as Phase[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function register(program: Command): void {
  const cmd = program
    .command('remediate')
    .description(SUMMARIES.remediate.description)
    .option('--apply', 'change the hosts (default: print the plan with diffs)', false)
    .option('--from <run-dir>', 'use the findings of this sweep run instead of sweeping now')
    .option('--verify-after <duration>', 'probe again after this window (longer than a cron minute)', DEFAULT_VERIFY)
    .option('--no-verify', 'do not probe again after the window')
    .option('--tags <phases>', `only these phases (comma list of ${PHASES.join(',')})`)
    .option('--skip-tags <phases>', 'skip these phases')
    .option('--show-commands', 'print each step\'s shell command in the plan', false);
  addOutputOption(cmd, 'where run directories go', 'runs');
  addIncidentOption(cmd);
  addShardOptions(addFleetOptions(cmd, { timeoutSec: 300 })).action(
    action(async (raw: Record<string, unknown>) => {
      const t0 = Date.now();
      const o = readFleetOptions(raw);
      const apply = raw['apply'] === true;
      const verifyAfter = parseDuration(String(raw['verifyAfter'] ?? DEFAULT_VERIFY));
      if (verifyAfter === null) throw new UsageError(`--verify-after must be a duration like 75s or 6m, got ${JSON.stringify(raw['verifyAfter'])}`);
      const tags = phaseList(raw['tags'], '--tags');
      const skip = phaseList(raw['skipTags'], '--skip-tags');
      const catalogue = loadCatalogue([]);
      const incident = incidentOf(raw, outputOf(raw, 'runs'));
      const fleet = await transportOptions(o);
      const t = await loadTargets(o, 'all', fleet);
      const none = noHostsMatched(o, t);
      if (none) throw none;

      // 1. findings: sweep now, or read a previous run
      let record: RunRecord;
      let facts: Map<string, HostFacts>;
      let runDir: string;
      const argv = process.argv.slice(2);
      if (typeof raw['from'] === 'string') {
        const { shard: _s, merged: _m, ...from } = readRunRecord(raw['from']);
        // with --shard: this shard's hosts of that run only (a merged sweep holds the whole fleet)
        const mine = t.shard ? new Set(t.shard.hosts) : undefined;
        facts = new Map((mine ? [...mine].flatMap((h) => readHostFacts(raw['from'] as string, h) ?? []) : readAllFacts(raw['from'])).map((f) => [f.host, f]));
        // the findings of that run, not its actions: tasks, quarantine and verification are this run's own
        const hosts = from.hosts.filter((h) => !mine || mine.has(h.name)).map(({ verification: _v, ...h }) => ({ ...h, status: h.status === 'changed' ? ('ok' as const) : h.status, tasks: [], quarantine: [] }));
        record = { ...from, hosts, id: newRunId(), command: 'remediate', argv, startedAt: new Date().toISOString(), ...(t.shard ? { shard: t.shard } : {}) };
        runDir = createRunDir(outputOf(raw, 'runs'), record.id);
        for (const f of facts.values()) writeHostFacts(runDir, f);
      } else {
        const s = await sweepFleet(t.targets, { catalogue, fleet, become: o.become, out: outputOf(raw, 'runs'), keepFacts: true, command: 'remediate', argv, inventory: o.inventory, problems: t.problems, runFleet: runFleet as RunFleet, ...(t.shard ? { shard: t.shard } : {}) });
        record = s.record;
        facts = s.facts;
        runDir = s.runDir!;
        if (!o.json) process.stdout.write(s.summary);
      }
      record.command = 'remediate';
      record.apply = apply;
      if (o.json) emit(runLine('remediate', { id: record.id, runDir, startedAt: record.startedAt, apply }));
      const byHost = new Map(record.hosts.map((h) => [h.name, h]));
      // a selected host the --from run does not hold is said, never silently a smaller fleet
      const absent = typeof raw['from'] === 'string' ? t.targets.filter((x) => !byHost.has(x.name)).map((x) => escapeForTerminal(x.name)) : [];
      if (absent.length) process.stderr.write(`minesweep: warning: ${absent.length} selected host(s) not in ${escapeForTerminal(String(raw['from']))}, not remediated: ${absent.join(', ')} (sweep them, or give remediate the sweep's inventory and --limit)\n`);
      const infected = t.targets.filter((x) => (byHost.get(x.name)?.findings.length ?? 0) > 0 && facts.has(x.name));

      // 2. plan (check mode) or run (--apply) playbooks/remediate.yml on the infected hosts, each
      // seeded with its sweep's facts and findings (so the probe/detect tasks, tagged always, are
      // skipped); every change is journaled (runs/RUN/journal.jsonl, fsynced) before it is made,
      // and SIGINT lets running steps finish
      const journal = apply ? new Journal(runDir, { runId: record.id, command: 'remediate', argv, inventory: o.inventory, quarantineDir: quarantineDirFor(record.id), startedAt: record.startedAt }) : undefined;
      const stop = apply ? stopOnSignals((sig) => { if (!o.json) process.stderr.write(`\n${sig}: finishing the steps running now, then stopping (again to quit at once; rollback ${runDir} --apply undoes what was done)\n`); }) : undefined;
      const got = new Map<string, HostRemediation>();
      const pb = await loadPlaybook(path.join(playbooksDir, 'remediate.yml'));
      const ran = infected.length
        ? await runPlaybook(pb, {
            check: !apply,
            extraVars: {},
            ...(tags ? { tags } : {}),
            skipTags: [...(skip ?? []), 'always'],
            seed: new Map(infected.map((x) => [x.name, { facts: facts.get(x.name)!, findings: byHost.get(x.name)!.findings }])),
            ...engineBase(o, { id: record.id, dir: runDir }, pb, fleet, t.targets, onlyThese(infected)),
            ...(journal ? { journal } : {}),
            ...(stop ? { stop: stop.signal } : {}),
            events: [remediateCollector(got)],
          })
        : undefined;
      // a host the sweep could not reach (or probe) was not cleaned: the exit code says so
      const selected = new Set(t.targets.map((x) => x.name));
      const hostResults = (): HostResult[] => record.hosts.filter((h) => selected.has(h.name)).map((h) => ({ host: h.name, status: h.status, startedAt: '', durationMs: 0 }));
      let exit: number = exitCodeFor(hostResults());
      let firstStep = Infinity;
      let lastClean = 0;
      for (const x of infected) {
        const run = ran?.hosts.get(x.name);
        if (!run) continue;
        const h = byHost.get(x.name)!;
        const v = got.get(x.name);
        const status = run.status === 'failed' || run.status === 'unreachable' || apply ? run.status : 'ok';
        const tasks = apply ? run.tasks : [];
        h.tasks.push(...tasks);
        h.quarantine.push(...run.quarantine);
        if (run.connectRetries) h.connectRetries = (h.connectRetries ?? 0) + run.connectRetries;
        if (v) {
          writeRunJson(runDir, `plans/${safeName(h.name)}.json`, { host: h.name, notes: v.notes, steps: v.plan.map((s) => ({ phase: s.phase, description: s.description, diff: s.diff })) });
          if (v.firstStepAt !== undefined) firstStep = Math.min(firstStep, v.firstStepAt);
          if (status !== 'failed' && status !== 'unreachable' && v.lastStepEnd) lastClean = Math.max(lastClean, v.lastStepEnd);
        }
        if (status === 'failed' || status === 'unreachable') {
          h.status = status;
          h.reason = run.reason ?? status;
          exit = Math.max(exit, status === 'unreachable' ? EXIT.unreachable : EXIT.failed);
        } else if (apply) h.status = status;
        const reason = status === 'failed' || status === 'unreachable' ? h.reason : undefined;
        if (o.json) emit({ type: 'host', v: JSONL_VERSION, stage: 'action', host: x.name, status, ...(reason ? { reason } : {}), ...(v?.notes.length ? { notes: v.notes } : {}), tasks: tasks.map((k) => ({ task: k.task, status: k.status })) });
        else if (!apply && v) process.stdout.write(planText({ host: x.name, phases: planPhases(v.plan), notes: v.notes }, { showCommands: raw['showCommands'] === true }));
        else if (v) {
          const counts = tasks.filter((k) => k.steps.length || k.status !== 'ok').map((k) => `${k.task}:${k.status}`).join(' ');
          process.stdout.write(`${status.toUpperCase().padEnd(9)} ${escapeForTerminal(x.name)}  ${counts}${run.quarantine.length ? `  (${run.quarantine.length} quarantined)` : ''}${v.evidenceFiles ? `  (${v.evidenceFiles} evidence files)` : ''}\n`);
          if (reason) process.stdout.write(`          ${escapeForTerminal(reason)}\n`);
          const left = v.planned - v.ran;
          if (stop?.signal.reason && left > 0 && status !== 'failed') process.stdout.write(`          stopped: ${left} step(s) not run\n`);
          for (const n of v.notes) process.stdout.write(`          note: ${escapeForTerminal(n)}\n`);
        } else process.stdout.write(`${status.toUpperCase().padEnd(9)} ${escapeForTerminal(x.name)}  ${escapeForTerminal(reason ?? '')}\n`);
      }
      const applyDone = Date.now();
      const stopped = stop?.signal.reason;
      if (stopped) {
        journal?.append({ j: 'stop', reason: stopped, at: new Date().toISOString() });
        exit = Math.max(exit, EXIT.interrupted);
        if (!o.json) process.stdout.write(`stopped: ${stopped}\n`);
      }
      if (!o.json) process.stdout.write(`${infected.length} infected host(s) ${apply ? 'remediated' : 'planned (check mode: nothing changed; pass --apply to run)'}; ${record.hosts.length - infected.length} host(s) untouched\n`);

      // 3. verify: probe again after the respawn window
      if (apply && raw['verify'] !== false && infected.length && !stopped) {
        const wait = verifyAfter * 1000 - (Date.now() - applyDone);
        if (!o.json) process.stdout.write(`verifying in ${Math.max(0, Math.round(wait / 1000))}s (respawn window ${verifyAfter}s)…\n`);
        if (wait > 0) await sleep(wait);
        const again = await sweepFleet(t.targets, { catalogue, fleet, become: o.become, command: 'verify', runFleet: runFleet as RunFleet });
        const at = new Date().toISOString();
        for (const h of again.record.hosts) {
          const orig = byHost.get(h.name);
          if (!orig) continue;
          if (h.status !== 'ok') {
            orig.verification = { state: 'unreachable', at, findings: [], note: h.reason ?? h.status };
            exit = Math.max(exit, EXIT.unreachable);
            continue;
          }
          // a host lost part-way, or with a cleaning task failed, is still infected, not reinfected
          const verdict = judgeVerification(h.findings.filter((f) => !f.artifacts.every((a) => 'path' in a && a.path.startsWith('/var/lib/minesweep/'))), { finished: cleaningFinished(orig) });
          const note = verdict.state === 'infected'
            ? `the cleaning did not finish (${orig.reason ?? orig.status}); still there: ${verdict.findings.map((f) => f.title).slice(0, 3).join('; ')}${verdict.findings.length > 3 ? ' …' : ''}`
            : verdict.comebacks.map((c) => `${c.what} came back${c.from.length ? ` from ${c.from.join('; ')}` : ''}`).join('\n');
          orig.verification = { state: verdict.state, at, findings: verdict.findings, ...(note ? { note } : {}) };
          const wasInfected = infected.some((x) => x.name === h.name);
          if (verdict.state === 'reinfected') {
            exit = Math.max(exit, EXIT.findings);
            if (!o.json) {
              process.stdout.write(`REINFECTED ${escapeForTerminal(h.name)}${wasInfected ? '' : ' (was clean before)'}\n`);
              for (const c of verdict.comebacks) process.stdout.write(`  ${escapeForTerminal(c.what)} came back${c.from.length ? ` from:\n    ${c.from.map((x) => escapeForTerminal(x)).join('\n    ')}` : ''}\n`);
            }
          } else if (verdict.state === 'infected') {
            exit = Math.max(exit, EXIT.findings);
            if (!o.json) process.stdout.write(`INFECTED   ${escapeForTerminal(h.name)} (${escapeForTerminal(note)})\n`);
          } else if (wasInfected && !o.json) process.stdout.write(`CLEAN      ${escapeForTerminal(h.name)} (still clean ${verifyAfter}s later)\n`);
          if (o.json) for (const l of verificationLines(orig)) emit(l);
        }
        const reinfected = record.hosts.filter((h) => h.verification?.state === 'reinfected').length;
        const unfinished = record.hosts.filter((h) => h.verification?.state === 'infected').length;
        if (!o.json) process.stdout.write(`verification: ${record.hosts.filter((h) => h.verification?.state === 'clean').length} clean, ${reinfected} reinfected${unfinished ? `, ${unfinished} still infected (cleaning not finished)` : ''}\n`);
      }
      const wall = (Date.now() - t0) / 1000;
      const cleanAfter = apply && Number.isFinite(firstStep) && lastClean ? (lastClean - firstStep) / 1000 : null;
      const timing = { wallSeconds: wall, firstStepToLastCleanSeconds: cleanAfter };
      writeRunJson(runDir, 'timing.json', timing);
      if (!o.json) {
        if (cleanAfter !== null) process.stdout.write(`timing: wall ${wall.toFixed(1)}s; last host clean ${cleanAfter.toFixed(1)}s after the first step\n`);
        process.stdout.write(`run: ${runDir}\n`);
      }
      record.finishedAt = new Date().toISOString();
      writeRunRecord(runDir, record);
      if (o.json) for (const l of recordLines(record, runDir, exit).slice(1)) emit(l);
      reportRun(runDir, { quiet: o.json, record });
      if (incident) joinIncident(incident, runDir, { quiet: o.json });
      writeFailedHosts(hostResults(), runDir);
      journal?.append({ j: 'end', at: record.finishedAt });
      journal?.close();
      stop?.dispose();
      return exit;
    }),
  );
}

export type { HostRun };
