import type { HostResult } from '../core/result.js';
import type { HostRun, RunRecord } from '../run/types.js';
import { findingLine, hostWithFindings, messageLine, recordSummary, resultsSummary, runLine, type JsonlLine, type RunLine } from '../report/jsonl.js';

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

/** The stream of a command that reports host results without verdicts (exec, ping, hosts, run, rollback, --list-hosts). */
export interface ResultStream {
  /** a host or task line; the run line is written just before the first line */
  line(l: JsonlLine): void;
  /** a warning line (the caller also writes it to stderr) */
  warn(message: string, host?: string): void;
  /** the summary: counts by status, the exit code */
  end(results: readonly HostResult[], exitCode: number): void;
}

/**
 * `run` (when the stream's first line is written, started when this is called), the lines as
 * the command produces them, `summary`. A usage error before any line leaves the stream to the
 * error line alone, as sweep's. With json false every call does nothing.
 */
export function resultStream(json: boolean, command: string, run: { id?: string; runDir?: string; startedAt?: string; apply?: boolean } = {}, out: (line: JsonlLine) => void = emit): ResultStream {
  const first: RunLine = runLine(command, run);
  let started = false;
  const write = (l: JsonlLine): void => {
    if (!json) return;
    if (!started) out(first);
    started = true;
    out(l);
  };
  return {
    line: write,
    warn: (message, host) => write(messageLine('warning', message, host !== undefined ? { host } : {})),
    end: (results, exitCode) => write(resultsSummary(command, results, exitCode, run.runDir)),
  };
}
