import type { HostRun, RunRecord } from '../run/types.js';
import { findingLine, hostWithFindings, messageLine, recordSummary, runLine, type JsonlLine } from '../report/jsonl.js';

// How `--json` writes its lines (src/report/jsonl.ts builds them; jsonl.schema.json documents
// them): one JSON object per line on stdout, each written whole at once. JSON.stringify
// escapes every control character, so no remote byte reaches the terminal raw.

export function emit(line: JsonlLine): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

/** A warning on stderr (escaped by the caller) and, with --json, as a `warning` line. */
export function warnLine(json: boolean, message: string, host?: string): void {
  if (json) emit(messageLine('warning', message, host !== undefined ? { host } : {}));
}

/** --json given on the command line: for errors raised before the options are read. */
export const jsonRequested = (argv: readonly string[] = process.argv): boolean => argv.slice(2).includes('--json');

/**
 * The sweep's stream: `run` when the run starts, each host with its findings as it finishes
 * (stage `sweep`); after the fleet pivot and stacking, every host they changed again with its
 * whole final findings (stage `fleet`: they replace that host's earlier lines), then the summary.
 */
export function sweepStream(command: string, out: (line: JsonlLine) => void = emit): { start(id: string, runDir: string | undefined, startedAt: string): void; host(h: HostRun): void; end(record: RunRecord, runDir: string | undefined, exitCode: number): void } {
  const seen = new Map<string, string>();
  const key = (h: HostRun) => JSON.stringify([h.status, h.verdict, h.findings]);
  return {
    start: (id, runDir, startedAt) => out(runLine(command, { id, ...(runDir ? { runDir } : {}), startedAt })),
    host: (h) => {
      seen.set(h.name, key(h));
      for (const l of hostWithFindings(h, 'sweep')) out(l);
    },
    end: (record, runDir, exitCode) => {
      for (const h of record.hosts) if (seen.get(h.name) !== key(h)) for (const l of hostWithFindings(h, 'fleet')) out(l);
      out(recordSummary(record, runDir, exitCode, command));
    },
  };
}

/** A recorded host's remediate verification, with the findings that came back. */
export function verificationLines(h: HostRun): JsonlLine[] {
  const v = h.verification;
  if (!v) return [];
  return [
    { type: 'host', v: 1, stage: 'verify', host: h.name, status: h.status, verification: { state: v.state, at: v.at, findings: v.findings.length, ...(v.note ? { note: v.note } : {}) } },
    ...v.findings.map((f) => findingLine(f, 'verify', h.name)),
  ];
}
