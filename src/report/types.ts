import type { HostStatus } from '../core/result.js';
import type { RunRecord } from '../run/types.js';
import type { Evidence, IocType, Severity } from '../findings/types.js';

// The report model: everything report.html and report.json show, computed purely from a
// RunRecord (model.ts). report.json IS this object; its schema is documented in
// report.schema.json next to this file. Bump REPORT_SCHEMA on any incompatible change.

export const REPORT_SCHEMA = 'minesweep.report/1';

/** How a host ends in the report, from its findings, status and verification. */
export type HostState = 'still-infected' | 'cleaned' | 'unreachable' | 'not-checked' | 'clean';

export const HOST_STATES: readonly HostState[] = ['still-infected', 'cleaned', 'unreachable', 'not-checked', 'clean'];

/** What the evidence says about the way in. */
export type EntryKind = 'redis-open' | 'datastore-open-to-world' | 'planted-key' | 'backdoor-account' | 'docker-api' | 'weak-ssh';

export interface EntryPoint {
  kind: EntryKind;
  /** plain-language sentence for a manager */
  text: string;
  hosts: string[];
}

export interface FirstEvidence {
  /** seconds since epoch (host clock) */
  time: number;
  iso: string;
  host: string;
  /** what the evidence is: "cron file /var/spool/cron/root changed" */
  what: string;
}

export interface Summary {
  hostsSwept: number;
  /** hosts with at least one finding (cleaned or not) */
  infected: number;
  /** infected hosts verified clean after remediation */
  cleaned: number;
  /** infected hosts not verified clean (no remediation yet, reinfected, or unverifiable) */
  stillInfected: number;
  unreachable: number;
  /** reached but the check failed */
  notChecked: number;
  /** no finding */
  clean: number;
  families: Array<{ id: string; hosts: number; findings: number }>;
  firstEvidence: FirstEvidence | null;
  entryPoints: EntryPoint[];
  /** plain sentences: what this run did */
  done: string[];
  /** plain sentences: what is left to do */
  remains: string[];
  /** one sentence for the top of the page */
  headline: string;
}

export type TimelineKind = 'first-evidence' | 'evidence' | 'run' | 'action' | 'quarantine' | 'verification';

export interface TimelineEvent {
  /** milliseconds since epoch */
  at: number;
  iso: string;
  kind: TimelineKind;
  host?: string;
  family?: string;
  text: string;
}

export interface ReportEvidence extends Evidence {
  iso?: string;
}

export interface ReportFinding {
  rule: string;
  severity: Severity;
  title: string;
  family?: string;
  evidence: ReportEvidence[];
  remedy: string;
  /** seenOn: the first hosts; more: how many others besides */
  pivot?: { type: IocType; value: string; seenOn: string[]; more?: number };
}

export interface ReportStep {
  description: string;
  status: HostStatus;
  exitCode?: number | null;
  /** first lines of stderr when the step failed */
  error?: string;
  /** unified diff of the file the step changes (or would change, in a plan), cut at 4,000 characters */
  diff?: string;
}

export interface ReportAction {
  play: string;
  task: string;
  module: string;
  status: HostStatus;
  message?: string;
  startedAt: string;
  hardening: HardeningArea | null;
  steps: ReportStep[];
}

export interface ReportQuarantine {
  originalPath: string;
  quarantinePath: string;
  sha256: string;
  size: number;
  movedAt: string;
}

export interface HostSection {
  name: string;
  address: string;
  groups: string[];
  state: HostState;
  status: HostStatus;
  reason?: string;
  /** refused connection attempts that were retried */
  connectRetries?: number;
  families: string[];
  /** highest severity among the findings, null when none */
  severity: Severity | null;
  findings: ReportFinding[];
  actions: ReportAction[];
  quarantine: ReportQuarantine[];
  verification: { state: 'clean' | 'reinfected' | 'unreachable'; at: string; note?: string; findings: ReportFinding[] } | null;
  earliestEvidence: { time: number; iso: string } | null;
}

export interface ReportIoc {
  type: IocType;
  value: string;
  family?: string;
  source?: string;
  /** hosts whose findings carry it */
  hosts: string[];
  /** earliest and latest evidence time (host clock, ISO) of the findings carrying it; absent when none has a time */
  firstSeen?: string;
  lastSeen?: string;
}

export type HardeningArea = 'firewall' | 'redis' | 'ssh';

export interface HardeningRow {
  host: string;
  area: HardeningArea;
  /** worst status of the area's tasks on that host */
  status: HostStatus;
  tasks: number;
  message?: string;
}

export interface Recommendation {
  area: HardeningArea | 'general';
  text: string;
  hosts: string[];
}

export interface GroupCount {
  group: string;
  stillInfected: number;
  cleaned: number;
  clean: number;
  unreachable: number;
  notChecked: number;
}

/** One task across the fleet: on how many hosts it ended how. */
export interface TaskTally {
  play: string;
  task: string;
  hardening: HardeningArea | null;
  changed: number;
  ok: number;
  failed: number;
  skipped: number;
  unreachable: number;
}

export interface ReportModel {
  schema: typeof REPORT_SCHEMA;
  generatedAt: string;
  /** the run, argv with secrets masked */
  run: Pick<RunRecord, 'id' | 'command' | 'argv' | 'apply' | 'startedAt' | 'finishedAt' | 'inventory' | 'controller'> & { durationMs: number };
  summary: Summary;
  byGroup: GroupCount[];
  timeline: TimelineEvent[];
  /** infected hosts first (still infected, then cleaned), then unreachable, not checked, clean */
  hosts: HostSection[];
  iocs: ReportIoc[];
  /** every task of the run, in first-seen order, with its outcomes across the fleet */
  changes: TaskTally[];
  hardening: { applied: HardeningRow[]; recommended: Recommendation[] };
}
