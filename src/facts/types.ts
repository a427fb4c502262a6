// Facts: everything the probe learned about one host, as plain data. Produced by the
// probe parsers (src/probe/), consumed by rules, pivot, planner and report. Strings that
// came from the host are decoded with core/bytes.ts decodeLossless (byte-exact).
// Every section has a "missing" default so a failed section never breaks the rest.

export interface TextFile {
  path: string;
  content: string;
  /** seconds since epoch */
  mtime: number;
  /** octal, e.g. "0644" */
  mode: string;
  owner: string;
  group: string;
  size: number;
  /** lsattr flags such as "----i---------e-------", '' when unknown */
  attrs: string;
  /** content was cut at the probe's size bound */
  truncated: boolean;
  /** for symlinks (systemd wants/), the target */
  linkTarget?: string;
  /** only the lines that matter were sent (vendor unit files: [sections], Exec*, Description, WantedBy, Alias, On*, Unit) */
  excerpt?: boolean;
  /**
   * the package that owns the file; it matches that package's checksum, so its content was not
   * sent ('' — vendor units: only their Exec* and Unit= lines)
   */
  verified?: string;
  /** sha256 of the whole file, when its content was not sent (verified) */
  sha256?: string;
}

export interface ProcessFact {
  pid: number;
  ppid: number;
  user: string;
  uid: number;
  cpuPercent: number;
  /** process start, seconds since epoch (host clock) */
  startTime: number;
  elapsedSeconds: number;
  comm: string;
  argv: string[];
  /** readlink /proc/PID/exe, '' when unreadable; ends with " (deleted)" when deleted */
  exe: string;
  exeDeleted: boolean;
  cwd: string;
  /** LD_PRELOAD from /proc/PID/environ, '' when unset */
  ldPreload: string;
  /** sha256 of /proc/PID/exe when the probe judged the exe suspicious, else '' */
  exeSha256: string;
  /** kernel threads have no exe and ppid 2 */
  kernelThread: boolean;
}

export interface SocketFact {
  proto: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  state: string; // LISTEN, ESTAB, …
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  pid: number | null;
  process: string;
}

export interface UnitFile extends TextFile {
  name: string; // bot.service
  scope: 'system' | 'user' | 'runtime';
  execStart: string[];
  enabled: boolean;
}

export interface AccountFact {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
  homeMtime: number;
  /** line number in /etc/passwd, 1-based */
  line: number;
}

export interface ShadowFact {
  name: string;
  /** '' empty password, '!'/'*' locked, otherwise 'hash' (the hash itself is never kept) */
  password: 'empty' | 'locked' | 'hash';
  lastChange: number | null; // days since epoch
}

export interface AuthorizedKey {
  /** line number, 1-based */
  line: number;
  options: string;
  type: string;
  /** SHA256:… as ssh-keygen -lf prints */
  fingerprint: string;
  comment: string;
  /** the raw line */
  raw: string;
}

export interface AuthorizedKeysFile extends TextFile {
  user: string;
  keys: AuthorizedKey[];
}

export interface RedisFact {
  pid: number | null;
  user: string;
  /** addresses it listens on, e.g. "0.0.0.0:6380" */
  listen: string[];
  configPath: string;
  bind: string[];
  protectedMode: 'yes' | 'no' | '';
  requirepassSet: boolean;
  /** the instance answered PING/INFO without a password on one of its ports */
  unauthenticated: boolean;
  version: string;
}

export interface ExecutableHash {
  path: string;
  sha256: string;
  size: number;
  pid?: number;
}

export interface RenamedBinary {
  /** /usr/bin/ps.original */
  original: string;
  /** /usr/bin/ps (now a replacement) */
  replacement: string;
  replacementSha256: string;
  replacementIsScript: boolean;
}

export interface HiddenPid {
  pid: number;
  how: 'missing-from-ps' | 'missing-from-proc-listing';
}

/** Why a file's package integrity was checked. */
export type IntegrityReason = 'process' | 'persistence' | 'tool' | 'system-dir' | 'preload';

/**
 * One file checked against the package database. state: 'verified' (owned, matches the
 * package checksum), 'modified' (owned, does not), 'unowned' (no package has it), 'unknown'
 * (owned without a checksum to compare — conffiles of an rpm host, diverted files — or no
 * package database, or a name the probe did not check). Only deviations (modified, unowned)
 * carry stat, sha256, attrs and, for scripts within the file cap, their content.
 */
export interface IntegrityFile {
  path: string;
  state: 'verified' | 'modified' | 'unowned' | 'unknown';
  /** owning package (when owned) */
  package?: string;
  reasons: IntegrityReason[];
  /** an unowned file whose md5 equals this package file's (a tool copied under another name) */
  copyOf?: string;
  sha256?: string;
  size?: number;
  mtime?: number;
  mode?: string;
  type?: 'file' | 'dir' | 'other';
  /** lsattr flags */
  attrs?: string;
  /** a deviating script's text, up to the file cap */
  content?: string;
}

/**
 * Package integrity of the files that matter (probe section `integrity`): what processes,
 * persistence entries and ld.so.preload point to, the responder's tools, and the unowned or
 * hidden entries of the system binary/library directories (`dirs`). manager 'none': no package
 * database, every state 'unknown' — never "fine". `missing`: the section did not run.
 */
export interface IntegrityFact {
  manager: 'dpkg' | 'rpm' | 'apk' | 'none';
  /** system directories whose every entry was checked */
  dirs: string[];
  files: IntegrityFile[];
  missing?: boolean;
}

export interface ProbeMeta {
  /** bytes of probe output */
  bytes: number;
  durationMs: number;
  /** sections that hit a bound */
  truncated: string[];
  /** sections that failed, with their message */
  errors: Array<{ section: string; message: string }>;
  /** tools found on the host: ss, netstat, lsattr, systemctl, … */
  tools: string[];
  /** run time of each probe section on the host, ms (optional, added by the probe) */
  sectionMs?: Record<string, number>;
  /** host CPU of each section's processes and of the package pass ("package-pass"), ms (optional, added by the probe) */
  sectionCpuMs?: Record<string, number>;
  /**
   * sections whose facts are partial: missing, killed by their watchdog or the budget, cut by
   * a bound (count, size), or whose parser failed; also "probe" (the exec timed out) and
   * "framing" (output damaged). A host with any is `incomplete`, never clean.
   */
  incomplete?: string[];
}

export interface HostFacts {
  host: string; // inventory name
  hostname: string;
  collectedAt: number; // host clock, seconds since epoch
  kernel: { release: string; tainted: number; modules: string[] };
  uptimeSeconds: number;
  load: [number, number, number];
  cpuCount: number;
  processes: ProcessFact[];
  hiddenPids: HiddenPid[];
  sockets: SocketFact[];
  /** crontab, cron.d, cron.{hourly,…}, spool, anacrontab, at jobs */
  cron: TextFile[];
  units: UnitFile[];
  /** rc.local, rc.d, init.d, inittab */
  initScripts: TextFile[];
  /** /etc/profile, profile.d, /etc/bash.bashrc, every user's rc files */
  profiles: TextFile[];
  ldPreload: TextFile | null;
  ldSoConfD: TextFile[];
  etcHosts: TextFile | null;
  accounts: AccountFact[];
  shadow: ShadowFact[];
  sudoers: TextFile[];
  authorizedKeys: AuthorizedKeysFile[];
  /** effective AuthorizedKeysFile from sshd -T / sshd_config */
  authorizedKeysFileSetting: string;
  sshdConfig: TextFile | null;
  /** lsattr flags by path for the persistence files */
  attributes: Record<string, string>;
  renamedBinaries: RenamedBinary[];
  executables: ExecutableHash[];
  redis: RedisFact[];
  /** `iptables -S` lines; rules6: `ip6tables -S` lines (optional, added by the probe) */
  iptables: { available: boolean; rules: string[]; rules6?: string[] };
  docker: { apiListening: boolean; addresses: string[] };
  /** files changed since --since, outside /proc, /sys, /run */
  recentFiles: Array<{ path: string; mtime: number }>;
  /**
   * Optional (added by the detection engineer): the catalogue's family paths that exist on the
   * host. sweep passes the globs as probe option `paths` (shell globs; a leading `~/` means
   * every home directory from /etc/passwd); absent when the probe does not support it.
   */
  knownPaths?: Array<{ path: string; type: 'file' | 'dir' | 'link' | 'other'; size: number; mtime: number; sha256?: string }>;
  /** small files in writable or hidden places that carry a miner marker (probe section markers; optional in older facts) */
  markerFiles?: TextFile[];
  /** probe sections that did not finish (set by the probe when it knows; else derived from meta.errors) */
  incomplete?: string[];
  /** package integrity (optional: facts recorded before the section existed have none) */
  integrity?: IntegrityFact;
  meta: ProbeMeta;
}
