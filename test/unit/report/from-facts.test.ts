import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/catalogue/load.js';
import type { HostFacts } from '../../../src/facts/types.js';
import type { Target } from '../../../src/inventory/types.js';
import { buildReportModel } from '../../../src/report/model.js';
import { renderHtml } from '../../../src/report/render.js';
import { sweepFleet } from '../../../src/sweep/sweep-fleet.js';
import type { RunFleet, Session } from '../../../src/transport/types.js';
import { writeRunDir } from '../../fixtures/runs/run-dir.js';
import { writeReport } from '../../../src/report/write-report.js';

// The report of a real sweep record: the detection engineer's recorded facts per lab scenario
// run through the real rules and fleet pivot (sweepFleet with the transport replaced by the
// recorded facts), then through the report.

const FACTS = path.resolve('test/fixtures/facts');

async function recordedSweep() {
  const facts = readdirSync(FACTS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(FACTS, f), 'utf8')) as HostFacts);
  const targets: Target[] = facts.map((f, i) => ({
    name: f.host,
    address: `198.18.6.${10 + i}`,
    port: 22,
    user: 'root',
    groups: ['lab', i % 2 ? 'odd' : 'even'],
    vars: {},
    become: false,
    becomeUser: 'root',
    hostKeyChecking: 'strict',
  }));
  const byName = new Map(facts.map((f) => [f.host, f]));
  // the transport replaced by the recorded facts: each host's task runs as in a real sweep
  const runFleet = (async (ts: Target[], fn: (s: Session) => Promise<{ status: 'ok'; value: unknown }>) =>
    Promise.all(ts.map(async (t) => ({ host: t.name, ...(await fn({ target: t } as Session)), startedAt: new Date(0).toISOString(), durationMs: 1 })))) as unknown as RunFleet;
  const r = await sweepFleet(targets, { catalogue: loadCatalogue(), fleet: {} as never, runFleet, probe: async (s) => byName.get(s.target.name)!, argv: ['sweep', '-i', 'lab.yml'] });
  return r.record;
}

describe('report of a sweep over the recorded lab facts', () => {
  it('finds the families, the way in and the clean hosts as the scenarios say', async () => {
    const record = await recordedSweep();
    const m = buildReportModel(record);
    const state = Object.fromEntries(m.hosts.map((h) => [h.name, h.state]));
    expect(state.clean1).toBe('clean');
    expect(state.busy1).toBe('clean');
    expect(state.minerd1).toBe('infected');
    expect(state.pivot1).toBe('infected');
    expect(m.hosts.find((h) => h.name === 'pivot1')!.findings.some((f) => f.pivot)).toBe(true);
    expect(m.summary.families.map((f) => f.id)).toEqual(expect.arrayContaining(['minerd', 'ddg', 'kinsing']));
    expect(m.summary.entryPoints.map((e) => e.kind)).toContain('redis-open');
    expect(m.summary.headline).toMatch(/read-only sweep: nothing has been cleaned yet/);
    expect(m.summary.firstEvidence).not.toBeNull();
    const html = renderHtml(m);
    expect(html).toContain('data-figure="infected">' + m.summary.infected + '<');
    // kept for a look: test-artifacts/run-recorded-facts/report.html
    mkdirSync('test-artifacts', { recursive: true });
    writeReport(writeRunDir(record, path.resolve('test-artifacts/run-recorded-facts')));
  });

  it('renders the same report from the record in memory as from run.json read back, and leaves the record as it was', async () => {
    const record = await recordedSweep();
    const before = JSON.stringify(record);
    const dir = writeRunDir(record, path.resolve('test-artifacts/run-recorded-facts-memory'));
    const now = new Date('2026-12-03T12:00:00Z');
    const fromDisk = writeReport(dir, { now, htmlPath: path.join(dir, 'disk.html'), jsonPath: path.join(dir, 'disk.json') });
    const fromMemory = writeReport(dir, { now, record, htmlPath: path.join(dir, 'memory.html'), jsonPath: path.join(dir, 'memory.json') });
    expect(readFileSync(fromMemory.json!, 'utf8')).toBe(readFileSync(fromDisk.json!, 'utf8'));
    expect(readFileSync(fromMemory.html!, 'utf8')).toBe(readFileSync(fromDisk.html!, 'utf8'));
    expect(JSON.stringify(record)).toBe(before);
  });
});
