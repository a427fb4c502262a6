import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/run/types.js';
import { hostsCsv } from '../../../src/report/hosts-csv.js';
import { iocsCsv, recordIocs } from '../../../src/report/ioc-export.js';

// The CSV exports of a recorded run: hosts (report --hosts-csv) and IOCs (iocs --format csv).

const root = path.resolve(import.meta.dirname, '../../..');
const record = JSON.parse(readFileSync(path.join(root, 'test/fixtures/runs/sweep-recorded-facts/run.json'), 'utf8')) as RunRecord;

describe('CSV exports', () => {
  it('hosts: one row per host with its verdict, families, count and highest severity', () => {
    const rows = hostsCsv(record).split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('host,address,groups,status,verdict,families,findings,highest_severity,reason');
    expect(rows).toHaveLength(record.hosts.length + 1);
    const infected = record.hosts.find((h) => h.findings.some((f) => f.severity === 'critical'))!;
    const row = rows.find((r) => r.startsWith(`${infected.name},`))!;
    expect(row).toContain(`,${infected.findings.length},critical,`);
  });

  it('remote text cannot become a spreadsheet formula', () => {
    const hostile = { ...record.hosts[0]!, name: '=HYPERLINK("http://x")', groups: ['+g'], reason: '@SUM(1)', status: 'failed' as const, findings: [] };
    const csv = hostsCsv({ hosts: [hostile] });
    const row = csv.split('\r\n')[1]!;
    expect(row.startsWith(`"'=HYPERLINK(""http://x"")"`)).toBe(true);
    expect(row).toContain(`"'+g"`);
    expect(row).toContain(`"'@SUM(1)"`);
  });

  it('iocs: every IOC of the run with the hosts that carry it', () => {
    const csv = iocsCsv(recordIocs(record)).split('\r\n').filter(Boolean);
    expect(csv).toHaveLength(record.iocs.length + 1);
    expect(recordIocs(record).every((i) => i.hosts.length > 0)).toBe(true);
  });
});
