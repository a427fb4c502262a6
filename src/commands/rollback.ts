import path from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { escapeForTerminal } from '../core/terminal.js';
import { readJournal } from '../engine/journal.js';
import { mergeRecords, recordPath } from '../quarantine/manifest.js';
import { recordId, RESTORED_OK, type RestoreResult } from '../quarantine/rollback.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import { localReader } from '../playbook/local-files.js';
import { getModule } from '../playbook/registry.js';
import { runPlaybook } from '../playbook/run-playbook.js';
import { playbooksDir } from '../core/paths.js';
import { controllerKeyFingerprints } from '../sweep/controller-keys.js';
import type { HostResult } from '../core/result.js';
import type { RunFleet } from '../transport/types.js';
import { readRunRecord, RunDirError, writeRunJson } from '../run/run-dir.js';
import type { QuarantineRecord, RunRecord, TaskRecord } from '../run/types.js';
import { runFleet } from '../transport/fleet.js';
import { action, addFleetOptions, exitCodeFor, loadTargets, readFleetOptions, transportOptions, UsageError } from './common.js';
import { resultStream } from './jsonl.js';
import { resultLine, type HostLine } from '../report/jsonl.js';
import { SUMMARIES } from './summaries.js';

// `minesweep rollback runs/RUN [--apply] [-i INV]`: undo every change the run recorded,
// last first: files back byte-exact with their type, mode, owner, attributes, link target and
// link count, renames undone, attributes put back, files the run created moved into
// quarantine. It works from the run's journal (written before each change, fsynced) and the
// hosts' own manifests, so also for a run killed at any instant or one that never wrote
// run.json. It says what it restored and what it could not; exit 0 only when nothing the run
// changed is left changed (3 otherwise, 4 when a host could not be reached).

interface HostRollback {
  records: QuarantineRecord[];
  results: Map<string, RestoreResult>;
  tasks: TaskRecord[];
}

function describe(r: QuarantineRecord): string {
  const attrs = r.attrs.replace(/-/g, '').replace(/e/g, '');
  switch (r.kind) {
    case 'renamed': return `${r.originalPath} -> ${r.renamedFrom ?? ''} (renamed back)`;
    case 'meta': return `${r.originalPath} (mode ${r.mode}, ${r.owner}:${r.group}${attrs ? ` +${attrs}` : ''})`;
    case 'created': return `${r.originalPath} (created by the run: moved into quarantine)`;
    case 'special': return `${r.originalPath} (${r.fileType ?? 'special file'}, left in place)`;
    default: return `${r.originalPath} (${r.fileType && r.fileType !== 'file' ? `${r.fileType}, ` : ''}${r.fileType === 'link' ? `-> ${r.linkTarget ?? '?'}` : `mode ${r.mode}`}, ${r.owner}:${r.group}${attrs ? ` +${attrs}` : ''}${(r.nlink ?? 1) > 1 ? `, ${r.nlink} links` : ''})`;
  }
}

/** A host's recorded changes and what became of each: `planned` in check mode, `failed` when the host gave no result. */
export function changesOf(v: Pick<HostRollback, 'records' | 'results'>, apply: boolean): NonNullable<HostLine['changes']> {
  return v.records.map((rec, i) => {
    const res = v.results.get(recordId(rec, i));
    return { path: recordPath(rec), kind: rec.kind ?? 'moved', outcome: res?.outcome ?? (apply ? 'failed' : 'planned'), ...(res?.detail ? { detail: res.detail } : {}) };
  });
}

export function register(program: Command): void {
  const cmd = program
    .command('rollback')
    .argument('<run-dir>', 'the run directory of the remediation (runs/<time>-<id>)')
    .description(SUMMARIES.rollback.description)
    .option('--apply', 'restore (default: list what would be restored)', false);
  addFleetOptions(cmd).action(
    action(async (runDir: string, raw: Record<string, unknown>) => {
      const journal = readJournal(runDir);
      let record: RunRecord | undefined;
      try {
        record = readRunRecord(runDir);
      } catch (e) {
        if (!(e instanceof RunDirError)) throw e;
        if (!journal?.run) throw new UsageError(`${runDir}: no journal.jsonl and ${(e as Error).message}`);
      }
      const runId = journal?.run?.runId ?? record!.id;
      const qdir = journal?.run?.quarantineDir ?? quarantineDirFor(runId);
      if (!(raw['inventory'] as string[]).length) raw['inventory'] = journal?.run?.inventory ?? record?.inventory ?? [];
      if (!(raw['inventory'] as string[]).length) throw new UsageError(`${runDir} names no inventory. Fix: pass -i inventory.yml`);
      const o = readFleetOptions(raw);
      const apply = raw['apply'] === true;
      const fromController = new Map<string, QuarantineRecord[]>();
      for (const [h, j] of journal?.hosts ?? []) if (j.steps || j.records.length) fromController.set(h, [...j.records]);
      for (const h of record?.hosts ?? []) if (h.quarantine.length) fromController.set(h.name, mergeRecords(fromController.get(h.name) ?? [], h.quarantine));
      const say = (s: string) => { if (!o.json) process.stdout.write(s); };
      // the run line names the run being undone
      const stream = resultStream(o.json, 'rollback', { id: runId, runDir: path.resolve(runDir), apply });
      const note = (m: string) => { say(`${escapeForTerminal(m)}\n`); stream.warn(m); };
      if (journal?.stopped) note(`the run was stopped: ${journal.stopped}`);
      else if (journal && !journal.ended && !record) note('the run never finished (no run.json): working from its journal and the hosts\' manifests');
      if (!fromController.size) {
        say(`nothing to roll back: ${runDir} ${journal ? 'began no change on any host (its journal shows no step)' : 'recorded no change on any host'}\n`);
        stream.end([], EXIT.ok);
        return EXIT.ok;
      }
      const fleet = await transportOptions(o);
      fleet.warn = (m) => {
        process.stderr.write(m + '\n');
        stream.warn(m);
      };
      const t = await loadTargets(o, 'all', fleet);
      const targets = t.targets.filter((x) => fromController.has(x.name));
      const missing = [...fromController.keys()].filter((h) => !t.targets.some((x) => x.name === h));
      const pb = await loadPlaybook(path.join(playbooksDir, 'rollback.yml'));
      const byHost = new Map<string, { records: QuarantineRecord[]; results: Map<string, RestoreResult> }>();
      const r = await runPlaybook(pb, {
        check: !apply,
        extraVars: { rollback_quarantine_dir: qdir },
        seed: new Map(targets.map((x) => [x.name, { vars: { rollback_records: fromController.get(x.name) ?? [] } }])),
        runId,
        quarantineDir: qdir,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
        controllerKeys: controllerKeyFingerprints(t.targets),
        getModule,
        readLocal: localReader(pb.dir),
        targetsFor: async () => ({ targets, problems: [] }),
        runFleet: runFleet as RunFleet,
        fleet,
        events: [{ taskEnd: (e) => byHost.set(e.host, { records: (e.result['records'] as QuarantineRecord[] | undefined) ?? [], results: new Map(Object.entries((e.result['restored'] as Record<string, RestoreResult> | undefined) ?? {})) }) }],
      });
      const results: HostResult<HostRollback>[] = [...r.hosts.values()].map((h) => {
        const got = byHost.get(h.name);
        const value = got ? { ...got, tasks: h.tasks } : undefined;
        const left = apply && got ? got.records.filter((rec, i) => !RESTORED_OK.has(got.results.get(recordId(rec, i))?.outcome ?? 'failed')).length : 0;
        const status = h.status === 'unreachable' ? 'unreachable' : left ? 'failed' : h.status;
        const reason = left ? `${left} of ${got!.records.length} change(s) could not be undone` : h.reason;
        return { host: h.name, status, startedAt: '', durationMs: 0, ...(value && (got!.records.length || h.tasks.length) ? { value } : {}), ...(reason ? { reason } : {}) };
      });
      let left = 0;
      for (const r of results) {
        const v = r.value;
        if (o.json) {
          stream.line(resultLine(r, 'action', v ? { changes: changesOf(v, apply) } : {}));
        } else {
          say(`${r.status.toUpperCase().padEnd(9)} ${escapeForTerminal(r.host)}${r.reason ? `  ${escapeForTerminal(r.reason)}` : ''}\n`);
          for (const [i, rec] of [...(v?.records ?? [])].entries()) {
            const res = v!.results.get(recordId(rec, i));
            const what = escapeForTerminal(describe(rec));
            if (!apply) say(`  would restore ${what}\n`);
            else if (!res) say(`  NOT RESTORED ${what}: no result from the host\n`);
            else if (RESTORED_OK.has(res.outcome)) say(`  ${res.outcome === 'present' ? 'already as before' : res.outcome === 'removed' ? 'removed (kept in quarantine)' : res.outcome === 'special' ? 'left in place' : 'restored'} ${what}\n`);
            else say(`  COULD NOT restore ${what}: ${res.outcome} ${escapeForTerminal(res.detail)}\n`);
          }
        }
        if (apply && v) left += v.records.filter((rec, i) => !RESTORED_OK.has(v.results.get(recordId(rec, i))?.outcome ?? 'failed')).length;
        else if (apply && !v) left += fromController.get(r.host)?.length ?? 1;
      }
      const notInInventory = "changed by the run but not in the inventory (pass -i with the run's inventory)";
      const notChecked: HostResult[] = missing.map((h) => ({ host: h, status: 'skipped', reason: `not checked: ${notInInventory}`, startedAt: '', durationMs: 0 }));
      for (const h of notChecked) {
        say(`NOT CHECKED ${escapeForTerminal(h.host)}: ${notInInventory}\n`);
        stream.line(resultLine(h, 'action'));
      }
      if (apply) {
        writeRunJson(runDir, `rollback-${Date.now()}.json`, results.map((r) => ({ host: r.host, status: r.status, reason: r.reason, tasks: r.value?.tasks, outcomes: r.value ? Object.fromEntries(r.value.results) : undefined })));
        say(left || missing.length ? `rollback: ${left} change(s) left as they are now${missing.length ? `, ${missing.length} host(s) not checked` : ''}\n` : 'rollback: every recorded change undone\n');
      } else say(`check mode: nothing changed; pass --apply to restore (${path.resolve(runDir)})\n`);
      const code = exitCodeFor(results);
      const exit = code !== EXIT.ok ? code : apply && (left || missing.length) ? EXIT.failed : EXIT.ok;
      stream.end([...results, ...notChecked], exit);
      return exit;
    }),
  );
}
