import type { HostResult, HostStatus } from '../core/result.js';
import type { Target } from '../inventory/types.js';
import type { AnsibleDefaults } from './target.js';

/** hosts in parallel when neither --forks nor Ansible's settings say */
export const DEFAULT_FORKS = 50;
/** connect retries after a refusal before the SSH banner, when --connect-retries does not say */
export const DEFAULT_CONNECT_RETRIES = 10;

export interface ExecOptions {
  /** sent on stdin then closed (the probe script goes here) */
  stdin?: string | Buffer;
  /** enforced remotely (timeout(1) or a sh watchdog) and locally */
  timeoutMs?: number;
  /** run as root through sudo (password, if any, fed on stdin, never in argv) */
  become?: boolean;
}

export interface ExecResult {
  /** null when the remote sent no exit status: counts as failure */
  code: number | null;
  signal?: string;
  stdout: Buffer;
  stderr: Buffer;
  durationMs: number;
  timedOut: boolean;
  /** the connection died (or was cut) before the command's end was seen: why, and in which phase */
  lost?: string;
}

/** One live SSH connection to one host. */
export interface Session {
  readonly target: Target;
  /** the address and port this host sees the controller connect from, and its own address and port (SSH_CONNECTION) */
  controller(): Promise<{ address: string; port: number; sshPort: number; hostAddress?: string }>;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** write a file from the controller (through exec + stdin), byte-exact */
  put(path: string, content: Buffer, mode?: string, become?: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface FleetOptions {
  forks: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  onProgress?: (done: number, total: number, failed: number) => void;
  /** each host's result as it ends, before runFleet returns (streamed output) */
  onHostEnd?: (result: HostResult<unknown>) => void;
  /** overrides every host's ansible_host_key_checking / StrictHostKeyChecking */
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  /** the one known_hosts file to check and pin to (instead of ssh config / ~/.ssh/known_hosts) */
  knownHostsFile?: string;
  /** -F: the OpenSSH client config (instead of ~/.ssh/config and /etc/ssh/ssh_config; 'none': none); a host's own -F wins */
  sshConfigFile?: string;
  /** Ansible's connection defaults (ansible.cfg, ANSIBLE_*, -u, --private-key, --ssh-*-args) */
  ansible?: AnsibleDefaults;
  /** sudo password for hosts that have none in the inventory (env or one-time prompt) */
  becomePassword?: string;
  /** passphrase for encrypted private keys (env MINESWEEP_KEY_PASSPHRASE) */
  keyPassphrase?: string;
  /** SSH keepalive interval, 0: off (default: ServerAliveInterval from ssh config, else 15 s) */
  keepaliveIntervalMs?: number;
  /** keepalives without an answer that make the peer dead (default: ServerAliveCountMax, else 3) */
  keepaliveCountMax?: number;
  /** retries after a transient refusal (MaxStartups drop, reset before the banner), with jittered backoff (default 10) */
  connectRetries?: number;
  /** the most one host may take, connect to close (0/undefined: no cap beyond each phase's deadline) */
  hostTimeoutMs?: number;
  /** SSH protocol debug lines (-vvv) */
  debug?: (line: string) => void;
  /** one-line notices (host key checking off, keys pinned); default: stderr */
  warn?: (message: string) => void;
}

/** Runs fn on every target with at most `forks` at once; never throws per host. */
export type RunFleet = <T>(
  targets: Target[],
  fn: (session: Session) => Promise<{ status: HostStatus; value?: T; reason?: string }>,
  opts: FleetOptions,
) => Promise<HostResult<T>[]>;
