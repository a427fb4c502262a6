import type { ReportModel } from './types.js';

// report.json: the ReportModel as JSON, schema "minesweep.report/3", documented field by
// field in report.schema.json (JSON Schema 2020-12) next to this file.

/** The report as compact JSON (a third smaller than indented at 1,000 hosts), newline-terminated. Host strings are kept exactly (JSON escapes them). */
export function reportJson(m: ReportModel): string {
  return JSON.stringify(m) + '\n';
}
