import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../catalogue/types.js';
import { catalogueDigest } from '../catalogue/digest.js';
import type { HostResult } from '../core/result.js';
import { assignShards, shardLabel } from '../inventory/shard.js';
import type { Target } from '../inventory/types.js';
import { newRunId } from '../run/run-id.js';
import type { MergeRecord } from '../run/types.js';
import { sweepFleet, type SweepResult } from '../sweep/sweep-fleet.js';
import { MergeError, readShards, type ShardSet } from './read-shards.js';
import { recordedFacts, recordedTarget } from './recorded-facts.js';

// `merge`: shard runs joined into one sweep run. The sweep pipeline itself runs again over the
// facts the shards recorded (rules, fleet stacking, the fleet pivot, record, evidence, report),
// so the merged run is what one sweep of the whole selection would have said. Hosts of a
// missing shard are in it as failed, with the reason. Deterministic: the run id and times come
// from the shard runs (the id hashes their ids), hosts are in name order.

export interface MergeOptions {
  catalogue: Catalogue;
  /** the merged run directory; default runs/<id> */
  runDir?: string;
  argv?: string[];
}

export interface MergeResult {
  sweep: SweepResult;
  set: ShardSet;
  merged: MergeRecord;
}

const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** The merged run's id: the earliest shard start and a hash of the shard run ids joined. */
function mergedId(set: ShardSet, startedAt: string): string {
  const h = createHash('sha256').update(JSON.stringify([set.runs.map((r) => r.record.id), set.missing, set.split.selectionHash])).digest('hex');
  return newRunId(new Date(startedAt), `m${h.slice(0, 6)}`);
}

export async function mergeRuns(dirs: readonly string[], opts: MergeOptions): Promise<MergeResult> {
  const set = readShards(dirs);
  const { split } = set;
  if (split.analysis!.catalogue !== catalogueDigest(opts.catalogue))
    throw new MergeError(`the shards were judged with another IOC catalogue than this merge loads. Fix: pass merge the same --ioc files the shard sweeps had (and the same minesweep version)`);
  const runDirOf = new Map<string, string>();
  const retries = new Map<string, number>();
  const targets: Target[] = [];
  const problems: HostResult<never>[] = [];
  const seen = new Set<string>();
  const problem = (host: string, status: HostResult['status'], reason: string) => {
    seen.add(host);
    problems.push({ host, status, reason, startedAt: '', durationMs: 0 });
  };
  for (const { dir, record, shard } of set.runs) {
    for (const h of record.hosts) {
      if (seen.has(h.name)) throw new MergeError(`host ${h.name} is in two shard runs (${runDirOf.get(h.name) ?? 'another shard'} and ${dir}). Fix: merge the shards of one split`);
      seen.add(h.name);
      if (h.connectRetries) retries.set(h.name, h.connectRetries);
      if (h.status === 'ok' && existsSync(path.join(dir, 'facts'))) {
        runDirOf.set(h.name, dir);
        targets.push(recordedTarget(h));
      } else problem(h.name, h.status === 'ok' ? 'failed' : h.status, h.reason ?? `no facts recorded in shard ${shardLabel(shard)}`);
    }
    for (const name of shard.hosts) if (!seen.has(name)) problem(name, 'failed', `shard ${shardLabel(shard)} has no result for this host (${dir})`);
  }
  // the hosts of missing shards, from the selection every shard recorded
  const assigned = assignShards(split.selection, split.count, split.by);
  for (const { host } of split.selection) {
    const k = assigned.get(host)!;
    if (set.missing.includes(k)) problem(host, 'failed', `shard ${shardLabel({ ...split, index: k })} missing: no run of it was given${set.unreadable.length ? ` (unreadable: ${set.unreadable.map((d) => path.basename(d)).join(', ')})` : ''}. Fix: sweep it with --shard ${k}/${split.count} and merge again`);
  }
  targets.sort((a, b) => order(a.name, b.name));
  problems.sort((a, b) => order(a.host, b.host));
  const startedAt = set.runs.map((r) => r.record.startedAt).sort()[0]!;
  const finishedAt = set.runs.map((r) => r.record.finishedAt).sort().at(-1)!;
  const id = mergedId(set, startedAt);
  const runDir = path.resolve(opts.runDir ?? path.join('runs', id));
  if (existsSync(runDir) && readdirSync(runDir).length) throw new MergeError(`${runDir} exists and is not empty. Fix: give -o a new directory`);
  const merged: MergeRecord = {
    count: split.count,
    by: split.by,
    selectionHash: split.selectionHash,
    shards: set.runs.map((r) => ({ index: r.shard.index, run: r.record.id, hosts: r.record.hosts.length, complete: r.shard.complete })),
    missing: set.missing,
    unreadable: set.unreadable.map((d) => path.basename(d)),
  };
  const { runFleet, probe } = recordedFacts(runDirOf, retries);
  const first = set.runs[0]!.record;
  const sweep = await sweepFleet(targets, {
    catalogue: opts.catalogue,
    fleet: { forks: 1 },
    runFleet,
    probe,
    problems,
    runId: id,
    runDir,
    times: { startedAt, finishedAt },
    merged,
    command: 'sweep',
    argv: opts.argv ?? [],
    inventory: first.inventory,
    trustedKeys: split.analysis!.trustedKeys,
    ...(split.analysis!.sinceSeconds !== undefined ? { sinceSeconds: split.analysis!.sinceSeconds } : {}),
  });
  return { sweep, set, merged };
}

/** One line per shard problem, for the console and the exit code (empty: every shard complete). */
export function shardProblems(m: MergeRecord): string[] {
  return [
    ...m.missing.map((k) => `shard ${k}/${m.count} missing: its hosts are reported as failed`),
    ...m.shards.filter((s) => !s.complete).map((s) => `shard ${s.index}/${m.count} did not finish (run ${s.run}): hosts without a result are reported as failed`),
    ...m.unreadable.map((d) => `${d}: no readable run record (a shard that did not finish)`),
  ];
}
