// Findings: what the rules conclude from facts. A finding carries the evidence a human
// reads and the artifacts the remediation planner acts on.

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export type IocType = 'ip' | 'domain' | 'url' | 'sha256' | 'path' | 'process-name' | 'port' | 'key-fingerprint' | 'user' | 'wallet';

export interface Ioc {
  type: IocType;
  value: string;
  family?: string;
  /** where it was first seen: host name, or 'catalogue' / an --ioc file */
  source?: string;
}

export interface Evidence {
  kind: 'process' | 'file' | 'line' | 'socket' | 'key' | 'account' | 'unit' | 'hash' | 'config' | 'firewall';
  /** what a human reads: the exact line, argv, rule… (host text, escape when showing) */
  text: string;
  path?: string;
  lineNumber?: number;
  pid?: number;
  sha256?: string;
  /** host clock, seconds since epoch: process start, file mtime */
  time?: number;
}

/** What remediation acts on. One artifact per thing to remove, kill, unlock or restore. */
export type Artifact =
  | { type: 'process'; pid: number; comm: string; exe: string; startTime: number; role: 'miner' | 'watchdog' | 'other' }
  | { type: 'cron-line'; path: string; lineNumber: number; line: string }
  | { type: 'file'; path: string; reason: string }
  | { type: 'unit'; path: string; name: string; scope: 'system' | 'user' | 'runtime' }
  | { type: 'preload'; path: string; entry: string }
  | { type: 'profile-line'; path: string; lineNumber: number; line: string }
  | { type: 'init-script'; path: string }
  | { type: 'authorized-key'; path: string; lineNumber: number; fingerprint: string; line: string }
  | { type: 'account'; name: string; uid: number }
  | { type: 'renamed-binary'; original: string; replacement: string }
  | { type: 'immutable'; path: string; attrs: string }
  | { type: 'firewall-rule'; rule: string }
  | { type: 'redis'; configPath: string; listen: string[]; pid: number | null }
  | { type: 'hosts-entry'; path: string; lineNumber: number; line: string }
  | { type: 'egress'; address: string; port?: number };

export interface Finding {
  /** stable id, e.g. "cron.download-pipe-shell" */
  rule: string;
  severity: Severity;
  title: string;
  host: string;
  family?: string;
  evidence: Evidence[];
  iocs: Ioc[];
  artifacts: Artifact[];
  /** what to do about it, in one sentence */
  remedy: string;
  /** the family was given by attribution (another finding about the same thing), not by an indicator of its own */
  familyInherited?: boolean;
  /** the judged reasons behind a line finding: download-pipe-shell, exec-temp, miner-marker, decoded … */
  reasons?: string[];
  /** set by the fleet pivot: the IOC that matched, the first hosts it came from (PIVOT_HOSTS_KEPT at most, not this one) and how many there are in all */
  pivot?: { ioc: Ioc; seenOn: string[]; seenOnCount?: number };
}
