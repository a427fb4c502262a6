import { describe, expect, it } from 'vitest';
import { assignShards, parseShardSpec, selectionHash, shardKey, ShardSyntaxError } from '../../../src/inventory/shard.js';
import { takeShard } from '../../../src/commands/shard-options.js';
import type { InventoryHost } from '../../../src/inventory/types.js';

// --shard K/N: parsing, and a split that is stable, balanced and covers every host once.

const names = (n: number) => Array.from({ length: n }, (_, i) => `web${String(i).padStart(3, '0')}.dc${i % 7}`);
const host = (name: string, groups: string[] = ['all']): InventoryHost => ({ name, groups, vars: {} });
// a seeded shuffle: the same permutation every run
function shuffled<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('parseShardSpec', () => {
  it('reads K/N, auto/N and N with K from JOB_COMPLETION_INDEX', () => {
    expect(parseShardSpec('2/5', undefined, {})).toEqual({ index: 2, count: 5, by: 'host' });
    expect(parseShardSpec('auto/5', 'group', { JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5, by: 'group' });
    expect(parseShardSpec('5', 'group:net_*', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 0, count: 5, by: 'group', groupGlob: 'net_*' });
  });

  it('refuses K >= N, bad syntax, a missing K and a bad --shard-by with a message', () => {
    const bad: Array<[string, string | undefined, NodeJS.ProcessEnv, RegExp]> = [
      ['3/3', undefined, {}, /K must be below N/],
      ['1-3', undefined, {}, /must be K\/N/],
      ['0/0', undefined, {}, /at least 1/],
      ['3', undefined, {}, /K is missing.*JOB_COMPLETION_INDEX/],
      ['auto/3', undefined, { JOB_COMPLETION_INDEX: 'x' }, /must be a number/],
      ['auto/3', undefined, { JOB_COMPLETION_INDEX: '3' }, /K must be below N/],
      ['1/3', 'rack', {}, /--shard-by must be host, group or group:GLOB/],
    ];
    for (const [v, by, env, msg] of bad) expect(() => parseShardSpec(v, by, env), v).toThrow(msg);
    expect(() => parseShardSpec('x', undefined, {})).toThrow(ShardSyntaxError);
  });
});

describe('assignShards by host', () => {
  it('covers every host exactly once, balanced to within one host, for many sizes', () => {
    for (const n of [1, 2, 3, 7, 11, 64]) {
      for (const size of [0, 1, 5, 11, 100, 1001]) {
        const hosts = names(size).map((h) => ({ host: h, key: h }));
        const a = assignShards(hosts, n, 'host');
        expect(a.size).toBe(size);
        const sizes = new Array<number>(n).fill(0);
        for (const k of a.values()) {
          expect(k >= 0 && k < n).toBe(true);
          sizes[k]!++;
        }
        expect(Math.max(...sizes) - Math.min(...sizes), `${size} hosts / ${n}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is stable when the inventory is reordered', () => {
    const hosts = names(200).map((h) => ({ host: h, key: h }));
    const a = assignShards(hosts, 7, 'host');
    for (const seed of [1, 2, 3, 4]) {
      const b = assignShards(shuffled(hosts, seed), 7, 'host');
      for (const [h, k] of a) expect(b.get(h)).toBe(k);
    }
  });

  it('takeShard: the N shards of a selection are disjoint, cover it, and share one selection hash whatever the order', () => {
    const inv = names(50).map((n) => host(n));
    const shards = Array.from({ length: 4 }, (_, k) => takeShard(k % 2 ? shuffled(inv, k + 1) : inv, { index: k, count: 4, by: 'host' }));
    const all = shards.flatMap((s) => s.record.hosts).sort();
    expect(all).toEqual(inv.map((h) => h.name).sort());
    expect(new Set(shards.map((s) => s.record.selectionHash)).size).toBe(1);
    expect(shards[0]!.record.selection).toHaveLength(50);
    expect(selectionHash(shards[0]!.record.selection, { count: 5, by: 'host' })).not.toBe(shards[0]!.record.selectionHash);
  });
});

describe('--shard-by group', () => {
  const inv = names(120).map((n, i) => host(n, ['all', 'web', `net_${i % 9}`, ...(i % 9 === 0 ? ['net_0_edge'] : [])]));

  it('keys a host by its deepest own group, or the deepest matching GLOB', () => {
    expect(shardKey(host('a', ['all', 'net', 'net_a']), { by: 'group' })).toBe('net_a');
    expect(shardKey(host('a', ['all', 'net_a', 'web']), { by: 'group', groupGlob: 'net_*' })).toBe('net_a');
    expect(shardKey(host('a', ['all', 'ungrouped']), { by: 'group' })).toBe('ungrouped');
    expect(shardKey(host('a', ['all', 'web']), { by: 'group', groupGlob: 'net_?' })).toBe('ungrouped');
  });

  it('keeps every group on one shard, covers every host once, stable under reordering', () => {
    const spec = { count: 4, by: 'group' as const, groupGlob: 'net_*' };
    const shards = Array.from({ length: 4 }, (_, k) => takeShard(shuffled(inv, k + 7), { ...spec, index: k }));
    expect(shards.flatMap((s) => s.record.hosts).sort()).toEqual(inv.map((h) => h.name).sort());
    const shardOfKey = new Map<string, number>();
    for (const [k, s] of shards.entries())
      for (const sel of s.record.selection.filter((x) => s.record.hosts.includes(x.host))) {
        expect(shardOfKey.get(sel.key) ?? k, sel.key).toBe(k);
        shardOfKey.set(sel.key, k);
      }
    expect(shardOfKey.size).toBe(9);
    // largest group first to the least loaded shard: no shard is empty with 9 groups over 4
    expect(shards.every((s) => s.hosts.length > 0)).toBe(true);
  });
});
