import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/run/types.js';
import { compareRuns } from '../../../src/sweep/baseline.js';
import { baselineExitCode } from '../../../src/sweep/exit-code.js';

// The comparison on the recorded sweep (test/fixtures/runs/sweep-recorded-facts): live values
// (pids, start times, CPU %, line numbers) changed must not make an old finding new.

const recorded = (): RunRecord => JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/runs/sweep-recorded-facts/run.json'), 'utf8')) as RunRecord;

/** The same run after every process respawned: pids +5000, start times +900, CPU % in titles changed, lines moved down by one. */
function respawned(r: RunRecord): RunRecord {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = k === 'pid' && typeof x === 'number' ? x + 5000 : k === 'startTime' && typeof x === 'number' ? x + 900 : k === 'lineNumber' && typeof x === 'number' ? x + 1 : k === 'title' && typeof x === 'string' ? x.replace(/\d+/g, (d) => String(Number(d) + 7)) : walk(x);
      return o;
    }
    return v;
  };
  return { ...(walk(r) as RunRecord), id: 'now' };
}

describe('compareRuns on the recorded sweep', () => {
  it('respawned processes and moved lines are neither new nor gone; moved lines are changed', () => {
    const base = recorded();
    const d = compareRuns(respawned(base), base, '/runs/base');
    expect(d.new).toEqual([]);
    expect(d.gone).toEqual([]);
    expect(d.changed.length).toBeGreaterThan(0);
    expect(d.changed.every((c) => c.changes.every((x) => x.what === 'lines'))).toBe(true);
    expect(baselineExitCode(respawned(base), d.new.length)).toBe(0);
  });

  it('a new artifact on a clean host is the only new finding; a removed one is gone', () => {
    const base = recorded();
    const now = recorded();
    const ddg = base.hosts.find((h) => h.name === 'ddg1')!;
    const clean = now.hosts.find((h) => h.name === 'clean1')!;
    const planted = { ...structuredClone(ddg.findings.find((f) => f.rule === 'cron.download-pipe-shell')!), host: 'clean1' };
    clean.findings.push(planted);
    const kinsing = now.hosts.find((h) => h.name === 'kinsing1')!;
    const removed = kinsing.findings.filter((f) => f.rule === 'preload.non-empty');
    kinsing.findings = kinsing.findings.filter((f) => f.rule !== 'preload.non-empty');
    const d = compareRuns(now, base, '/runs/base');
    expect(d.new.map((f) => [f.host, f.rule])).toEqual([['clean1', 'cron.download-pipe-shell']]);
    expect(d.gone.map((f) => [f.host, f.rule])).toEqual(removed.map((f) => ['kinsing1', f.rule]));
    expect(baselineExitCode(now, d.new.length)).toBe(1);
  });

  it('an unreachable host: its findings unknown, not gone; exit 4 without new findings; added and not-swept hosts', () => {
    const base = recorded();
    const now = recorded();
    const ddg = now.hosts.find((h) => h.name === 'ddg1')!;
    const n = ddg.findings.length;
    Object.assign(ddg, { status: 'unreachable', findings: [], verdict: 'unreachable' });
    now.hosts = now.hosts.filter((h) => h.name !== 'busy1');
    now.hosts.push({ ...structuredClone(base.hosts.find((h) => h.name === 'minerd1')!), name: 'new1' });
    const d = compareRuns(now, base, '/runs/base');
    expect(d.gone).toEqual([]);
    expect(d.unknown.length).toBeGreaterThan(0);
    expect(d.unknown.length).toBeLessThanOrEqual(n);
    expect(d.hosts).toEqual(expect.arrayContaining([expect.objectContaining({ host: 'ddg1', change: 'unreachable' }), { host: 'busy1', change: 'not-swept', from: 'clean' }, expect.objectContaining({ host: 'new1', change: 'added' })]));
    expect(d.new.every((f) => f.host === 'new1')).toBe(true);
    now.hosts = now.hosts.filter((h) => h.name !== 'new1');
    expect(baselineExitCode(now, compareRuns(now, base, '/runs/base').new.length)).toBe(4);
  });
});
