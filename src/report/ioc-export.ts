import { stringify } from 'yaml';
import { encodeLossless } from '../core/bytes.js';
import { Trusted } from './trusted.js';
import type { Ioc } from '../findings/types.js';
import type { ReportIoc } from './types.js';

// The IOC table as files: CSV for spreadsheets, and the `--ioc FILE` YAML format
// (src/catalogue/families.yml header: a top-level `iocs:` list of {type, value, family, source}).

/** One CSV field: quoted when needed; a leading = + - @ tab or CR gets a ' so spreadsheets don't run it as a formula. */
export function csvField(s: string): string {
  const defused = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(defused) || defused !== s ? `"${defused.replace(/"/g, '""')}"` : defused;
}

/** type,value,family,source,hosts (hosts joined with spaces), CRLF lines as RFC 4180 says. */
export function iocsCsv(iocs: readonly ReportIoc[]): string {
  const rows = [['type', 'value', 'family', 'source', 'hosts'].join(',')];
  for (const i of iocs) rows.push([i.type, i.value, i.family ?? '', i.source ?? i.hosts[0] ?? '', i.hosts.join(' ')].map(csvField).join(','));
  return rows.join('\r\n') + '\r\n';
}

/** A file `minesweep sweep --ioc FILE` accepts. */
export function iocsYaml(iocs: readonly ReportIoc[], runId: string): string {
  const list = iocs.map((i) => ({ type: i.type, value: i.value, ...(i.family ? { family: i.family } : {}), source: i.source ?? i.hosts[0] ?? runId }));
  return `# IOCs of minesweep run ${runId.replace(/[^\w.:-]/g, '_')}; use with: minesweep sweep -i INVENTORY --ioc THIS_FILE\n` + stringify({ iocs: list }, { lineWidth: 0 });
}

/**
 * A data: URI for a download link (a navigation, not a fetch: no CSP fetch directive applies);
 * host bytes kept exact. Only base64 characters follow the fixed prefix, so it is safe markup.
 */
export function dataUri(mime: 'text/csv' | 'application/yaml', body: string): Trusted {
  return Trusted.fromBuilder(`data:${mime};charset=utf-8;base64,${encodeLossless(body).toString('base64')}`);
}

/** A run's IOCs with the hosts whose findings carry each, for iocsCsv. */
export function recordIocs(record: { iocs: readonly Ioc[]; hosts: ReadonlyArray<{ name: string; findings: ReadonlyArray<{ iocs: readonly Ioc[] }> }> }): ReportIoc[] {
  return record.iocs.map((i) => ({ ...i, hosts: record.hosts.filter((h) => h.findings.some((f) => f.iocs.some((x) => x.type === i.type && x.value === i.value))).map((h) => h.name) }));
}
