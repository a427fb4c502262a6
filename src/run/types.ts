import type { Verdict } from '../findings/verdict.js';
import type { HostStatus } from '../core/result.js';
import type { Finding, Ioc } from '../findings/types.js';

// The run record: what one command did to the fleet, written as JSON into runs/<id>/ and
// read back by `report`, `rollback`, `remediate --from`, `iocs` and `merge`.

export const RUN_SCHEMA = 'minesweep.run/1';

export interface StepRecord {
  /** what a human reads (secrets masked) */
  description: string;
  status: HostStatus;
  /** masked command as sent */
  command?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number | null;
  diff?: string;
}

export interface TaskRecord {
  play: string;
  task: string;
  module: string;
  tags: string[];
  status: HostStatus;
  /** why nothing was done, or why it failed */
  message?: string;
  steps: StepRecord[];
  startedAt: string;
  durationMs: number;
}

export interface QuarantineRecord {
  originalPath: string;
  quarantinePath: string;
  sha256: string;
  mode: string;
  owner: string;
  group: string;
  attrs: string;
  size: number;
  movedAt: string;
  /**
   * moved (the path itself went into quarantine), backup (a copy taken before an edit in place),
   * renamed (originalPath was renamed from renamedFrom), meta (its mode, owner or attributes were
   * about to change), special (a FIFO, socket or device: recorded, left in place), created (it
   * did not exist and was about to be created)
   */
  kind?: QuarantineKind;
  /** numeric owner, exact even when the user no longer exists */
  uid?: number;
  gid?: number;
  /** for kind renamed: the name the file had before */
  renamedFrom?: string;
  /** the host this record belongs to (set when records are listed fleet-wide) */
  host?: string;
  /** what the path was when recorded (never followed: a symlink is a link) */
  fileType?: FileType;
  /** for a symlink: its target, exact */
  linkTarget?: string;
  /** hard links, inode and device when recorded (a restore checks the link count) */
  nlink?: number;
  inode?: number;
  device?: number;
  /** the record's id on the host: s<step>-<hash>, the same in the host manifest and the controller journal */
  id?: string;
}

export type QuarantineKind = 'moved' | 'backup' | 'renamed' | 'meta' | 'special' | 'created';
export type FileType = 'file' | 'dir' | 'link' | 'fifo' | 'socket' | 'char' | 'block' | 'other' | 'absent';

export interface HostRun {
  name: string;
  address: string;
  groups: string[];
  status: HostStatus;
  reason?: string;
  findings: Finding[];
  tasks: TaskRecord[];
  quarantine: QuarantineRecord[];
  verification?: { state: 'clean' | 'reinfected' | 'infected' | 'unreachable'; at: string; findings: Finding[]; note?: string };
  /** harden --apply: the hosts it changed probed again; closed when none of the open doors it hardened is left */
  recheck?: { state: 'closed' | 'open' | 'unreachable'; at: string; findings: Finding[]; note?: string };
  /** seconds since epoch on the host, for the timeline */
  earliestEvidence?: number;
  /** connection attempts the server refused (MaxStartups, reset before the banner) and that were retried */
  connectRetries?: number;
  /** the host's verdict (findings/verdict.ts) and why, one line */
  verdict?: Verdict;
  verdictWhy?: string;
  /** probe sections that did not finish */
  incomplete?: string[];
}

export interface RunRecord {
  schema: typeof RUN_SCHEMA;
  id: string;
  command: string;
  argv: string[];
  apply: boolean;
  startedAt: string;
  finishedAt: string;
  inventory: string[];
  controller: { hostname: string; version: string };
  hosts: HostRun[];
  iocs: Ioc[];
  /** a run of one shard (--shard K/N): what `merge` needs to join it with the others */
  shard?: ShardRecord;
  /** a run joined by `merge` from shard runs */
  merged?: MergeRecord;
  /** sweep --baseline: what changed since that run (the whole comparison is baseline.json) */
  baseline?: BaselineSummary;
  /** sweep --notify: whether the summary was delivered (the URL with its credentials masked) */
  notify?: NotifyRecord;
}

/** sweep --baseline in run.json: the run compared with, the counts and the host-level changes. */
export interface BaselineSummary {
  run: string;
  dir: string;
  new: number;
  gone: number;
  changed: number;
  /** baseline findings on hosts not fully seen this time (unreachable, failed, incomplete): neither gone nor still there */
  unknown: number;
  hosts: BaselineHostChange[];
}

/**
 * One host-level change: added (not in the baseline: its findings count as new), not-swept (in
 * the baseline, not selected now), unreachable (was reached, now not), reachable (was
 * unreachable or failed, now answered), verdict (the verdict changed otherwise).
 */
export interface BaselineHostChange {
  host: string;
  change: 'added' | 'not-swept' | 'unreachable' | 'reachable' | 'verdict';
  from?: string;
  to?: string;
}

export interface NotifyRecord {
  /** the URL as shown: userinfo and query values masked */
  url: string;
  sent: boolean;
  /** HTTP status of the last attempt */
  status?: number;
  attempts: number;
  /** findings in the payload */
  findings: number;
  /** why it was not delivered (or not sent: nothing new) */
  error?: string;
  at: string;
}

/** One selected host of a sharded run, with the key it was split by (its name, or its group). */
export interface ShardSelected {
  host: string;
  key: string;
}

export interface ShardRecord {
  /** 0-based, as JOB_COMPLETION_INDEX */
  index: number;
  count: number;
  by: 'host' | 'group';
  groupGlob?: string;
  /** sha256 over the whole selection, N and the mode (inventory/shard.ts): shards of one split share it */
  selectionHash: string;
  /** every host the inventory and --limit selected, across all shards, sorted by name */
  selection: ShardSelected[];
  /** the hosts of this shard */
  hosts: string[];
  /** what the rules ran with, so merge runs them again the same way (sweeps only) */
  analysis?: { trustedKeys: string[]; sinceSeconds?: number; catalogue: string };
  /** false in the record written when the run could not finish */
  complete: boolean;
}

export interface MergeRecord {
  count: number;
  by: 'host' | 'group';
  selectionHash: string;
  /** shard runs joined, by index */
  shards: Array<{ index: number; run: string; hosts: number; complete: boolean }>;
  /** shard indexes with no usable run: their hosts are in the record as failed */
  missing: number[];
  /** run directories given that held no readable run record */
  unreadable: string[];
}
