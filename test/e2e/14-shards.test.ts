import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/run/types.js';
import { getLab } from '../helpers/lab.js';
import { validHostLines } from '../helpers/jsonl.js';

// --shard K/N and merge on the real lab, through the CLI: 11 hosts swept as 11 shards at once
// (one host each) and as 3 shards, each merged, give the hosts, verdicts, rule ids and families
// of one sweep of the 11 — the pivot-only host included, which no single-host shard can find.
// Lab infections are live (miners respawn), so PIDs, times and evidence text are not compared.
// A missing shard is named and exits 3; merging the same shards twice gives the same report.json.

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist', 'cli.js');
interface Ran { code: number; stdout: string; stderr: string }
const ms = (args: string[]): Promise<Ran> =>
  new Promise((resolve) => execFile('node', [cli, ...args], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })));
const runDirOf = (r: Ran): string => {
  const m = /^run: (.+)$/m.exec(r.stdout);
  if (!m) throw new Error(`no run dir in output (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  return m[1]!;
};
const record = (dir: string): RunRecord => JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord;
/** a pivot match in live processes only: a cron minute's `sh -c wget …` runs at one sweep's moment and not at the other's */
const momentary = (f: RunRecord['hosts'][number]['findings'][number]) => f.rule.startsWith('pivot.') && f.evidence.length > 0 && f.evidence.every((e) => e.kind === 'process');
/** what must agree between sweeps taken at different moments: status, verdict, rule ids and families per host */
const view = (r: RunRecord) =>
  Object.fromEntries([...r.hosts].sort((a, b) => (a.name < b.name ? -1 : 1)).map((h) => [h.name, { status: h.status, verdict: h.verdict, rules: [...new Set(h.findings.filter((f) => !momentary(f)).map((f) => `${f.rule} ${f.family ?? '-'}`))].sort() }]));

let lab: Awaited<ReturnType<typeof getLab>>;
let limit: string;
let hosts: string[];
let pivotHost: string;
let reference: RunRecord;
const shardDirs = new Map<number, string[]>();
let out: string;

async function sweepShards(n: number): Promise<string[]> {
  const runs = await Promise.all(Array.from({ length: n }, (_, k) => ms(['sweep', '-i', lab.inventoryPath, '--limit', limit, '--shard', `${k}/${n}`, '-o', path.join(out, `s${n}`), '--timeout', '180', '--run-timeout', '240'])));
  for (const r of runs) expect([r.code, r.stderr]).toEqual([expect.any(Number), expect.not.stringMatching(/minesweep: /)]);
  return runs.map(runDirOf);
}

beforeAll(async () => {
  lab = await getLab();
});

beforeAll(async () => {
  const visible = lab.groundTruth.hosts.filter((h) => !h.hidden);
  // 11 hosts: every scenario once (the second clean host and the hidden ones left out)
  const extraClean = visible.filter((h) => h.scenario === 'clean').slice(1).map((h) => h.name);
  hosts = visible.map((h) => h.name).filter((h) => !extraClean.includes(h));
  limit = hosts.join(':');
  pivotHost = lab.hostsByScenario('pivot')[0]!.name;
  out = mkdtempSync(path.join(tmpdir(), 'ms-shards-'));
  const t0 = Date.now();
  // one after the other: 11 controllers at once are load enough for a 2-core machine
  const ref = await ms(['sweep', '-i', lab.inventoryPath, '--limit', limit, '-o', path.join(out, 'one'), '--timeout', '180', '--run-timeout', '240']);
  const s11 = await sweepShards(11);
  const s3 = await sweepShards(3);
  reference = record(runDirOf(ref));
  shardDirs.set(11, s11);
  shardDirs.set(3, s3);
  console.log(`14-shards: 1 sweep, then 11 shards, then 3 shards of ${hosts.length} hosts: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
});

describe('--shard K/N and merge on the lab', () => {
  it('the reference sweep reaches the 11 hosts and finds the pivot-only host through the pivot', () => {
    expect(hosts).toHaveLength(11);
    expect(reference.hosts.map((h) => [h.name, h.status]).sort()).toEqual(hosts.map((h) => [h, 'ok']).sort());
    const p = reference.hosts.find((h) => h.name === pivotHost)!;
    expect(p.verdict).toBe('infected');
    expect(p.findings.some((f) => f.pivot)).toBe(true);
  });

  for (const n of [11, 3]) {
    it(`${n} shards: each holds its share once; merged they give the hosts, verdicts and findings of one sweep`, async () => {
      const dirs = shardDirs.get(n)!;
      const records = dirs.map(record);
      expect(records.map((r) => r.shard!.index).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k));
      const swept = records.flatMap((r) => r.hosts.map((h) => h.name)).sort();
      expect(swept).toEqual([...hosts].sort());
      const sizes = records.map((r) => r.hosts.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      // alone, the pivot host's shard cannot know the other host's indicators (11 shards: one host each)
      if (n === 11) expect(records.find((r) => r.shard!.hosts[0] === pivotHost)!.hosts[0]!.findings.some((f) => f.pivot)).toBe(false);
      const m = await ms(['merge', ...dirs, '-o', path.join(out, `merged${n}`)]);
      expect([m.code, m.stderr]).toEqual([1, '']);
      expect(m.stdout).toMatch(new RegExp(`^merged ${n}/${n} shard\\(s\\)\\n`));
      const merged = record(path.join(out, `merged${n}`));
      expect(view(merged)).toEqual(view(reference));
      expect(merged.hosts.find((h) => h.name === pivotHost)!.findings.some((f) => f.pivot?.seenOn.length)).toBe(true);
      expect(readdirSync(path.join(out, `merged${n}`))).toEqual(expect.arrayContaining(['report.html', 'report.json', 'iocs.yml', 'facts', 'evidence']));
      expect(merged.iocs.map((i) => `${i.type} ${i.value}`).sort()).toEqual(reference.iocs.map((i) => `${i.type} ${i.value}`).sort());
    });
  }

  it('a missing shard is named, its hosts reported failed, exit 3; merging twice gives the same report.json', async () => {
    const dirs = shardDirs.get(3)!;
    const missing = record(dirs[1]!).shard!;
    const part = await ms(['merge', dirs[0]!, dirs[2]!, '-o', path.join(out, 'part')]);
    expect(part.code).toBe(3);
    expect(part.stderr).toContain(`shard ${missing.index}/3 missing`);
    expect(part.stdout).toMatch(/^merged 2\/3 shard\(s\) \(INCOMPLETE\)/);
    const rec = record(path.join(out, 'part'));
    expect(rec.hosts).toHaveLength(11);
    for (const h of missing.hosts) expect(rec.hosts.find((x) => x.name === h)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^shard \d\/3 missing/) });
    expect(readFileSync(path.join(out, 'part', 'report.json'), 'utf8')).toContain(`shard ${missing.index}/3 missing`);
    const again = await ms(['merge', dirs[2]!, dirs[1]!, dirs[0]!, '-o', path.join(out, 'merged3-again')]);
    expect(again.code).toBe(1);
    // the same except run.argv: each merge's own command line (README "Sharding")
    const json = (d: string) => readFileSync(path.join(out, d, 'report.json'), 'utf8').replace(/"argv":\s*\[[^\]]*\]/, '"argv":[]');
    expect(json('merged3-again')).toBe(json('merged3'));
  });

  it('remediate --from MERGED --shard K/2 --apply: the 2 shards clean disjoint hosts, together every infected host once', async () => {
    const from = path.join(out, 'merged3');
    const infected = record(from).hosts.filter((h) => h.findings.length > 0).map((h) => h.name).sort();
    expect(infected.length).toBeGreaterThan(1);
    // --no-verify: the respawn window is e2e 04's subject; here only which hosts each shard takes
    const runs = await Promise.all([0, 1].map((k) => ms(['remediate', '-i', lab.inventoryPath, '--limit', limit, '--from', from, '--shard', `${k}/2`, '--apply', '--no-verify', '--json', '-o', path.join(out, 'rem'), '--timeout', '180'])));
    const lines = runs.map((r) => validHostLines({ command: 'remediate', ...r }).filter((l) => l.stage === 'action'));
    for (const [k, r] of runs.entries()) expect([k, r.code, r.stderr.match(/minesweep: .*/)?.[0]]).toEqual([k, 0, undefined]);
    const took = lines.map((ls) => ls.map((l) => l.host!).sort());
    expect(took[0]!.filter((h) => took[1]!.includes(h))).toEqual([]);
    expect([...took[0]!, ...took[1]!].sort()).toEqual(infected);
    for (const l of lines.flat()) expect([l.host, l.status, l.reason]).toEqual([l.host, 'changed', undefined]);
    // each shard's run records its own hosts only, and the same split as a sweep of that selection
    const dirs = readdirSync(path.join(out, 'rem')).map((d) => path.join(out, 'rem', d));
    const recs = dirs.map(record).sort((a, b) => a.shard!.index - b.shard!.index);
    expect(recs.map((r) => [r.command, r.apply, r.shard!.index, r.shard!.count])).toEqual([['remediate', true, 0, 2], ['remediate', true, 1, 2]]);
    for (const r of recs) expect(r.hosts.map((h) => h.name).sort()).toEqual([...r.shard!.hosts].sort());
    expect(recs.flatMap((r) => r.shard!.hosts).sort()).toEqual([...hosts].sort());
  });

  it('harden --shard 1/3 in check mode plans exactly the hosts of sweep shard 1/3 and changes nothing', async () => {
    const shard1 = record(shardDirs.get(3)!.find((d) => record(d).shard!.index === 1)!).shard!.hosts;
    const r = await ms(['harden', '-i', lab.inventoryPath, '--limit', limit, '--shard', '1/3', '--from', path.join(out, 'merged3'), '--json', '-o', path.join(out, 'harden'), '--timeout', '180']);
    expect([r.code, r.stderr.match(/minesweep: .*/)?.[0]]).toEqual([expect.any(Number), undefined]);
    const lines = validHostLines({ command: 'harden', ...r }).filter((l) => l.stage === 'action');
    expect(lines.map((l) => l.host).sort()).toEqual([...shard1].sort());
    for (const l of lines) expect([l.host, l.status]).toEqual([l.host, 'ok']);
    const [dir] = readdirSync(path.join(out, 'harden'));
    const rec = record(path.join(out, 'harden', dir!));
    expect([rec.command, rec.apply, rec.shard!.index, rec.hosts.map((h) => h.name).sort()]).toEqual(['harden', false, 1, [...shard1].sort()]);
    expect(rec.hosts.flatMap((h) => h.tasks.filter((t) => t.status === 'changed'))).toEqual([]);
  });

  it('usage errors exit 2: K >= N, K missing, shards of different splits', async () => {
    const k = await ms(['sweep', '-i', lab.inventoryPath, '--shard', '3/3']);
    expect([k.code, k.stderr]).toEqual([2, expect.stringContaining('K must be below N')]);
    const env = await ms(['sweep', '-i', lab.inventoryPath, '--shard', '3']);
    expect([env.code, env.stderr]).toEqual([2, expect.stringContaining('JOB_COMPLETION_INDEX')]);
    const mixed = await ms(['merge', shardDirs.get(3)![0]!, shardDirs.get(11)![1]!, '-o', path.join(out, 'mixed')]);
    expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringContaining('not a shard of the same split')]);
  });
});
