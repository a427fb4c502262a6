import { describe, expect, it } from 'vitest';
import { RunRecordError, validateRunRecord } from '../../../src/report/validate-run.js';
import { hostileRun } from '../../fixtures/runs/hostile-run.js';

describe('validateRunRecord', () => {
  it('accepts a run record and fills missing optional lists', () => {
    const r = validateRunRecord({ schema: 'minesweep.run/1', id: 'x', hosts: [{ name: 'h1', findings: [{ rule: 'r', severity: 'high', title: 't' }] }] }, 'runs/x/run.json');
    expect(r.hosts[0]).toMatchObject({ name: 'h1', groups: [], tasks: [], quarantine: [], status: 'ok' });
    expect(r.hosts[0]!.findings[0]).toMatchObject({ evidence: [], iocs: [], artifacts: [] });
    expect(r.iocs).toEqual([]);
  });

  it('round-trips a full record unchanged', () => {
    const run = JSON.parse(JSON.stringify(hostileRun()));
    expect(validateRunRecord(run, 'f').hosts.map((h) => h.findings.length)).toEqual(run.hosts.map((h: { findings: unknown[] }) => h.findings.length));
  });

  it('refuses what is not a run record, naming the file and the fix', () => {
    expect(() => validateRunRecord([], 'runs/a/run.json')).toThrow(RunRecordError);
    expect(() => validateRunRecord({ schema: 'other/1', hosts: [] }, 'runs/a/run.json')).toThrow(/runs\/a\/run.json: expected "schema": "minesweep.run\/1", got "other\/1".*point `minesweep report` at/);
    expect(() => validateRunRecord({ schema: 'minesweep.run/1', hosts: [{}] }, 'f')).toThrow(/hosts\[0\]: expected an object with a "name"/);
  });
});
