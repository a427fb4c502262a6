import path from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { decodeLossless } from '../core/bytes.js';
import { command } from '../core/quote.js';
import { parseQuarantineOutput } from '../quarantine/manifest.js';
import { planRollback } from '../quarantine/rollback.js';
import { quarantineDirFor } from '../remediate/context.js';
import { runSteps, taskRecords, overallStatus } from '../remediate/run-steps.js';
import { readRunRecord, writeRunJson } from '../run/run-dir.js';
import type { QuarantineRecord, TaskRecord } from '../run/types.js';
import { runFleet } from '../transport/fleet.js';
import { action, addFleetOptions, exitCodeFor, loadTargets, printJsonLine, readFleetOptions, transportOptions, UsageError } from './common.js';

// `minesweep rollback runs/RUN [--apply] [-i INV]`: put every file the run quarantined back,
// byte-exact with mode, owner and attributes (and undo renames), last change first. The
// host's own manifest is authoritative; the run record is the fallback. Check mode lists
// what would be restored.

export function register(program: Command): void {
  const cmd = program
    .command('rollback')
    .argument('<run-dir>', 'the run directory of the remediation (runs/<time>-<id>)')
    .description('Restore every file a remediation run quarantined (byte-exact, with mode, owner, attributes)')
    .option('--apply', 'restore (default: list what would be restored)', false);
  addFleetOptions(cmd).action(
    action(async (runDir: string, raw: Record<string, unknown>) => {
      const record = readRunRecord(runDir);
      if (!(raw['inventory'] as string[]).length) raw['inventory'] = record.inventory;
      if (!(raw['inventory'] as string[]).length) throw new UsageError(`${runDir}/run.json names no inventory. Fix: pass -i inventory.yml`);
      const o = readFleetOptions(raw);
      const apply = raw['apply'] === true;
      const fleet = await transportOptions(o);
      const t = await loadTargets(o, 'all', fleet);
      const qdir = quarantineDirFor(record.id);
      const recorded = new Map(record.hosts.map((h) => [h.name, h.quarantine]));
      const targets = t.targets.filter((x) => (recorded.get(x.name)?.length ?? 0) > 0);
      if (!targets.length) {
        process.stdout.write(`nothing to roll back: ${runDir} quarantined no file on the selected hosts\n`);
        return EXIT.ok;
      }
      const results = await runFleet<{ records: QuarantineRecord[]; tasks: TaskRecord[] }>(
        targets,
        async (session) => {
          const m = await session.exec(command('cat', '--', `${qdir}/manifest`), { become: true });
          const fromHost = m.code === 0 ? parseQuarantineOutput(decodeLossless(m.stdout), qdir, false) : [];
          const records = fromHost.length ? fromHost : recorded.get(session.target.name) ?? [];
          if (!apply) return { status: 'ok', value: { records, tasks: [] } };
          const tasks = taskRecords('rollback', 'quarantine', await runSteps(session, planRollback(records), { become: true }), () => 'restore quarantined files');
          const status = overallStatus(tasks) as 'ok' | 'changed' | 'failed';
          const failed = tasks[0]?.steps.find((s) => s.status === 'failed');
          return { status, value: { records, tasks }, ...(failed ? { reason: `${failed.description}: ${(failed.stdout ?? '').trim()} ${(failed.stderr ?? '').trim()}` } : {}) };
        },
        fleet,
      );
      for (const r of results) {
        if (o.json) { printJsonLine({ host: r.host, status: r.status, reason: r.reason, restored: r.value?.records.length }); continue; }
        process.stdout.write(`${r.status.toUpperCase().padEnd(9)} ${escapeForTerminal(r.host)}${r.reason ? `  ${escapeForTerminal(r.reason)}` : ''}\n`);
        for (const rec of [...(r.value?.records ?? [])].reverse())
          process.stdout.write(`  ${apply ? 'restored' : 'would restore'} ${escapeForTerminal(rec.kind === 'renamed' ? `${rec.originalPath} -> ${rec.renamedFrom ?? ''}` : `${rec.originalPath} (${rec.mode} ${rec.owner}:${rec.group}${rec.attrs.replace(/-/g, '') ? ' +' + rec.attrs.replace(/-/g, '') : ''})`)}\n`);
      }
      if (apply) writeRunJson(runDir, `rollback-${Date.now()}.json`, results.map((r) => ({ host: r.host, status: r.status, reason: r.reason, tasks: r.value?.tasks })));
      if (!apply && !o.json) process.stdout.write(`check mode: nothing changed; pass --apply to restore (${path.resolve(runDir)})\n`);
      return exitCodeFor(results);
    }),
  );
}
