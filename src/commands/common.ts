import path from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import type { HostResult, HostStatus } from '../core/result.js';
import type { Inventory, Target } from '../inventory/types.js';
import { loadResolveEnv } from '../transport/env.js';
import { DEFAULT_FORKS, runFleet } from '../transport/fleet.js';
import { progressLine } from '../transport/progress.js';
import { buildTarget } from '../transport/target.js';
import type { FleetOptions, Session } from '../transport/types.js';
import { loadInventory, selectHosts } from '../inventory/index.js';
import { armRunDeadline } from '../transport/run-guard.js';
import { addDeadlineOptions, deadlineFleetOptions, readDeadlineOptions, type DeadlineCliOptions } from './deadline-options.js';
import { lastResort } from './last-resort.js';
import { readSecret } from './prompt.js';
import { writePrivate } from '../run/private-files.js';

// Shared CLI plumbing for every fleet command (ping, exec, sweep, run, remediate, harden):
//   addFleetOptions(cmd)         -i (repeatable) --limit (incl. @file) --forks --json
//                                --host-key-checking --known-hosts --connect-timeout --timeout
//                                --become --ask-become-pass, and the deadline options
//                                (deadline-options.ts: --keepalive … --run-timeout)
//   readFleetOptions(opts)       commander's options -> FleetCliOptions (throws UsageError)
//   loadTargets(o)               inventory -> selected Targets (+ hosts that cannot be targeted)
//   runOnFleet(o, label, fn)     loadTargets + fan-out + TTY progress line; all HostResults
//   writeFailedHosts(results)    `minesweep.failed` (or in a run dir) for --limit @FILE
//   exitCodeFor(results)         0 all ok, 3 some failed, 4 some unreachable
//   action(fn)                   wraps a command action: usage/config errors -> exit 2

export interface FleetCliOptions {
  inventory: string[];
  limit?: string;
  forks: number;
  json: boolean;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  knownHosts?: string;
  connectTimeoutMs: number;
  /** per-command timeout (remote and local); undefined: none */
  timeoutMs?: number;
  become: boolean;
  askBecomePass: boolean;
  /** keepalive, retries, host and run deadlines */
  deadlines: DeadlineCliOptions;
}

/** Bad usage or configuration: the command prints the message and exits 2. */
export class UsageError extends Error {}

function collect(value: string, prev: string[]): string[] {
  return [...prev, value];
}

/** Add the options every fleet command shares. `timeoutSec` is the default --timeout. */
export function addFleetOptions(cmd: Command, defaults: { timeoutSec?: number; forks?: number } = {}): Command {
  cmd
    .option('-i, --inventory <path>', 'inventory file or directory (YAML, INI, ansible-inventory JSON); repeatable', collect, [])
    .option('-l, --limit <pattern>', "hosts to act on: Ansible pattern (a:b, a:&b, a:!b, globs, ~regex) or @FILE (one host per line)")
    .option('-f, --forks <n>', 'hosts in parallel', String(defaults.forks ?? DEFAULT_FORKS))
    .option('--json', 'one JSON object per host per line on stdout', false)
    .option('--host-key-checking <policy>', 'strict (default) | accept-new (pin unknown hosts, refuse changed keys) | off')
    .option('--known-hosts <file>', 'known_hosts file to check and pin to, instead of ~/.ssh/known_hosts and ssh config')
    .option('--connect-timeout <sec>', 'deadline for EACH connection phase: TCP connect, SSH handshake, authentication, channel open, close', '10')
    .option('--timeout <sec>', 'command timeout per host, enforced on the host too (0: none)', String(defaults.timeoutSec ?? 0))
    .option('-b, --become', 'run as root through sudo (NOPASSWD, or ansible_become_password / MINESWEEP_BECOME_PASSWORD / -K)', false)
    .option('-K, --ask-become-pass', 'ask once for the sudo password before connecting (needs a terminal)', false);
  return addDeadlineOptions(cmd);
}

function positiveNumber(name: string, v: unknown, allowZero = false): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
  return n;
}

/** Validate commander's raw options. */
export function readFleetOptions(raw: Record<string, unknown>): FleetCliOptions {
  const inventory = (raw['inventory'] as string[] | undefined) ?? [];
  if (inventory.length === 0) throw new UsageError('no inventory given. Fix: pass -i inventory.yml (repeatable)');
  const hkc = raw['hostKeyChecking'] as string | undefined;
  if (hkc !== undefined && !['strict', 'accept-new', 'off'].includes(hkc))
    throw new UsageError(`--host-key-checking must be strict, accept-new or off, got ${JSON.stringify(hkc)}`);
  const forks = Math.floor(positiveNumber('forks', raw['forks'] ?? DEFAULT_FORKS));
  const timeoutSec = positiveNumber('timeout', raw['timeout'] ?? 0, true);
  const o: FleetCliOptions = {
    inventory,
    forks,
    json: raw['json'] === true,
    connectTimeoutMs: positiveNumber('connect-timeout', raw['connectTimeout'] ?? 10) * 1000,
    become: raw['become'] === true,
    askBecomePass: raw['askBecomePass'] === true,
    deadlines: readDeadlineOptions(raw, (m) => new UsageError(m)),
  };
  if (typeof raw['limit'] === 'string') o.limit = raw['limit'];
  if (hkc) o.hostKeyChecking = hkc as FleetCliOptions['hostKeyChecking'] & string;
  if (typeof raw['knownHosts'] === 'string') o.knownHosts = raw['knownHosts'];
  if (timeoutSec > 0) o.timeoutMs = timeoutSec * 1000;
  return o;
}

/** Transport options from the CLI options (asks the sudo password once when -K). */
export async function transportOptions(o: FleetCliOptions): Promise<FleetOptions> {
  const f: FleetOptions = { forks: o.forks, connectTimeoutMs: o.connectTimeoutMs, ...deadlineFleetOptions(o.deadlines) };
  // counted from the start of the process: the inventory and the prompt are part of the run
  if (o.deadlines.runTimeoutSec) armRunDeadline(o.deadlines.runTimeoutSec * 1000, Math.round(performance.timeOrigin));
  if (o.timeoutMs) f.commandTimeoutMs = o.timeoutMs;
  if (o.hostKeyChecking) f.hostKeyChecking = o.hostKeyChecking;
  if (o.knownHosts) f.knownHostsFile = path.resolve(o.knownHosts);
  const envPass = process.env['MINESWEEP_BECOME_PASSWORD'];
  if (o.askBecomePass) {
    try {
      f.becomePassword = await readSecret('BECOME (sudo) password: ');
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  else if (envPass !== undefined) f.becomePassword = envPass;
  const keyPass = process.env['MINESWEEP_KEY_PASSPHRASE'];
  if (keyPass !== undefined) f.keyPassphrase = keyPass;
  return f;
}

export interface Targets {
  inventory: Inventory;
  targets: Target[];
  /** selected hosts whose connection variables are unusable: already 'failed' */
  problems: HostResult<never>[];
}

/** Load the inventories, select --limit, and resolve each host with ~/.ssh/config. */
export async function loadTargets(o: FleetCliOptions, pattern = 'all', fleet?: FleetOptions): Promise<Targets> {
  const inventory = await loadInventory(o.inventory);
  const hosts = selectHosts(inventory, pattern, o.limit);
  const env = loadResolveEnv(fleet ?? (await transportOptions({ ...o, askBecomePass: false })));
  const targets: Target[] = [];
  const problems: HostResult<never>[] = [];
  for (const h of hosts) {
    try {
      targets.push(buildTarget(h, env));
    } catch (e) {
      problems.push({ host: h.name, status: 'failed', reason: (e as Error).message, startedAt: new Date().toISOString(), durationMs: 0 });
    }
  }
  return { inventory, targets, problems };
}

export type HostFn<T> = (session: Session) => Promise<{ status: HostStatus; value?: T; reason?: string }>;

/**
 * The whole fan-out for a command: targets, transport, progress line on a TTY, results in
 * target order (hosts that could not be targeted included as 'failed').
 */
export async function runOnFleet<T>(
  o: FleetCliOptions,
  label: string,
  fn: HostFn<T>,
  pattern = 'all',
): Promise<{ targets: Targets; results: HostResult<T>[] }> {
  const fleet = await transportOptions(o);
  const t = await loadTargets(o, pattern, fleet);
  if (t.targets.length + t.problems.length === 0)
    throw new UsageError(`no hosts matched ${pattern}${o.limit ? ` --limit ${o.limit}` : ''} in ${o.inventory.join(', ')}`);
  const progress = progressLine(label);
  const total = t.targets.length + t.problems.length;
  fleet.onProgress = (done, _total, failed) => progress.update(done + t.problems.length, total, failed + t.problems.length);
  fleet.warn = (m) => {
    progress.clear();
    process.stderr.write(m + '\n');
  };
  const results = await runFleet<T>(t.targets, fn, fleet);
  progress.clear();
  return { targets: t, results: [...t.problems, ...results] };
}

/** Hosts that failed or were unreachable, one per line, for `--limit @FILE`. Returns the path or undefined. */
export function writeFailedHosts(results: HostResult[], dir = process.cwd()): string | undefined {
  const bad = results.filter((r) => r.status === 'failed' || r.status === 'unreachable').map((r) => r.host);
  if (bad.length === 0) return undefined;
  const file = path.join(dir, 'minesweep.failed');
  writePrivate(file, bad.join('\n') + '\n');
  return file;
}

/** 4 when any host was unreachable, else 3 when any failed, else 0. */
export function exitCodeFor(results: HostResult[]): number {
  if (results.some((r) => r.status === 'unreachable')) return EXIT.unreachable;
  if (results.some((r) => r.status === 'failed')) return EXIT.failed;
  return EXIT.ok;
}

/** Print one JSON object per line (for --json). */
export function printJsonLine(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/**
 * Wrap a command action: sets the exit code; usage/config errors print one line and exit 2;
 * anything else ends as a reported failure (last-resort.ts), never a stack trace.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const guard = lastResort();
    try {
      process.exitCode = await fn(...args);
    } catch (e) {
      const err = e as Error;
      if (err instanceof UsageError || err?.name === 'InventoryError' || err?.name === 'RunDirError') {
        process.stderr.write(`minesweep: ${err.message}\n`);
        process.exitCode = EXIT.usage;
      } else guard.fail(`internal error: ${err?.message ?? String(e)}`, e);
    } finally {
      guard.done();
    }
  };
}
