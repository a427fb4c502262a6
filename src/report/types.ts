import type { HostStatus } from '../core/result.js';
import type { RunRecord } from '../run/types.js';
import type { Evidence, IocType, Severity } from '../findings/types.js';
import { FINAL_VERDICTS, type FinalVerdict } from '../findings/outcome.js';
import type { Verdict } from '../findings/verdict.js';

// The report model: everything report.html and report.json show, computed purely from a
// RunRecord (model.ts). report.json IS this object; its schema is documented in
// report.schema.json next to this file. Bump REPORT_SCHEMA on any incompatible change.

export const REPORT_SCHEMA = 'minesweep.report/3';

/** How a host ends in the report: its verdict after the run's actions (findings/outcome.ts). */
export type HostState = FinalVerdict;

export const HOST_STATES: readonly HostState[] = FINAL_VERDICTS;

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
  /** hosts by state (verdict after the run's actions), every state present */
  verdicts: Record<HostState, number>;
  /** hosts found infected by this run: still infected, reinfected, or cleaned */
  infected: number;
  /** infected (or suspicious) hosts verified clean after remediation */
  cleaned: number;
  /** infected or reinfected now */
  stillInfected: number;
  /** hosts someone must still act on: reinfected, infected, suspicious, exposed */
  open: number;
  unreachable: number;
  /** reached but the check did not finish (verdict incomplete) */
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

/** A finding after the run's actions. */
export type FindingStatus = 'open' | 'removed' | 'closed';

/** One piece of a host's evidence, listed once in HostSection.evidence; findings name it by id. */
export interface ReportEvidence extends Evidence {
  /** E1, E2 … in the order report.html first shows them (open findings, done ones, verification, recheck), and its labels */
  id: string;
  iso?: string;
}

export interface ReportFinding {
  rule: string;
  severity: Severity;
  title: string;
  family?: string;
  /** ids into the host's evidence table, in the finding's order (findingEvidence in evidence-table.ts looks them up) */
  evidenceIds: string[];
  remedy: string;
  /** after the run's actions: open, removed (cleaned and checked again) or closed (hardened and checked again) */
  status: FindingStatus;
  /** MITRE ATT&CK techniques the finding shows (src/catalogue/attack/techniques.yml) */
  attack?: Array<{ id: string; name: string }>;
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
  /** the verdict when the host was probed, before this run's actions */
  before: Verdict;
  /** one line: why the state */
  why: string;
  status: HostStatus;
  reason?: string;
  /** refused connection attempts that were retried */
  connectRetries?: number;
  families: string[];
  /** highest severity among the findings, null when none */
  severity: Severity | null;
  /** every piece of evidence of the host's findings, the verification's and the recheck's, once each */
  evidence: ReportEvidence[];
  findings: ReportFinding[];
  actions: ReportAction[];
  quarantine: ReportQuarantine[];
  verification: { state: 'clean' | 'reinfected' | 'infected' | 'unreachable'; at: string; note?: string; findings: ReportFinding[] } | null;
  /** harden --apply: the hardened items probed again */
  recheck: { state: 'closed' | 'open' | 'unreachable'; at: string; note?: string; findings: ReportFinding[] } | null;
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
  /** hosts of the group by state, every state present */
  counts: Record<HostState, number>;
  total: number;
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
