import { createHash } from 'node:crypto';

// --shard K/N: which of the selected hosts this controller takes. Pure.
// K is 0-based (as Kubernetes' JOB_COMPLETION_INDEX). The split depends only on the set of
// selected hosts (names, and groups with --shard-by group), never on inventory order:
//   host   hosts sorted by sha256(name), then dealt round-robin: sizes differ by at most 1;
//   group  each host keyed by one of its groups (the deepest own group, or the deepest one
//          matching group:GLOB); groups, largest first, each to the least loaded shard.

export type ShardBy = 'host' | 'group';

export interface ShardSpec {
  index: number;
  count: number;
  by: ShardBy;
  /** with by=group: only groups matching this glob key a host */
  groupGlob?: string;
}

/** One selected host as the split sees it. */
export interface ShardHost {
  host: string;
  /** what keeps hosts together: the name (by host) or the chosen group (by group) */
  key: string;
}

/** A --shard or --shard-by value that cannot be used; the message says what was expected. */
export class ShardSyntaxError extends Error {}

const INDEX_ENV = 'JOB_COMPLETION_INDEX';

/**
 * `--shard K/N`, `--shard auto/N` or `--shard N` (K from JOB_COMPLETION_INDEX), and
 * `--shard-by host|group|group:GLOB`.
 */
export function parseShardSpec(value: string, by: string | undefined, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const m = /^\s*(?:(\d+|auto)\s*\/\s*)?(\d+)\s*$/.exec(value);
  if (!m) throw new ShardSyntaxError(`--shard must be K/N (0 <= K < N, K 0-based), auto/N or N (K from ${INDEX_ENV}), got ${JSON.stringify(value)}`);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new ShardSyntaxError(`--shard ${value}: N must be at least 1`);
  let k = m[1];
  if (k === undefined || k === 'auto') {
    k = env[INDEX_ENV]?.trim();
    if (!k) throw new ShardSyntaxError(`--shard ${value}: K is missing. Fix: pass --shard K/N, or set ${INDEX_ENV} (a Kubernetes Indexed Job sets it)`);
    if (!/^\d+$/.test(k)) throw new ShardSyntaxError(`${INDEX_ENV} must be a number 0..${count - 1}, got ${JSON.stringify(k)}`);
  }
  const index = Number(k);
  if (index >= count) throw new ShardSyntaxError(`--shard ${index}/${count}: K must be below N (shards are numbered 0..${count - 1})`);
  return { index, count, ...parseShardBy(by) };
}

function parseShardBy(by: string | undefined): Pick<ShardSpec, 'by' | 'groupGlob'> {
  if (by === undefined || by === 'host') return { by: 'host' };
  if (by === 'group') return { by: 'group' };
  const g = /^group:(.+)$/.exec(by);
  if (g) return { by: 'group', groupGlob: g[1]! };
  throw new ShardSyntaxError(`--shard-by must be host, group or group:GLOB (e.g. group:net_*), got ${JSON.stringify(by)}`);
}

const globRegex = (glob: string): RegExp => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** The key a host is split by: its name, or its deepest own group (groups as the inventory lists them: shallow to deep). */
export function shardKey(host: { name: string; groups: readonly string[] }, spec: Pick<ShardSpec, 'by' | 'groupGlob'>): string {
  if (spec.by === 'host') return host.name;
  const own = host.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
  const re = spec.groupGlob ? globRegex(spec.groupGlob) : null;
  const fit = re ? own.filter((g) => re.test(g)) : own;
  return fit.at(-1) ?? 'ungrouped';
}

const hashOf = (s: string): string => createHash('sha256').update(s).digest('hex');
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** The names sorted by sha256, then by name: an order no inventory order changes. */
const byHash = (xs: Iterable<string>): string[] =>
  [...xs].map((x) => [hashOf(x), x] as const).sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1])).map((p) => p[1]);

/** Every host's shard index (0..count-1). */
export function assignShards(hosts: readonly ShardHost[], count: number, by: ShardBy): Map<string, number> {
  const out = new Map<string, number>();
  if (by === 'host') {
    byHash(new Set(hosts.map((h) => h.host))).forEach((h, i) => out.set(h, i % count));
    return out;
  }
  const groups = new Map<string, string[]>();
  for (const h of hosts) (groups.get(h.key) ?? groups.set(h.key, []).get(h.key)!).push(h.host);
  const load = new Array<number>(count).fill(0);
  const rank = new Map(byHash(groups.keys()).map((g, i) => [g, i]));
  const order = [...groups.keys()].sort((a, b) => groups.get(b)!.length - groups.get(a)!.length || rank.get(a)! - rank.get(b)!);
  for (const g of order) {
    const members = groups.get(g)!;
    const k = load.indexOf(Math.min(...load));
    load[k]! += members.length;
    for (const h of members) out.set(h, k);
  }
  return out;
}

/** sha256 over the sorted selection (host and key), the count and the mode: shards of one split share it. */
export function selectionHash(hosts: readonly ShardHost[], spec: Pick<ShardSpec, 'count' | 'by' | 'groupGlob'>): string {
  const lines = hosts.map((h) => `${h.host}\t${h.key}`).sort();
  return hashOf([`${spec.count}\t${spec.by}\t${spec.groupGlob ?? ''}`, ...lines].join('\n'));
}

/** "2/3" (and the mode when it is not by host). */
export const shardLabel = (s: { index: number; count: number; by?: ShardBy; groupGlob?: string }): string =>
  `${s.index}/${s.count}${s.by === 'group' ? ` by group${s.groupGlob ? `:${s.groupGlob}` : ''}` : ''}`;
