import type { Command } from 'commander';
import type { InventoryHost } from '../inventory/types.js';
import { assignShards, parseShardSpec, selectionHash, shardKey, ShardSyntaxError, type ShardSpec } from '../inventory/shard.js';
import type { ShardRecord } from '../run/types.js';

// --shard K/N and --shard-by for sweep, remediate, harden and run (README "Sharding").

/** Add --shard and --shard-by. */
export function addShardOptions(cmd: Command): Command {
  return cmd
    .option('--shard <K/N>', 'take only shard K of N (0-based) of the selected hosts; auto/N or N: K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)')
    .option('--shard-by <mode>', 'host (balanced, by hash of the name), group (a host\'s deepest own group stays on one shard) or group:GLOB (the deepest group matching GLOB)');
}

/** The parsed --shard, undefined without it; `usage` makes the error the command exits 2 with. */
export function readShardOption(raw: Record<string, unknown>, usage: (m: string) => Error): ShardSpec | undefined {
  const shard = raw['shard'];
  const by = raw['shardBy'];
  if (shard === undefined) {
    if (by !== undefined) throw usage('--shard-by needs --shard K/N');
    return undefined;
  }
  try {
    return parseShardSpec(String(shard), by === undefined ? undefined : String(by));
  } catch (e) {
    if (e instanceof ShardSyntaxError) throw usage(e.message);
    throw e;
  }
}

/** This shard's hosts of the selection, and the shard's identity for the run record (analysis is added by the sweep). */
export function takeShard(hosts: InventoryHost[], spec: ShardSpec): { hosts: InventoryHost[]; record: ShardRecord } {
  const selection = hosts.map((h) => ({ host: h.name, key: shardKey(h, spec) })).sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  const assigned = assignShards(selection, spec.count, spec.by);
  const mine = hosts.filter((h) => assigned.get(h.name) === spec.index);
  return {
    hosts: mine,
    record: {
      index: spec.index,
      count: spec.count,
      by: spec.by,
      ...(spec.groupGlob ? { groupGlob: spec.groupGlob } : {}),
      selectionHash: selectionHash(selection, spec),
      selection,
      hosts: mine.map((h) => h.name),
      complete: true,
    },
  };
}
