import { recordedVerdict } from '../findings/verdict.js';
import type { Severity } from '../findings/types.js';
import { hostFamilies } from '../rules/attribute.js';
import type { RunRecord } from '../run/types.js';
import { csvField } from './ioc-export.js';

// A run's hosts as CSV for spreadsheets: one row per host, every field formula-defused
// (host names, reasons and families are remote text).

const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** host,address,groups,status,verdict,families,findings,highest_severity,reason; CRLF lines (RFC 4180). */
export function hostsCsv(record: Pick<RunRecord, 'hosts'>): string {
  const rows = [['host', 'address', 'groups', 'status', 'verdict', 'families', 'findings', 'highest_severity', 'reason'].join(',')];
  for (const h of record.hosts) {
    const highest = ORDER.find((s) => h.findings.some((f) => f.severity === s)) ?? '';
    rows.push([h.name, h.address, h.groups.join(' '), h.status, recordedVerdict(h), hostFamilies(h.findings).join(' '), String(h.findings.length), highest, h.verdictWhy && h.status === 'ok' ? h.verdictWhy : h.reason ?? h.verdictWhy ?? ''].map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
