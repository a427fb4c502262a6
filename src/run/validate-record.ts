import { RUN_SCHEMA, type RunRecord } from './types.js';

/** Check that parsed JSON is a run record this version can read; returns a message or null. Pure. */
export function runRecordProblem(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return 'expected a JSON object';
  const r = data as Partial<RunRecord>;
  if (r.schema !== RUN_SCHEMA) return `expected schema "${RUN_SCHEMA}", got ${JSON.stringify(r.schema)}`;
  if (typeof r.id !== 'string') return 'expected "id" (string)';
  if (!Array.isArray(r.hosts)) return 'expected "hosts" (list)';
  for (const [i, h] of r.hosts.entries()) {
    if (!h || typeof h.name !== 'string') return `hosts[${i}]: expected "name"`;
    if (!Array.isArray(h.findings)) return `hosts[${i}] (${h.name}): expected "findings" (list)`;
  }
  if (!Array.isArray(r.iocs)) return 'expected "iocs" (list)';
  if (r.baseline !== undefined && (typeof r.baseline !== 'object' || r.baseline === null || typeof r.baseline.run !== 'string')) return 'expected "baseline" to be an object with "run" (string)';
  if (r.notify !== undefined && (typeof r.notify !== 'object' || r.notify === null || typeof r.notify.sent !== 'boolean')) return 'expected "notify" to be an object with "sent" (boolean)';
  return null;
}
