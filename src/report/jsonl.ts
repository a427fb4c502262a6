import type { HostResult, HostStatus } from '../core/result.js';
import type { Finding } from '../findings/types.js';
import { hostOutcome } from '../findings/outcome.js';
import { hostFamilies } from '../rules/attribute.js';
import type { HostRun, RunRecord, StepRecord, TaskRecord } from '../run/types.js';

// The lines of `--json`: JSON Lines, one object per line, each with its `type` and the schema
// version `v` (jsonl.schema.json next to this file, JSON Schema 2020-12). The first line is a
// `run` line naming the schema; the last is a `summary`. Pure builders; the commands write them
// (src/commands/jsonl.ts). Bump JSONL_VERSION on any incompatible change.

export const JSONL_VERSION = 1;
export const JSONL_SCHEMA = `minesweep.jsonl/${JSONL_VERSION}`;

/**
 * When a host line was written: `sweep` as the host's probe and rules ended (verdict before the
 * fleet pivot and stacking), `fleet` after them (final findings and verdict, only for hosts they
 * changed), `action` a remediate/harden/run/rollback/exec/ping result, `verify` remediate's
 * re-probe, `resolve` how `hosts` will reach it, or a host `--list-hosts` selected (nothing connects).
 */
export type Stage = 'sweep' | 'fleet' | 'action' | 'verify' | 'resolve';

interface Line<T extends string> {
  type: T;
  v: typeof JSONL_VERSION;
}

export interface RunLine extends Line<'run'> {
  schema: typeof JSONL_SCHEMA;
  command: string;
  /** the run's id and directory; null for commands that keep no run (exec, ping, hosts, --list-hosts); rollback: the run it undoes */
  id: string | null;
  runDir: string | null;
  startedAt: string;
  apply?: boolean;
}

export interface HostLine extends Line<'host'> {
  stage: Stage;
  host: string;
  status: HostStatus;
  address?: string;
  groups?: string[];
  verdict?: string;
  verdictWhy?: string;
  reason?: string;
  incomplete?: string[];
  families?: string[];
  /** how many findings the host has at this stage */
  findings?: number;
  connectRetries?: number;
  tasks?: Array<{ task: string; status: string }>;
  notes?: string[];
  verification?: { state: string; at: string; findings: number; note?: string };
  /** exec: the command's result, remote bytes decoded (JSON escapes control characters) */
  output?: { rc: number | null; stdout: string; stderr: string; timedOut: boolean };
  /** ping: what was checked; hosts: the resolved connection */
  details?: Record<string, unknown>;
  /** rollback: each change the run recorded and what became of it (`planned` in check mode) */
  changes?: Array<{ path: string; kind: string; outcome: string; detail?: string }>;
  durationMs?: number;
}

export interface FindingLine extends Line<'finding'> {
  stage: 'sweep' | 'fleet' | 'verify';
  host: string;
  rule: string;
  severity: Finding['severity'];
  title: string;
  family?: string;
  evidence: Finding['evidence'];
  iocs: Finding['iocs'];
  remedy: string;
  reasons?: string[];
  pivot?: Finding['pivot'];
}

export interface TaskLine extends Line<'task'> {
  host: string;
  play: string;
  task: string;
  module: string;
  status: HostStatus;
  ignored: boolean;
  message?: string;
  steps?: StepRecord[];
  durationMs?: number;
}

export interface SummaryLine extends Line<'summary'> {
  command: string;
  hosts: number;
  status: Partial<Record<HostStatus, number>>;
  /** final verdict counts (after the fleet pivot), for commands that judge hosts */
  verdicts?: Record<string, number>;
  findings?: number;
  iocs?: number;
  families?: string[];
  runDir: string | null;
  exitCode: number;
}

export interface MessageLine extends Line<'error' | 'warning'> {
  message: string;
  host?: string;
  /** an error of usage or configuration (exit 2) */
  usage?: boolean;
}

/** sweep --baseline / --notify: the comparison with the earlier run and the notification's delivery (run.json `baseline`, `notify`). */
export interface BaselineLine extends Line<'baseline'> {
  baseline?: object;
  notify?: object;
  /** baseline.json in the run directory */
  file?: string;
}

export type JsonlLine = RunLine | HostLine | FindingLine | TaskLine | SummaryLine | BaselineLine | MessageLine;

export function runLine(command: string, o: { id?: string; runDir?: string; startedAt?: string; apply?: boolean } = {}): RunLine {
  return { type: 'run', v: JSONL_VERSION, schema: JSONL_SCHEMA, command, id: o.id ?? null, runDir: o.runDir ?? null, startedAt: o.startedAt ?? new Date().toISOString(), ...(o.apply !== undefined ? { apply: o.apply } : {}) };
}

/** A judged host (sweep, remediate, harden, merge): verdict, families and how many findings. */
export function hostLine(h: HostRun, stage: Stage): HostLine {
  return {
    type: 'host',
    v: JSONL_VERSION,
    stage,
    host: h.name,
    status: h.status,
    ...(h.address ? { address: h.address } : {}),
    groups: h.groups,
    verdict: hostOutcome(h).verdict,
    ...(h.verdictWhy ? { verdictWhy: h.verdictWhy } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
    incomplete: h.incomplete ?? [],
    families: hostFamilies(h.findings),
    findings: h.findings.length,
    ...(h.connectRetries ? { connectRetries: h.connectRetries } : {}),
  };
}

export function findingLine(f: Finding, stage: FindingLine['stage'], host = f.host): FindingLine {
  return {
    type: 'finding',
    v: JSONL_VERSION,
    stage,
    host,
    rule: f.rule,
    severity: f.severity,
    title: f.title,
    ...(f.family ? { family: f.family } : {}),
    evidence: f.evidence,
    iocs: f.iocs,
    remedy: f.remedy,
    ...(f.reasons?.length ? { reasons: f.reasons } : {}),
    ...(f.pivot ? { pivot: f.pivot } : {}),
  };
}

/** A host line and its findings' lines. */
export function hostWithFindings(h: HostRun, stage: 'sweep' | 'fleet'): JsonlLine[] {
  return [hostLine(h, stage), ...h.findings.map((f) => findingLine(f, stage, h.name))];
}

/** A host of a command that does not judge hosts (exec, ping, run): status and reason. */
export function resultLine(r: HostResult, stage: Stage, extra: Partial<HostLine> = {}): HostLine {
  return { type: 'host', v: JSONL_VERSION, stage, host: r.host, status: r.status, ...(r.reason ? { reason: r.reason } : {}), ...(r.connectRetries ? { connectRetries: r.connectRetries } : {}), ...(r.durationMs ? { durationMs: r.durationMs } : {}), ...extra };
}

/** A host at the end of a playbook (`run`): status, reason and each task's status. */
export function playedLine(h: HostRun): HostLine {
  return { type: 'host', v: JSONL_VERSION, stage: 'action', host: h.name, status: h.status, ...(h.address ? { address: h.address } : {}), groups: h.groups, ...(h.reason ? { reason: h.reason } : {}), ...(h.connectRetries ? { connectRetries: h.connectRetries } : {}), tasks: h.tasks.map((k) => ({ task: k.task, status: k.status })) };
}

/** A task that ended on a host (`run`): its record as run.json keeps it (commands and output masked). */
export function taskLine(e: { host: string; record: TaskRecord; ignored: boolean; message?: string }): TaskLine {
  const r = e.record;
  const message = e.message ?? r.message;
  return { type: 'task', v: JSONL_VERSION, host: e.host, play: r.play, task: r.task, module: r.module, status: r.status, ignored: e.ignored, ...(message ? { message } : {}), ...(r.steps.length ? { steps: r.steps } : {}), durationMs: r.durationMs };
}

export function messageLine(type: 'error' | 'warning', message: string, o: { host?: string; usage?: boolean } = {}): MessageLine {
  return { type, v: JSONL_VERSION, message, ...(o.host !== undefined ? { host: o.host } : {}), ...(o.usage ? { usage: true } : {}) };
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/** The summary of a run with judged hosts: counts by status and by final verdict. */
export function recordSummary(record: RunRecord, runDir: string | undefined, exitCode: number, command = record.command): SummaryLine {
  const hs = record.hosts;
  return {
    type: 'summary',
    v: JSONL_VERSION,
    command,
    hosts: hs.length,
    status: countBy(hs, (h) => h.status),
    verdicts: countBy(hs, (h) => hostOutcome(h).verdict),
    findings: hs.reduce((n, h) => n + h.findings.length, 0),
    iocs: record.iocs.length,
    families: hostFamilies(hs.flatMap((h) => h.findings)),
    runDir: runDir ?? null,
    exitCode,
  };
}

/** The summary of a command without verdicts: counts by status. */
export function resultsSummary(command: string, results: readonly HostResult[], exitCode: number, runDir?: string): SummaryLine {
  return { type: 'summary', v: JSONL_VERSION, command, hosts: results.length, status: countBy(results, (r) => r.status), runDir: runDir ?? null, exitCode };
}

/** A recorded sweep as its stream would end: run, every host with its final findings, summary. */
export function recordLines(record: RunRecord, runDir: string | undefined, exitCode: number): JsonlLine[] {
  return [
    runLine(record.command, { id: record.id, ...(runDir ? { runDir } : {}), startedAt: record.startedAt }),
    ...record.hosts.flatMap((h) => hostWithFindings(h, 'fleet')),
    recordSummary(record, runDir, exitCode),
  ];
}
