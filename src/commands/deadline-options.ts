import type { Command } from 'commander';
import { DEFAULT_CONNECT_RETRIES, type FleetOptions } from '../transport/types.js';

// The options that bound how long a host (and a run) can take, shared by every fleet command.
// Each phase of a host's life has its own deadline: --connect-timeout for TCP connect, the SSH
// handshake, authentication, a channel open and a close (each); --timeout for each command;
// keepalives find a peer that stopped answering in between. --host-timeout and --run-timeout
// are optional caps on top. Documented in the README ("Deadlines and retries").

export interface DeadlineCliOptions {
  keepaliveSec?: number;
  keepaliveCount?: number;
  connectRetries?: number;
  hostTimeoutSec?: number;
  runTimeoutSec?: number;
}

export function addDeadlineOptions(cmd: Command): Command {
  return cmd
    .option('--keepalive <sec>', 'SSH keepalive interval: a host that answers none of --keepalive-count+1 keepalives in a row is unreachable (default: ServerAliveInterval from ssh config, else 15; 0: off)')
    .option('--keepalive-count <n>', 'keepalives left unanswered before the host counts as dead (default: ServerAliveCountMax, else 3)')
    .option('--connect-retries <n>', `retries when a server refuses before the SSH banner (MaxStartups drop, reset), after a full-jitter backoff doubling from 0.5 s up to 8 s (default ${DEFAULT_CONNECT_RETRIES})`)
    .option('--host-timeout <sec>', 'the most one host may take, connect to close; then it ends failed/unreachable with the phase it was in (default 0: only the per-phase deadlines)')
    .option('--run-timeout <sec>', 'the most the whole command may take; then every pending host ends, none starts, and the run still writes its record and report (default 0: none)');
}

function count(name: string, v: unknown, fail: (m: string) => Error, allowZero: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw fail(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
  return n;
}

/** Commander's raw values -> seconds and counts; `fail` makes the usage error. */
export function readDeadlineOptions(raw: Record<string, unknown>, fail: (m: string) => Error): DeadlineCliOptions {
  const o: DeadlineCliOptions = {};
  const keepalive = count('keepalive', raw['keepalive'], fail, true);
  const kcount = count('keepalive-count', raw['keepaliveCount'], fail, false);
  const retries = count('connect-retries', raw['connectRetries'], fail, true);
  const host = count('host-timeout', raw['hostTimeout'], fail, true);
  const run = count('run-timeout', raw['runTimeout'], fail, true);
  if (keepalive !== undefined) o.keepaliveSec = keepalive;
  if (kcount !== undefined) o.keepaliveCount = Math.floor(kcount);
  if (retries !== undefined) o.connectRetries = Math.floor(retries);
  if (host) o.hostTimeoutSec = host;
  if (run) o.runTimeoutSec = run;
  return o;
}

/** The transport's share of them (the run deadline is armed by the command, see transportOptions). */
export function deadlineFleetOptions(d: DeadlineCliOptions): Partial<FleetOptions> {
  return {
    ...(d.keepaliveSec !== undefined ? { keepaliveIntervalMs: d.keepaliveSec * 1000 } : {}),
    ...(d.keepaliveCount !== undefined ? { keepaliveCountMax: d.keepaliveCount } : {}),
    ...(d.connectRetries !== undefined ? { connectRetries: d.connectRetries } : {}),
    ...(d.hostTimeoutSec ? { hostTimeoutMs: d.hostTimeoutSec * 1000 } : {}),
  };
}
