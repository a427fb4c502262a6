import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeShard } from '../../../src/commands/shard-options.js';
import type { HostResult } from '../../../src/core/result.js';
import type { InventoryHost, Target } from '../../../src/inventory/types.js';
import { MergeError } from '../../../src/merge/read-shards.js';
import { mergeRuns, shardProblems } from '../../../src/merge/merge-runs.js';
import { writeReport } from '../../../src/report/write-report.js';
import { readRunRecord } from '../../../src/run/run-dir.js';
import type { RunRecord } from '../../../src/run/types.js';
import { sweepFleet } from '../../../src/sweep/sweep-fleet.js';
import type { RunFleet, Session } from '../../../src/transport/types.js';
import { CLEAN, SCENARIOS, catalogue, facts } from '../rules/fixtures.js';

// Shard sweeps of recorded facts (test/fixtures), merged: the same hosts, verdicts and
// findings as one sweep of the whole fleet, the pivot across shards included.

const NAMES = [...SCENARIOS, ...CLEAN, 'pivot-only'];
const HOSTS = Array.from({ length: 30 }, (_, i) => `h${String(i).padStart(2, '0')}`);
const fixtureOf = (h: string) => NAMES[Number(h.slice(1)) % NAMES.length]!;
const inventory: InventoryHost[] = HOSTS.map((name) => ({ name, groups: ['all', 'web'], vars: {} }));
const target = (h: InventoryHost): Target => ({ name: h.name, address: '198.18.3.9', port: 22, user: 'root', groups: h.groups, vars: {}, become: false, becomeUser: 'root', hostKeyChecking: 'strict' });

const fakeFleet: RunFleet = async <T>(targets: Target[], fn: Parameters<RunFleet>[1]) => {
  const out: HostResult<T>[] = [];
  for (const t of targets) {
    const r = await fn({ target: t } as Session);
    out.push({ host: t.name, status: r.status, value: r.value as T, startedAt: '', durationMs: 1 });
  }
  return out;
};
const probe = async (s: Session) => facts(fixtureOf(s.target.name));

async function sweepShard(out: string, index: number, count: number) {
  const { hosts, record } = takeShard(inventory, { index, count, by: 'host' });
  return sweepFleet(hosts.map(target), { catalogue, fleet: { forks: 4 }, out, runFleet: fakeFleet, probe, shard: record, trustedKeys: ['SHA256:ctrl'] });
}

const key = (f: { rule: string; family?: string | undefined; severity: string; title: string }) => `${f.rule} ${f.family ?? '-'} ${f.severity} ${f.title}`;
const view = (r: RunRecord) => Object.fromEntries(r.hosts.map((h) => [h.name, { status: h.status, verdict: h.verdict, findings: h.findings.map(key).sort() }]));

describe('merge of shard runs', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'merge-'));
  const whole = await sweepFleet(inventory.map(target), { catalogue, fleet: { forks: 4 }, runFleet: fakeFleet, probe, trustedKeys: ['SHA256:ctrl'] });
  const shards = await Promise.all([0, 1, 2].map((k) => sweepShard(path.join(root, 'shards'), k, 3)));
  const dirs = shards.map((s) => s.runDir!);

  it('gives the hosts, verdicts and findings of one sweep, pivot across shards included', async () => {
    const m = await mergeRuns([...dirs].reverse(), { catalogue, runDir: path.join(root, 'm1') });
    expect(view(m.sweep.record)).toEqual(view(whole.record));
    expect(shardProblems(m.merged)).toEqual([]);
    // some pivot finding needs another shard's indicator: not found by that host's shard alone
    const pivotOnly = whole.record.hosts.filter((h) => fixtureOf(h.name) === 'pivot-only' && h.findings.some((f) => f.pivot));
    expect(pivotOnly.length).toBeGreaterThan(0);
    const alone = new Map(shards.flatMap((s) => s.record.hosts.map((h) => [h.name, h.findings.filter((f) => f.pivot).length])));
    const merged = new Map(m.sweep.record.hosts.map((h) => [h.name, h.findings.filter((f) => f.pivot).length]));
    expect([...merged].some(([h, n]) => n > alone.get(h)!)).toBe(true);
    expect(readRunRecord(m.sweep.runDir!).merged?.shards.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('is deterministic: merging the same shards twice gives the same run.json and report.json', async () => {
    const a = await mergeRuns(dirs, { catalogue, runDir: path.join(root, 'twice-a') });
    const b = await mergeRuns([dirs[2]!, dirs[0]!, dirs[1]!], { catalogue, runDir: path.join(root, 'twice-b') });
    const text = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8');
    expect(a.sweep.record.id).toBe(b.sweep.record.id);
    expect(text(b.sweep.runDir!, 'run.json')).toBe(text(a.sweep.runDir!, 'run.json'));
    writeReport(a.sweep.runDir!);
    writeReport(b.sweep.runDir!);
    expect(text(b.sweep.runDir!, 'report.json')).toBe(text(a.sweep.runDir!, 'report.json'));
  });

  it('a missing shard: its hosts are in the run as failed, and the problem is named', async () => {
    const m = await mergeRuns([dirs[0]!, dirs[2]!], { catalogue, runDir: path.join(root, 'missing') });
    expect(m.merged.missing).toEqual([1]);
    expect(shardProblems(m.merged)).toEqual(['shard 1/3 missing: its hosts are reported as failed']);
    const lost = shards[1]!.record.hosts.map((h) => h.name);
    expect(m.sweep.record.hosts).toHaveLength(HOSTS.length);
    for (const h of m.sweep.record.hosts.filter((x) => lost.includes(x.name))) expect([h.status, h.reason]).toEqual(['failed', expect.stringMatching(/^shard 1\/3 missing.*--shard 1\/3/)]);
  });

  it('refuses runs that are not shards of one split, a shard given twice, and a non-empty -o', async () => {
    const other = await sweepShard(path.join(root, 'other'), 1, 2);
    await expect(mergeRuns([dirs[0]!, other.runDir!], { catalogue })).rejects.toThrow(/not a shard of the same split.*N 2 vs 3/);
    const again = await sweepShard(path.join(root, 'again'), 1, 3);
    await expect(mergeRuns([...dirs, again.runDir!], { catalogue })).rejects.toThrow(/shard 1\/3 given twice/);
    await expect(mergeRuns([whole.runDir ?? root], { catalogue })).rejects.toThrow(MergeError);
    await expect(mergeRuns(dirs, { catalogue, runDir: dirs[0]! })).rejects.toThrow(/not empty/);
  });
});
