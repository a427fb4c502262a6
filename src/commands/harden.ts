import { reportRun } from './run-report.js';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { loadCatalogue } from '../catalogue/load.js';
import { HARDEN_AREAS, hardenHost, hardenVarsOf, type HardenArea, type HostHardenResult } from '../harden/harden-host.js';
import { planText } from '../remediate/print-plan.js';
import { overallStatus } from '../remediate/run-steps.js';
import { readRunRecord, writeRunRecord } from '../run/run-dir.js';
import type { RunRecord } from '../run/types.js';
import { sweepFleet } from '../sweep/sweep-fleet.js';
import { controllerKeyFingerprints } from '../sweep/controller-keys.js';
import { Journal } from '../engine/journal.js';
import { stopOnSignals } from '../engine/stop.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { runFleet } from '../transport/fleet.js';
import { freshLogin } from '../transport/fresh-login.js';
import type { RunFleet } from '../transport/types.js';
import { addShardOptions } from './shard-options.js';
import { action, addFleetOptions, noHostsMatched, addOutputOption, exitCodeFor, loadTargets, outputOf, printJsonLine, readFleetOptions, transportOptions, UsageError, writeFailedHosts } from './common.js';

// `minesweep harden -i INV [--apply] [--tags firewall,redis,ssh] [--from runs/RUN]`
// The three hardening playbooks fleet-wide (playbooks/harden-*.yml hold their vars):
// firewall (pool/C2 egress blocked, world-open datastore ports closed), Redis (password,
// loopback, protected mode, dangerous commands off, not root), SSH (key allowlist, locked
// authorized_keys, sshd_config checked and reloaded). Lockout-proof: a plan that would cut
// the controller off is refused before anything is touched. Exit: 0 ok, 3 failed/refused, 4 unreachable.

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

export function register(program: Command): void {
  const cmd = program
    .command('harden')
    .description('Close the holes fleet-wide: firewall, Redis, SSH (plan by default; --apply to change)')
    .option('--apply', 'change the hosts (default: print the plan with diffs)', false)
    .option('--tags <areas>', 'only these areas (firewall,redis,ssh)')
    .option('--skip-tags <areas>', 'skip these areas')
    .option('--from <run-dir>', 'take the pool/C2 addresses to block from this run (default: the latest run with some)');
  addOutputOption(cmd, 'where run directories go', 'runs');
  addShardOptions(addFleetOptions(cmd, { timeoutSec: 300 })).action(
    action(async (raw: Record<string, unknown>) => {
      const o = readFleetOptions(raw);
      const apply = raw['apply'] === true;
      const pick = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
      const tags = pick(raw['tags']);
      const skip = pick(raw['skipTags']);
      for (const x of [...(tags ?? []), ...(skip ?? [])]) if (!(HARDEN_AREAS as string[]).includes(x)) throw new UsageError(`unknown area ${x}; expected firewall, redis or ssh`);
      const areas = HARDEN_AREAS.filter((a) => (!tags || tags.includes(a)) && !skip?.includes(a)) as HardenArea[];
      const out = outputOf(raw, 'runs');
      const last = lastSweepAddresses(out, typeof raw['from'] === 'string' ? raw['from'] : undefined);
      const fleet = await transportOptions(o);
      const t = await loadTargets(o, 'all', fleet);
      const none = noHostsMatched(o, t);
      if (none) throw none;
      const s = await sweepFleet(t.targets, { catalogue: loadCatalogue([]), fleet, become: o.become, out, keepFacts: true, command: 'harden', argv: process.argv.slice(2), inventory: o.inventory, problems: t.problems, runFleet: runFleet as RunFleet, ...(t.shard ? { shard: t.shard } : {}) });
      const record = s.record;
      record.command = 'harden';
      record.apply = apply;
      const runDir = s.runDir!;
      if (last.addresses.length && !o.json) process.stdout.write(`blocking egress to ${last.addresses.length} pool/C2 address(es) from ${last.run}\n`);
      const byName = new Map(t.targets.map((x) => [x.name, x]));
      const journal = apply ? new Journal(runDir, { runId: record.id, command: 'harden', argv: process.argv.slice(2), inventory: o.inventory, quarantineDir: quarantineDirFor(record.id), startedAt: record.startedAt }) : undefined;
      const stop = apply ? stopOnSignals((sig) => { if (!o.json) process.stderr.write(`\n${sig}: finishing the steps running now, then stopping (again to quit at once)\n`); }) : undefined;
      const controllerKeys = controllerKeyFingerprints(t.targets);
      const results = await runFleet<HostHardenResult>(
        t.targets.filter((x) => s.facts.has(x.name)),
        async (session) => {
          const target = byName.get(session.target.name)!;
          const r = await hardenHost(session, {
            facts: s.facts.get(target.name)!,
            vars: hardenVarsOf(target.vars, last.addresses),
            runId: record.id,
            runDir,
            apply,
            areas,
            sweepAddresses: last.addresses,
            controllerKeys,
            ...(journal ? { journal } : {}),
            ...(stop ? { stop: stop.signal } : {}),
            freshLogin: () => freshLogin(target, fleet),
          });
          if (r.plan.refused.length) return { status: 'failed', value: r, reason: `refused, nothing touched: ${r.plan.refused.join('; ')}` };
          const status = (apply ? overallStatus(r.tasks) : 'ok') as 'ok' | 'changed' | 'failed';
          const bad = r.tasks.find((x) => x.status === 'failed');
          const why = bad?.steps.find((x) => x.status === 'failed');
          const failure = why ? `${bad!.task}: ${why.description}: ${(why.stdout ?? '').trim().split('\n').pop() ?? ''} ${(why.stderr ?? '').trim().split('\n').pop() ?? ''}`.trim() : undefined;
          // the record and the report say which areas were left out, not only the console
          const left = r.notApplied.length ? `not applied: ${r.notApplied.join(', ')} (${failure ? `${bad!.task} failed` : 'stopped'})` : undefined;
          const reason = [failure, left].filter(Boolean).join('; ');
          return { status, value: r, ...(reason ? { reason } : {}) };
        },
        fleet,
      );
      const hosts = new Map(record.hosts.map((h) => [h.name, h]));
      let changed = 0;
      for (const r of results) {
        const h = hosts.get(r.host);
        const v = r.value;
        if (h) {
          h.status = r.status;
          if (r.reason) h.reason = r.reason;
          if (r.connectRetries) h.connectRetries = (h.connectRetries ?? 0) + r.connectRetries;
          if (v) {
            h.tasks.push(...v.tasks);
            h.quarantine.push(...v.records);
          }
        }
        if (r.status === 'changed') changed++;
        if (o.json) { printJsonLine({ host: r.host, status: r.status, reason: r.reason, notes: v?.plan.notes, tasks: v?.tasks.map((x) => ({ task: x.task, status: x.status })), freshLogin: v?.freshLogin }); continue; }
        if (!apply && v) process.stdout.write(planText({ host: r.host, phases: v.plan.steps, notes: [...v.plan.refused.map((x) => `REFUSED: ${x}`), ...v.plan.notes] }));
        else {
          process.stdout.write(`${r.status.toUpperCase().padEnd(9)} ${escapeForTerminal(r.host)}  ${v?.tasks.map((x) => `${x.task}:${x.status}`).join(' ') ?? ''}${v?.freshLogin ? `  fresh login ${v.freshLogin === 'restored' ? 'FAILED: previous sshd_config restored, login works again' : v.freshLogin}` : ''}\n`);
          if (r.reason) process.stdout.write(`          ${escapeForTerminal(r.reason)}\n`);
          for (const n of v?.plan.notes ?? []) process.stdout.write(`          note: ${escapeForTerminal(n)}\n`);
          if (v?.secretFiles.length) process.stdout.write(`          new Redis password(s) stored 0600 in ${escapeForTerminal(v.secretFiles.map((f) => path.relative(process.cwd(), f)).join(', '))}\n`);
        }
      }
      if (!o.json) process.stdout.write(apply ? `harden: ${changed} host(s) changed, ${results.filter((r) => r.status === 'ok').length} unchanged, ${results.filter((r) => r.status === 'failed').length} failed\nrun: ${runDir}\n` : `check mode: nothing changed; pass --apply to harden\nrun: ${runDir}\n`);
      record.finishedAt = new Date().toISOString();
      if (stop?.signal.reason) journal?.append({ j: 'stop', reason: stop.signal.reason, at: record.finishedAt });
      writeRunRecord(runDir, record);
      reportRun(runDir, { quiet: o.json });
      journal?.append({ j: 'end', at: record.finishedAt });
      journal?.close();
      stop?.dispose();
      writeFailedHosts([...results, ...s.results.filter((r) => r.status === 'unreachable')], runDir);
      const code = exitCodeFor([...results, ...s.results]);
      if (stop?.signal.reason) return EXIT.interrupted;
      return code === EXIT.ok ? EXIT.ok : code;
    }),
  );
}
