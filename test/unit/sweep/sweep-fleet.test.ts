import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../../src/core/result.js';
import type { Target } from '../../../src/inventory/types.js';
import { readRunRecord } from '../../../src/run/run-dir.js';
import { sweepExitCode } from '../../../src/sweep/exit-code.js';
import { parseDuration } from '../../../src/sweep/duration.js';
import { sweepFleet } from '../../../src/sweep/sweep-fleet.js';
import type { RunFleet, Session } from '../../../src/transport/types.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { CLEAN, SCENARIOS, catalogue, facts } from '../rules/fixtures.js';

// sweepFleet with the transport and the probe replaced by fixtures: no SSH here (the lab
// test 03-sweep does it for real).

const target = (name: string): Target => ({ name, address: '198.18.3.9', port: 22, user: 'root', groups: ['all'], vars: {}, become: false, becomeUser: 'root', hostKeyChecking: 'strict' });
const FIXTURE: Record<string, string> = { 'web\u001b[31m1': 'ddg', web2: 'clean', web3: 'pivot-only' };

const fakeFleet: RunFleet = async <T>(targets: Target[], fn: Parameters<RunFleet>[1], _opts: unknown) => {
  const out: HostResult<T>[] = [];
  for (const t of targets) {
    if (t.name === 'down') {
      out.push({ host: t.name, status: 'unreachable', reason: 'connect ECONNREFUSED', startedAt: '', durationMs: 1 });
      continue;
    }
    const r = await fn({ target: t } as Session);
    out.push({ host: t.name, status: r.status, ...(r.reason ? { reason: r.reason } : {}), value: r.value as T, startedAt: '', durationMs: 1 });
  }
  return out;
};

describe('sweepFleet', () => {
  it('writes the run directory, pivots, escapes hostile host text, and counts one probe per host', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sweep-'));
    const probed: string[] = [];
    const r = await sweepFleet(['web\u001b[31m1', 'web2', 'web3', 'down'].map(target), {
      catalogue,
      fleet: { forks: 4 },
      out,
      runFleet: fakeFleet,
      probe: async (s) => {
        probed.push(s.target.name);
        return facts(FIXTURE[s.target.name]!);
      },
    });
    expect(probed).toEqual(['web\u001b[31m1', 'web2', 'web3']);
    const rec = readRunRecord(r.runDir!);
    expect(rec.hosts.map((h) => [h.name, h.status, h.findings.length > 0])).toEqual([
      ['web\u001b[31m1', 'ok', true],
      ['web2', 'ok', false],
      ['web3', 'ok', true],
      ['down', 'unreachable', false],
    ]);
    expect(rec.hosts[2]!.findings.every((f) => f.pivot?.seenOn.includes('web\u001b[31m1'))).toBe(true);
    expect(rec.iocs.length).toBeGreaterThan(0);
    expect(existsSync(path.join(r.runDir!, 'findings.json'))).toBe(false); // the findings live in run.json only
    expect(existsSync(path.join(r.runDir!, 'facts', 'web2.json.gz'))).toBe(true);
    expect(readFileSync(path.join(r.runDir!, 'summary.txt'), 'utf8')).toBe(r.summary);
    expect(r.summary).not.toContain('\u001b');
    expect(r.summary).toMatch(/INFECTED +web\\e\[31m1 +ddg +\d+ findings/);
    expect(r.summary).toMatch(/UNREACHABLE +down +connect ECONNREFUSED/);
    expect(r.summary).toMatch(/4 hosts: 2 infected, 1 clean, 1 unreachable, 0 failed/);
    expect(r.summary.trim().split('\n').at(-1)).toBe(`run: ${r.runDir}`);
    expect(sweepExitCode(rec)).toBe(4);
  });

  it('a probe that throws fails that host only; exit codes follow the documented order', async () => {
    const r = await sweepFleet(['web2', 'bad'].map(target), {
      catalogue,
      fleet: { forks: 2 },
      runFleet: fakeFleet,
      probe: async (s) => {
        if (s.target.name === 'bad') throw new Error('output framing broken');
        return facts('clean');
      },
    });
    expect(r.record.hosts[1]).toMatchObject({ name: 'bad', status: 'failed', reason: 'probe failed: output framing broken' });
    expect(sweepExitCode(r.record)).toBe(3);
    r.record.hosts.pop();
    expect(sweepExitCode(r.record)).toBe(0);
  });

  it('streams: facts wait on disk, not in memory, and the findings equal the all-in-memory analysis', async () => {
    const names = [...SCENARIOS, ...CLEAN, 'pivot-only'];
    const hosts = Array.from({ length: 60 }, (_, i) => `h${i}`);
    const fixtureOf = (h: string) => names[Number(h.slice(1)) % names.length]!;
    const tmp = mkdtempSync(path.join(tmpdir(), 'sweep-stream-'));
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    let r;
    try {
      r = await sweepFleet(hosts.map(target), {
        catalogue,
        fleet: { forks: 8 },
        runFleet: fakeFleet,
        probe: async (s) => facts(fixtureOf(s.target.name)),
      });
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
    expect(readdirSync(tmp)).toEqual([]); // the spill directory is gone
    expect(r.facts.size).toBe(0);
    const all = hosts.map((h) => Object.assign(facts(fixtureOf(h)), { host: h }));
    const expected = analyzeFleet(all, { catalogue, groups: new Map(all.map((f) => [f.host, ['all']])) }).findings;
    const key = (f: { rule: string; title: string; family?: string | undefined }) => `${f.rule} ${f.family ?? '-'} ${f.title}`;
    for (const h of r.record.hosts) expect(h.findings.map(key), h.name).toEqual(expected.get(h.name)!.map(key));
    expect(r.record.hosts.filter((h) => h.findings.some((f) => f.pivot)).length).toBeGreaterThan(0);
  });

  it('parses --since durations', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('6h'), parseDuration('2d'), parseDuration('45'), parseDuration('soon')]).toEqual([90, 1800, 21600, 172800, 45, null]);
  });
});
