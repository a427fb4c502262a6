import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { shardLabel } from '../inventory/shard.js';
import { readRunRecord, RunDirError } from '../run/run-dir.js';
import type { RunRecord, ShardRecord } from '../run/types.js';

// The shard runs given to `merge`, checked to be shards of one split: same N, mode, selection
// and analysis data; each index at most once. What is absent is listed, never dropped.

/** Shard runs that cannot be merged together (exit 2); the message says which and why. */
export class MergeError extends Error {
  override name = 'MergeError';
}

export interface ShardRun {
  dir: string;
  record: RunRecord;
  shard: ShardRecord;
}

export interface ShardSet {
  /** one run per present index, by index */
  runs: ShardRun[];
  /** the split every run shares (taken from the lowest index) */
  split: ShardRecord;
  /** indexes 0..N-1 with no run */
  missing: number[];
  /** directories that hold no readable run record (a shard that did not finish) */
  unreadable: string[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Read and check the shard run directories (order does not matter). */
export function readShards(dirs: readonly string[]): ShardSet {
  const byIndex = new Map<number, ShardRun>();
  const unreadable: string[] = [];
  for (const given of dirs) {
    const dir = path.resolve(given);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MergeError(`${given}: no such run directory. Fix: pass the run directories the shard sweeps wrote (runs/<time>-<id>)`);
    let record: RunRecord;
    try {
      record = readRunRecord(dir);
    } catch (e) {
      if (!(e instanceof RunDirError)) throw e;
      unreadable.push(dir);
      continue;
    }
    const shard = record.shard;
    if (!shard) throw new MergeError(`${given}: not a shard run (swept without --shard${record.merged ? '; it is a merged run' : ''}). Fix: merge the runs of \`sweep --shard K/N\``);
    if (!shard.analysis) throw new MergeError(`${given}: a ${record.command} run of shard ${shardLabel(shard)}, not a sweep. Fix: merge the runs of \`sweep --shard K/N\``);
    const seen = byIndex.get(shard.index);
    if (seen && seen.record.id !== record.id)
      throw new MergeError(`shard ${shardLabel(shard)} given twice: ${seen.dir} and ${dir}. Fix: pass one run per shard`);
    byIndex.set(shard.index, { dir, record, shard });
  }
  const runs = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  if (!runs.length) throw new MergeError(`none of the ${dirs.length} run directories holds a readable run record: ${unreadable.join(', ')}`);
  const split = runs[0]!.shard;
  for (const r of runs.slice(1)) {
    const s = r.shard;
    const what = s.count !== split.count ? `N ${s.count} vs ${split.count}`
      : s.by !== split.by || s.groupGlob !== split.groupGlob ? `--shard-by ${s.by}${s.groupGlob ? `:${s.groupGlob}` : ''} vs ${split.by}${split.groupGlob ? `:${split.groupGlob}` : ''}`
      : s.selectionHash !== split.selectionHash ? 'a different selection of hosts (inventory or --limit)'
      : s.analysis!.catalogue !== split.analysis!.catalogue ? 'a different IOC catalogue (--ioc files or minesweep version)'
      : !same(s.analysis, split.analysis) ? 'different analysis options (--since or controller keys)'
      : '';
    if (what) throw new MergeError(`${r.dir} (shard ${shardLabel(s)}) is not a shard of the same split as ${runs[0]!.dir} (shard ${shardLabel(split)}): ${what}. Fix: merge the shards of one sweep`);
  }
  const missing = Array.from({ length: split.count }, (_, i) => i).filter((i) => !byIndex.has(i));
  return { runs, split, missing, unreadable: unreadable.sort() };
}
