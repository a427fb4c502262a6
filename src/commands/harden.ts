import { reportRun } from './run-report.js';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import type { HostResult, HostStatus } from '../core/result.js';
import { escapeForTerminal } from '../core/terminal.js';
import { loadCatalogue } from '../catalogue/load.js';
import { planText } from '../remediate/print-plan.js';
import { readRunRecord, writeRunJson, writeRunRecord } from '../run/run-dir.js';
import { safeName } from '../run/safe-name.js';
import type { RunRecord } from '../run/types.js';
import { sweepFleet } from '../sweep/sweep-fleet.js';
import { Journal } from '../engine/journal.js';
import { stopOnSignals } from '../engine/stop.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { getModule } from '../playbook/registry.js';
import { runPlaybook, type PlaybookRunOptions } from '../playbook/run-playbook.js';
import { runFleet } from '../transport/fleet.js';
import { freshLogin } from '../transport/fresh-login.js';
import type { RunFleet } from '../transport/types.js';
import type { Target } from '../inventory/types.js';
import { HARDEN_AREAS, hardenPlaybook, hardenSeedVars, planEveryArea, type HardenArea } from './harden-playbook.js';
import { hardenCollector, type HostHardening } from './harden-collect.js';
import { judgeRecheck } from '../harden/recheck.js';
import { engineBase, onlyThese } from './engine-options.js';
import { addShardOptions } from './shard-options.js';
import { action, addFleetOptions, noHostsMatched, addOutputOption, exitCodeFor, loadTargets, outputOf, readFleetOptions, transportOptions, UsageError, writeFailedHosts } from './common.js';
import { SUMMARIES } from './summaries.js';
import { emit } from './jsonl.js';
import { JSONL_VERSION, recordLines, runLine } from '../report/jsonl.js';
import { addIncidentOption, incidentOf, joinIncident } from './incident-option.js';

// `minesweep harden -i INV [--apply] [--tags firewall,redis,ssh] [--from runs/RUN]`
// Sweeps, then runs playbooks/harden-ssh.yml, harden-firewall.yml and harden-redis.yml
// (in that order, their vars the defaults) through the engine, seeded with the sweep's
// facts and with the last sweep's pool/C2 addresses as harden_sweep_addresses: firewall
// (pool/C2 egress blocked, world-open datastore ports closed), Redis (password, loopback,
// protected mode, dangerous commands off, not root), SSH (sshd_config checked and reloaded,
// a fresh login proved, key allowlist, locked authorized_keys). Every area is planned first;
// a host where a guard refuses any of it is left untouched; --apply then runs the plan on the
// other hosts, and probes the hosts it changed again (recheck: the open doors left). The plan of each host is in runs/RUN/plans/HOST.json. Exit: 0 ok, 3 failed/refused, 4 unreachable, 130 stopped.

/** pool/C2 IP addresses of the given run, or of the latest run under `out` that has some. */
export function lastSweepAddresses(out: string, from?: string): { run?: string; addresses: string[] } {
  const ips = (r: RunRecord) => [...new Set(r.iocs.filter((i) => i.type === 'ip').map((i) => i.value))];
  if (from) return { run: from, addresses: ips(readRunRecord(from)) };
  if (!existsSync(out)) return { addresses: [] };
  for (const d of readdirSync(out).sort().reverse()) {
    const dir = path.join(out, d);
    if (!existsSync(path.join(dir, 'run.json'))) continue;
    try {
      const a = ips(readRunRecord(dir));
      if (a.length) return { run: dir, addresses: a };
    } catch {
      /* not a run directory */
    }
  }
  return { addresses: [] };
}

const worst = (sts: HostStatus[]): HostStatus => (['unreachable', 'failed', 'changed', 'ok'] as const).find((s) => sts.includes(s)) ?? 'ok';

/** Per area, how its tasks ended: "ssh:changed firewall:ok". */
function areaStatuses(h: HostHardening | undefined, areaOf: ReadonlyMap<string, HardenArea>): string {
  if (!h) return '';
  const by = new Map<HardenArea, HostStatus[]>();
  for (const t of h.tasks) {
    const area = areaOf.get(t.play);
    if (area && t.status !== 'skipped') by.set(area, [...(by.get(area) ?? []), t.status]);
  }
  return [...by].map(([a, sts]) => `${a}:${worst(sts)}`).join(' ');
}

export function register(program: Command): void {
  const cmd = program
    .command('harden')
    .description(SUMMARIES.harden.description)
    .option('--apply', 'change the hosts (default: print the plan with diffs)', false)
    .option('--tags <areas>', 'only these areas (firewall,redis,ssh)')
    .option('--skip-tags <areas>', 'skip these areas')
    .option('--from <run-dir>', 'take the pool/C2 addresses to block from this run (default: the latest run with some)');
  addOutputOption(cmd, 'where run directories go', 'runs');
  addIncidentOption(cmd);
  addShardOptions(addFleetOptions(cmd, { timeoutSec: 300 })).action(
    action(async (raw: Record<string, unknown>) => {
      const o = readFleetOptions(raw);
      const apply = raw['apply'] === true;
      const pick = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
      const tags = pick(raw['tags']);
      const skip = pick(raw['skipTags']);
      for (const x of [...(tags ?? []), ...(skip ?? [])]) if (!(HARDEN_AREAS as readonly string[]).includes(x)) throw new UsageError(`unknown area ${x}; expected firewall, redis or ssh`);
      const areas = HARDEN_AREAS.filter((a) => (!tags || tags.includes(a)) && !skip?.includes(a));
      const out = outputOf(raw, 'runs');
      const incident = incidentOf(raw, out);
      const last = lastSweepAddresses(out, typeof raw['from'] === 'string' ? raw['from'] : undefined);
      const { playbook, areaOf } = await hardenPlaybook(areas);
      const fleet = await transportOptions(o);
      const t = await loadTargets(o, 'all', fleet);
      const none = noHostsMatched(o, t);
      if (none) throw none;
      const argv = process.argv.slice(2);
      const s = await sweepFleet(t.targets, { catalogue: loadCatalogue([]), fleet, become: o.become, out, keepFacts: true, command: 'harden', argv, inventory: o.inventory, problems: t.problems, runFleet: runFleet as RunFleet, ...(t.shard ? { shard: t.shard } : {}) });
      const record = s.record;
      record.command = 'harden';
      record.apply = apply;
      const runDir = s.runDir!;
      if (o.json) emit(runLine('harden', { id: record.id, runDir, startedAt: record.startedAt, apply }));
      if (last.addresses.length && !o.json) process.stdout.write(`blocking egress to ${last.addresses.length} pool/C2 address(es) from ${last.run}\n`);
      const swept = t.targets.filter((x) => s.facts.has(x.name));

      // the engine, seeded with the sweep's facts (the probe tasks, tagged always, are skipped)
      const base = engineBase(o, { id: record.id, dir: runDir }, playbook, fleet, t.targets, onlyThese(swept));
      const engine = (targets: Target[], into: Map<string, HostHardening>): Omit<PlaybookRunOptions, 'check'> => ({
        extraVars: { harden_sweep_addresses: last.addresses },
        skipTags: ['always'],
        seed: new Map(targets.map((x) => [x.name, { facts: s.facts.get(x.name)!, vars: hardenSeedVars(x.vars) }])),
        ...base,
        targetsFor: onlyThese(targets),
        freshLogin: (target) => freshLogin(target, fleet),
        events: [hardenCollector(into, areaOf, getModule)],
      });

      // 1. plan every area on every host (check mode): a refusal anywhere leaves the host untouched
      const plans = new Map<string, HostHardening>();
      const planned = swept.length ? await runPlaybook(planEveryArea(playbook), { ...engine(swept, plans), check: true }) : undefined;
      const results = new Map<string, HostResult<HostHardening>>();
      const result = (host: string, status: HostStatus, value: HostHardening | undefined, reason?: string) => results.set(host, { host, status, ...(value ? { value } : {}), ...(reason ? { reason } : {}), startedAt: '', durationMs: 0 });
      const ready: Target[] = [];
      for (const x of swept) {
        const run = planned?.hosts.get(x.name);
        const p = plans.get(x.name);
        if (!run || run.status === 'unreachable') result(x.name, 'unreachable', p, run?.reason ?? 'not reached while planning');
        else if (p?.refused.length) result(x.name, 'failed', p, `refused, nothing touched: ${p.refused.join('; ')}`);
        else if (p?.failures.length) result(x.name, 'failed', p, `planning failed, nothing touched: ${p.failures.join('; ')}`);
        else if (apply && p?.changing.length) ready.push(x);
        else result(x.name, 'ok', p);
      }

      // 2. --apply: run the plan where there is one; every change journaled before it is made
      const journal = apply ? new Journal(runDir, { runId: record.id, command: 'harden', argv, inventory: o.inventory, quarantineDir: quarantineDirFor(record.id), startedAt: record.startedAt }) : undefined;
      const stop = apply ? stopOnSignals((sig) => { if (!o.json) process.stderr.write(`\n${sig}: finishing the steps running now, then stopping (again to quit at once)\n`); }) : undefined;
      const done = new Map<string, HostHardening>();
      const ran = ready.length ? await runPlaybook(playbook, { ...engine(ready, done), check: false, ...(journal ? { journal } : {}), ...(stop ? { stop: stop.signal } : {}) }) : undefined;
      const hosts = new Map(record.hosts.map((h) => [h.name, h]));
      for (const x of ready) {
        const run = ran?.hosts.get(x.name);
        const v = done.get(x.name);
        const todo = plans.get(x.name)!.changing;
        // areas that would have changed the host but were not reached: an earlier one failed, or a stop
        const left = todo.filter((a) => !v?.reached.includes(a));
        const why = run?.status === 'failed' ? `${v?.failedPlay ?? 'a task'} failed` : run?.status === 'unreachable' ? 'host unreachable' : 'stopped';
        const reason = [run?.status === 'failed' || run?.status === 'unreachable' ? run.reason : undefined, left.length ? `not applied: ${left.join(', ')} (${why})` : undefined].filter(Boolean).join('; ');
        result(x.name, run?.status ?? 'unreachable', v, reason || undefined);
        const h = hosts.get(x.name);
        if (h && run) {
          h.tasks.push(...run.tasks);
          h.quarantine.push(...run.quarantine);
          if (run.connectRetries) h.connectRetries = (h.connectRetries ?? 0) + run.connectRetries;
        }
      }

      // 3. recheck: probe the changed hosts again; the open doors left are what hardening did not close
      const changedHosts = ready.filter((x) => ['changed', 'ok'].includes(results.get(x.name)?.status ?? ''));
      if (changedHosts.length && !stop?.signal.reason) {
        const again = await sweepFleet(changedHosts, { catalogue: loadCatalogue([]), fleet, become: o.become, command: 'verify', runFleet: runFleet as RunFleet });
        const at = new Date().toISOString();
        for (const a of again.record.hosts) {
          const h = hosts.get(a.name);
          if (!h) continue;
          h.recheck = a.status !== 'ok' ? { state: 'unreachable', at, findings: [], note: a.reason ?? a.status } : { at, ...judgeRecheck(h.findings, a.findings) };
        }
        if (!o.json) {
          const closed = changedHosts.filter((x) => hosts.get(x.name)?.recheck?.state === 'closed').length;
          process.stdout.write(`recheck: ${closed} of ${changedHosts.length} changed host(s) have no open door left\n`);
          for (const x of changedHosts) {
            const r = hosts.get(x.name)?.recheck;
            if (r && r.state !== 'closed') process.stdout.write(`${r.state.toUpperCase().padEnd(9)} ${escapeForTerminal(x.name)}  ${escapeForTerminal(r.note ?? '')}\n`);
          }
        }
      }

      let changed = 0;
      for (const x of swept) {
        const r = results.get(x.name)!;
        const h = hosts.get(x.name);
        if (h) {
          h.status = r.status;
          if (r.reason) h.reason = r.reason;
        }
        const v = r.value;
        const p = plans.get(x.name);
        if (p) writeRunJson(runDir, `plans/${safeName(x.name)}.json`, { host: x.name, refused: p.refused, notes: p.notes, steps: HARDEN_AREAS.flatMap((area) => (p.steps[area] ?? []).map((st) => ({ area, description: st.description, ...(st.diff ? { diff: st.diff } : {}) }))) });
        if (r.status === 'changed') changed++;
        if (o.json) { emit({ type: 'host', v: JSONL_VERSION, stage: 'action', host: r.host, status: r.status, ...(r.reason ? { reason: r.reason } : {}), ...(v?.notes.length ? { notes: v.notes } : {}), ...(apply && v ? { tasks: v.tasks.filter((k) => k.status !== 'skipped').map((k) => ({ task: k.task, status: k.status })) } : {}), ...(v?.freshLogin ? { details: { freshLogin: v.freshLogin } } : {}) }); continue; }
        if (!apply) {
          process.stdout.write(planText({ host: r.host, phases: v?.steps ?? {}, notes: [...(v?.refused ?? []).map((n) => `REFUSED: ${n}`), ...(v?.notes ?? [])] }));
          if (r.status !== 'ok') process.stdout.write(`${r.status.toUpperCase().padEnd(9)} ${escapeForTerminal(r.host)}  ${escapeForTerminal(r.reason ?? '')}\n`);
          continue;
        }
        process.stdout.write(`${r.status.toUpperCase().padEnd(9)} ${escapeForTerminal(r.host)}  ${ready.includes(x) ? areaStatuses(v, areaOf) : ''}${v?.freshLogin ? `  fresh login ${v.freshLogin === 'restored' ? 'FAILED: previous sshd_config restored, login works again' : v.freshLogin}` : ''}\n`);
        if (r.reason) process.stdout.write(`          ${escapeForTerminal(r.reason)}\n`);
        for (const n of v?.notes ?? []) process.stdout.write(`          note: ${escapeForTerminal(n)}\n`);
        if (v?.secretFiles.length) process.stdout.write(`          new Redis password(s) stored 0600 in ${escapeForTerminal(v.secretFiles.map((f) => path.relative(process.cwd(), f)).join(', '))}\n`);
      }
      const all = [...results.values()];
      if (!o.json) process.stdout.write(apply ? `harden: ${changed} host(s) changed, ${all.filter((r) => r.status === 'ok').length} unchanged, ${all.filter((r) => r.status === 'failed').length} failed\nrun: ${runDir}\n` : `check mode: nothing changed; pass --apply to harden\nrun: ${runDir}\n`);
      record.finishedAt = new Date().toISOString();
      if (stop?.signal.reason) journal?.append({ j: 'stop', reason: stop.signal.reason, at: record.finishedAt });
      writeRunRecord(runDir, record);
      if (o.json) for (const l of recordLines(record, runDir, stop?.signal.reason ? EXIT.interrupted : exitCodeFor([...all, ...s.results])).slice(1)) emit(l);
      reportRun(runDir, { quiet: o.json, record });
      if (incident) joinIncident(incident, runDir, { quiet: o.json });
      journal?.append({ j: 'end', at: record.finishedAt });
      journal?.close();
      stop?.dispose();
      writeFailedHosts([...all, ...s.results.filter((r) => r.status === 'unreachable')], runDir);
      const code = exitCodeFor([...all, ...s.results]);
      if (stop?.signal.reason) return EXIT.interrupted;
      return code;
    }),
  );
}
