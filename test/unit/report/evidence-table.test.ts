import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/core/paths.js';
import type { Finding } from '../../../src/findings/types.js';
import type { RunRecord } from '../../../src/run/types.js';
import { EvidenceTable, findingEvidence } from '../../../src/report/evidence-table.js';
import { SEVERITY_ORDER } from '../../../src/report/host-state.js';
import { reportJson } from '../../../src/report/json.js';
import { buildReportModel } from '../../../src/report/model.js';
import { scrubDeep } from '../../../src/report/scrub.js';
import { isoFromSeconds } from '../../../src/report/time.js';
import type { ReportModel } from '../../../src/report/types.js';
import { validateRunRecord } from '../../../src/report/validate-run.js';
import { hardenRun, hostileRun } from '../../fixtures/runs/hostile-run.js';
import { syntheticFleet } from '../../fixtures/runs/synthetic-fleet.js';

// report.json lists each host's evidence once; findings name theirs by id. Looking the ids up
// must give back, finding by finding, exactly the evidence the run record has (with its iso time),
// which is what minesweep.report/2 carried inline.

const recorded = (name: string): RunRecord => {
  const file = path.join(packageRoot, 'test/fixtures/runs', name, 'run.json');
  return validateRunRecord(JSON.parse(readFileSync(file, 'utf8')), file);
};

/** The evidence of each finding as report.json/2 had it: the record's, severity-sorted like the report, with iso. */
function inlineEvidence(fs: readonly Finding[], sort: boolean) {
  const order = sort ? [...fs].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)) : fs;
  return order.map((f) => ({ rule: f.rule, evidence: f.evidence.map((e) => ({ ...e, ...(e.time ? { iso: isoFromSeconds(e.time) } : {}) })) }));
}

const RUNS: Array<[string, () => RunRecord]> = [
  ['lab-remediate-12 (recorded)', () => recorded('lab-remediate-12')],
  ['sweep-recorded-facts (recorded)', () => recorded('sweep-recorded-facts')],
  ['hostile remediate run', hostileRun],
  ['harden run', hardenRun],
  ['synthetic 200-host run', () => syntheticFleet(200)],
];

describe('the per-host evidence table of report.json', () => {
  for (const [name, make] of RUNS)
    it(`gives back every finding's evidence exactly (${name})`, () => {
      const record = make();
      const json = JSON.parse(reportJson(buildReportModel(record))) as ReportModel;
      const run = scrubDeep(record, []);
      for (const h of run.hosts) {
        const host = json.hosts.find((x) => x.name === h.name)!;
        const strip = (fs: ReportModel['hosts'][number]['findings']) => fs.map((f) => ({ rule: f.rule, evidence: findingEvidence(host, f).map(({ id: _id, ...e }) => e) }));
        expect(strip(host.findings), h.name).toEqual(inlineEvidence(h.findings, true));
        expect(strip(host.verification?.findings ?? []), h.name).toEqual(inlineEvidence(h.verification?.findings ?? [], false));
        expect(strip(host.recheck?.findings ?? []), h.name).toEqual(inlineEvidence(h.recheck?.findings ?? [], false));
        // ids E1, E2 … in order, each used, none listed twice
        expect(host.evidence.map((e) => e.id)).toEqual(host.evidence.map((_, i) => `E${i + 1}`));
        const used = new Set([...host.findings, ...(host.verification?.findings ?? []), ...(host.recheck?.findings ?? [])].flatMap((f) => f.evidenceIds));
        expect(used.size).toBe(host.evidence.length);
        expect(new Set(host.evidence.map(({ id: _id, ...e }) => JSON.stringify(e))).size).toBe(host.evidence.length);
      }
    });

  it('lists a piece shown by several findings once (lab-remediate-12: 171 uses, 123 pieces)', () => {
    const m = buildReportModel(recorded('lab-remediate-12'));
    const uses = m.hosts.flatMap((h) => [...h.findings, ...(h.verification?.findings ?? [])]).reduce((n, f) => n + f.evidenceIds.length, 0);
    expect(uses).toBe(171);
    expect(m.hosts.reduce((n, h) => n + h.evidence.length, 0)).toBe(123);
  });

  it('keeps pieces apart that differ in any field, whatever the order of their keys', () => {
    const t = new EvidenceTable();
    expect(t.idsOf([{ kind: 'process', text: 'x', pid: 1 }, { pid: 1, text: 'x', kind: 'process' }, { kind: 'process', text: 'x', pid: 2 }, { kind: 'process', text: 'x' }])).toEqual(['E1', 'E1', 'E2', 'E3']);
    expect(t.idsOf([{ kind: 'file', text: 'x', path: '/a', time: 1_700_000_000 }])).toEqual(['E4']);
    expect(t.rows[3]).toEqual({ id: 'E4', kind: 'file', text: 'x', path: '/a', time: 1_700_000_000, iso: isoFromSeconds(1_700_000_000) });
  });

  it('refuses an id its host does not list', () => {
    expect(() => findingEvidence({ evidence: [] }, { evidenceIds: ['E9'] })).toThrow(/E9 is not in the host's evidence table/);
  });
});
