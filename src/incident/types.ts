import type { Severity } from '../findings/types.js';
import type { EntryPoint, FirstEvidence, HostState, ReportIoc } from '../report/types.js';

// The incident report: every run of one response read together (model.ts). report.json of
// the incident directory IS this object.

export const INCIDENT_SCHEMA = 'minesweep.incident/1';

/** A finding across the incident's runs. */
export type IncidentFindingStatus = 'open' | 'done' | 'came-back';

export interface IncidentFinding {
  host: string;
  rule: string;
  severity: Severity;
  title: string;
  family?: string;
  /** what to do, while it is open */
  remedy: string;
  status: IncidentFindingStatus;
  /** the run that first saw it, and the last that saw it */
  firstSeen: string;
  lastSeen: string;
  /** the run that removed or closed it (checked again), or that swept the host and no longer found it */
  doneBy?: string;
  /** the run that found it again after it was done */
  cameBackIn?: string;
  /** the first evidence line, to recognise it */
  evidence?: string;
  /** MITRE ATT&CK technique ids (src/catalogue/attack/techniques.yml) */
  attack?: string[];
}

export interface IncidentRun {
  id: string;
  command: string;
  apply: boolean;
  startedAt: string;
  finishedAt: string;
  hosts: number;
  /** one line: what the run found or did */
  text: string;
}

export interface IncidentHost {
  name: string;
  address: string;
  groups: string[];
  /** now: open (reinfected, infected, suspicious, exposed), done (cleaned, closed), clean, unreachable, incomplete */
  state: HostState;
  families: string[];
  severity: Severity | null;
  findings: { total: number; open: number; done: number; cameBack: number };
  /** the last run that reached the host (probed it, acted on it, or checked it again) */
  lastChecked: string | null;
  /** the run that tried to reach the host after that and could not, with why (first line) */
  unreachable?: { run: string; reason: string };
}

export interface IncidentEvent {
  at: number;
  iso: string;
  run?: string;
  host?: string;
  text: string;
}

export interface IncidentSummary {
  hosts: number;
  /** hosts that had anything (open or done) */
  affected: number;
  verdicts: Record<HostState, number>;
  findings: { total: number; open: number; done: number; cameBack: number };
  /** hosts whose open doors (exposures) were all closed, infected or not */
  doorsClosed: number;
  severity: Severity | null;
  families: Array<{ id: string; hosts: number }>;
  /** the earliest real trace: process starts, planted files, cron lines (never shared files such as /etc/passwd) */
  since: FirstEvidence | null;
  entryPoints: EntryPoint[];
  /** nothing open, and the last run that tried each affected host reached it and found it so */
  over: boolean;
  headline: string;
  /** plain sentences: what is still open */
  open: string[];
  /** plain sentences: who must act on what (new Redis passwords, unreachable hosts …) */
  act: string[];
}

export interface IncidentModel {
  schema: typeof INCIDENT_SCHEMA;
  name: string;
  generatedAt: string;
  runs: IncidentRun[];
  summary: IncidentSummary;
  timeline: IncidentEvent[];
  hosts: IncidentHost[];
  /** open first, then came back, then done */
  findings: IncidentFinding[];
  iocs: Array<ReportIoc & { firstRun: string; lastRun: string }>;
}
