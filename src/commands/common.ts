import path from 'node:path';
import os from 'node:os';
import { Option, type Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import type { HostResult, HostStatus } from '../core/result.js';
import type { Inventory, Target } from '../inventory/types.js';
import { loadResolveEnv } from '../transport/env.js';
import { buildTargets, connectionOf, type AnsibleDefaults } from '../transport/target.js';
import { escapeForTerminal } from '../core/terminal.js';
import { loadAnsibleSettings, type AnsibleSettings } from '../inventory/ansible-config.js';
import { DEFAULT_FORKS, type FleetOptions, type Session } from '../transport/types.js';
import { loadInventory, selectHosts } from '../inventory/index.js';
import { armRunDeadline } from '../transport/run-guard.js';
import { addDeadlineOptions, deadlineFleetOptions, readDeadlineOptions, type DeadlineCliOptions } from './deadline-options.js';
import { lastResort } from './last-resort.js';
import { emit, jsonRequested, resultStream } from './jsonl.js';
import { JSONL_VERSION, messageLine } from '../report/jsonl.js';
import { readSecret } from './prompt.js';
import { writePrivate } from '../run/private-files.js';
import type { ShardSpec } from '../inventory/shard.js';
import type { ShardRecord } from '../run/types.js';
import { readShardOption, takeShard } from './shard-options.js';

export { addOutputOption, outputOf } from './output-option.js';

// Shared CLI plumbing for every fleet command (ping, exec, sweep, run, remediate, harden,
// rollback, hosts) — one option vocabulary, defaults shown in --help:
//   addFleetOptions(cmd)         -i (repeatable) -l/--limit (incl. @file) -f/--forks --json
//                                -u/--user --private-key -F/--ssh-config --ssh-common-args
//                                --ssh-extra-args --host-key-checking --known-hosts
//                                --connect-timeout --timeout -b/--become -K/--ask-become-pass
//                                -v (repeatable) --check --list-hosts, and the deadline options
//                                (deadline-options.ts: --keepalive … --run-timeout)
//   addOutputOption(cmd, …)      -o/--output (alias --out): where the command writes
//   readFleetOptions(opts)       commander's options + ansible.cfg + ANSIBLE_* -> FleetCliOptions (throws UsageError)
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
  /** --connect-timeout; undefined: ansible timeout / ConnectTimeout / 10 s */
  connectTimeoutMs?: number;
  /** per-command timeout (remote and local); undefined: none */
  timeoutMs?: number;
  become: boolean;
  askBecomePass: boolean;
  /** -F: the OpenSSH config file */
  sshConfig?: string;
  /** -v count: 1 resolution per host, 2 + ssh arguments and ignored directives, 3 + SSH protocol debug */
  verbose: number;
  /** --check: the default plan (nothing changes); refused together with --apply */
  check: boolean;
  listHosts: boolean;
  /** Ansible's connection defaults: -u, --private-key, --ssh-*-args, ANSIBLE_*, ansible.cfg */
  ansible: AnsibleDefaults;
  /** the ansible.cfg read, if any */
  ansibleCfg?: string;
  /** keepalive, retries, host and run deadlines */
  deadlines: DeadlineCliOptions;
  /** --shard K/N (commands that add it: shard-options.ts) */
  shard?: ShardSpec;
}

/** Bad usage or configuration: the command prints the message and exits 2. */
export class UsageError extends Error {}

/** Thrown by loadTargets with --list-hosts: the command prints the selected hosts (action) and ends with 0. */
export class HostsListed extends Error {
  constructor(readonly hosts: ReadonlyArray<{ name: string; groups: string[] }>, readonly json: boolean) {
    super('hosts listed');
  }
}

function collect(value: string, prev: string[]): string[] {
  return [...prev, value];
}

function count(_: string, prev: number): number {
  return prev + 1;
}

/** Add the options every fleet command shares. `timeoutSec` is the default --timeout. */
export function addFleetOptions(cmd: Command, defaults: { timeoutSec?: number } = {}): Command {
  cmd
    .option('-i, --inventory <path>', 'inventory file or directory (YAML, INI, ansible-inventory JSON), or host1,host2,; repeatable (default: ANSIBLE_INVENTORY, then inventory in ansible.cfg)', collect, [])
    .option('-l, --limit <pattern>', "hosts to act on: Ansible pattern (a:b, a:&b, a:!b, globs, ~regex) or @FILE (one host per line) (default: all)")
    .option('-f, --forks <n>', `hosts in parallel (default: ${DEFAULT_FORKS}, or ANSIBLE_FORKS / forks in ansible.cfg)`)
    .option('--json', 'typed JSON Lines on stdout as hosts finish (schema: src/report/jsonl.schema.json)', false)
    .option('-u, --user <name>', 'remote user when the inventory sets no ansible_user (default: ANSIBLE_REMOTE_USER / remote_user, then ssh config, then the local user)')
    .option('--private-key <file>', 'identity file when the inventory sets no ansible_ssh_private_key_file (alias --key-file)')
    .addOption(new Option('--key-file <file>').hideHelp())
    .option('-F, --ssh-config <file>', "OpenSSH client config instead of ~/.ssh/config and /etc/ssh/ssh_config ('none': no file); a host's own -F in its ssh args wins")
    .option('--ssh-common-args <args>', 'ssh arguments when the inventory sets no ansible_ssh_common_args (default: ANSIBLE_SSH_COMMON_ARGS / ssh_common_args)')
    .option('--ssh-extra-args <args>', 'ssh arguments when the inventory sets no ansible_ssh_extra_args')
    .option('--host-key-checking <policy>', 'strict | accept-new (pin unknown hosts, refuse changed keys) | off; overrides every host (default: strict, or the inventory / ssh config / host_key_checking)')
    .option('--known-hosts <file>', 'known_hosts file to check and pin to, instead of the ones ssh config names (default: ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts)')
    .option('--connect-timeout <sec>', 'deadline for EACH connection phase: TCP connect, SSH handshake, authentication, channel open, close (default: ansible_timeout / timeout in ansible.cfg, then ConnectTimeout, then 10)')
    .option('--timeout <sec>', 'command timeout per host, enforced on the host too; 0: none', String(defaults.timeoutSec ?? 0))
    .option('-b, --become', 'run as root through sudo (NOPASSWD, or ansible_become_password / MINESWEEP_BECOME_PASSWORD / -K)', false)
    .option('-K, --ask-become-pass', 'ask once for the sudo password before connecting (needs a terminal)', false)
    .option('-v, --verbose', 'more detail on stderr; repeat: -v how each host is reached, -vv ssh arguments and ignored directives, -vvv SSH protocol debug', count, 0)
    .option('--check', 'check mode: show the plan, change nothing (the default; refused with --apply)', false)
    .option('--list-hosts', 'print the hosts the inventory and --limit select, then exit 0 (nothing connects)', false);
  return addDeadlineOptions(cmd);
}

function positiveNumber(name: string, v: unknown, allowZero = false): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
  return n;
}

/** Validate commander's raw options, with Ansible's configuration (ansible.cfg, ANSIBLE_*) underneath. */
export function readFleetOptions(raw: Record<string, unknown>, settings?: AnsibleSettings): FleetCliOptions {
  let a: AnsibleSettings;
  try {
    a = settings ?? loadAnsibleSettings();
  } catch (e) {
    throw new UsageError(`Ansible configuration: ${(e as Error).message}`);
  }
  for (const w of a.warnings) process.stderr.write(`warning: ${w}\n`);
  const fromCli = (raw['inventory'] as string[] | undefined) ?? [];
  const inventory = fromCli.length ? fromCli : a.inventory ?? [];
  if (inventory.length === 0) throw new UsageError('no inventory given. Fix: pass -i inventory.yml (repeatable), or set ANSIBLE_INVENTORY / inventory in ansible.cfg');
  const hkc = raw['hostKeyChecking'] as string | undefined;
  if (hkc !== undefined && !['strict', 'accept-new', 'off'].includes(hkc))
    throw new UsageError(`--host-key-checking must be strict, accept-new or off, got ${JSON.stringify(hkc)}`);
  if (raw['apply'] === true && raw['check'] === true) throw new UsageError('--check and --apply contradict each other: --check is the default plan; pass only one');
  const forks = Math.floor(positiveNumber('forks', raw['forks'] ?? a.forks ?? DEFAULT_FORKS));
  const timeoutSec = positiveNumber('timeout', raw['timeout'] ?? 0, true);
  const key = (raw['privateKey'] ?? raw['keyFile']) as string | undefined;
  const ansible: AnsibleDefaults = {
    ...(a.remoteUser ? { remoteUser: a.remoteUser } : {}),
    ...(a.privateKeyFile ? { privateKeyFile: a.privateKeyFile } : {}),
    ...(a.remotePort ? { port: a.remotePort } : {}),
    ...(a.sshArgs !== undefined ? { sshArgs: a.sshArgs } : {}),
    ...(a.sshCommonArgs !== undefined ? { sshCommonArgs: a.sshCommonArgs } : {}),
    ...(a.sshExtraArgs !== undefined ? { sshExtraArgs: a.sshExtraArgs } : {}),
    ...(a.hostKeyChecking !== undefined ? { hostKeyChecking: a.hostKeyChecking } : {}),
    ...(a.timeoutSec ? { timeoutSec: a.timeoutSec } : {}),
  };
  if (typeof raw['user'] === 'string') ansible.remoteUser = raw['user'];
  if (typeof key === 'string') ansible.privateKeyFile = path.resolve(key.replace(/^~(?=\/|$)/, os.homedir()));
  if (typeof raw['sshCommonArgs'] === 'string') ansible.sshCommonArgs = raw['sshCommonArgs'];
  if (typeof raw['sshExtraArgs'] === 'string') ansible.sshExtraArgs = raw['sshExtraArgs'];
  const o: FleetCliOptions = {
    inventory,
    forks,
    json: raw['json'] === true,
    become: raw['become'] === true,
    askBecomePass: raw['askBecomePass'] === true,
    verbose: typeof raw['verbose'] === 'number' ? raw['verbose'] : 0,
    check: raw['check'] === true,
    listHosts: raw['listHosts'] === true,
    ansible,
    ...(a.file ? { ansibleCfg: a.file } : {}),
    deadlines: readDeadlineOptions(raw, (m) => new UsageError(m)),
  };
  if (raw['connectTimeout'] !== undefined) o.connectTimeoutMs = positiveNumber('connect-timeout', raw['connectTimeout']) * 1000;
  if (typeof raw['limit'] === 'string') o.limit = raw['limit'];
  if (hkc) o.hostKeyChecking = hkc as FleetCliOptions['hostKeyChecking'] & string;
  if (typeof raw['knownHosts'] === 'string') o.knownHosts = raw['knownHosts'];
  if (typeof raw['sshConfig'] === 'string') o.sshConfig = raw['sshConfig'] === 'none' ? 'none' : path.resolve(raw['sshConfig']);
  if (timeoutSec > 0) o.timeoutMs = timeoutSec * 1000;
  const shard = readShardOption(raw, (m) => new UsageError(m));
  if (shard) o.shard = shard;
  return o;
}

/** Transport options from the CLI options (asks the sudo password once when -K). */
export async function transportOptions(o: FleetCliOptions): Promise<FleetOptions> {
  const f: FleetOptions = { forks: o.forks, ansible: o.ansible, ...deadlineFleetOptions(o.deadlines) };
  if (o.connectTimeoutMs) f.connectTimeoutMs = o.connectTimeoutMs;
  // counted from the start of the process: the inventory and the prompt are part of the run
  if (o.deadlines.runTimeoutSec) armRunDeadline(o.deadlines.runTimeoutSec * 1000, Math.round(performance.timeOrigin));
  if (o.timeoutMs) f.commandTimeoutMs = o.timeoutMs;
  if (o.hostKeyChecking) f.hostKeyChecking = o.hostKeyChecking;
  if (o.knownHosts) f.knownHostsFile = path.resolve(o.knownHosts);
  if (o.sshConfig) f.sshConfigFile = o.sshConfig;
  if (o.verbose >= 3) f.debug = (line) => process.stderr.write(`debug: ${escapeForTerminal(line)}\n`);
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
  /** with --shard: this shard's identity (the targets are its hosts only) */
  shard?: ShardRecord;
}

/** "no hosts matched" for a command: nothing selected (an empty shard of a non-empty selection is fine). */
export function noHostsMatched(o: FleetCliOptions, t: Targets, pattern = 'all'): UsageError | null {
  if (t.targets.length + t.problems.length > 0 || (t.shard?.selection.length ?? 0) > 0) return null;
  return new UsageError(`no hosts matched${pattern === 'all' ? '' : ` ${pattern}`}${o.limit ? ` --limit ${o.limit}` : ''} in ${o.inventory.join(', ')}`);
}

/** One line per host for -v: how it will be reached. */
export function reachLine(t: Target): string {
  const via = t.proxyJump?.length ? ` via ${t.proxyJump.join(' > ')}` : t.proxyCommand ? ` via ProxyCommand ${t.proxyCommand}` : '';
  return `${t.name}: ${t.user}@${t.address}:${t.port}${via}; keys ${(t.identityFiles ?? []).join(', ') || 'none'}; host keys ${t.hostKeyChecking}`;
}

/**
 * Load the inventories, select --limit, and resolve each host's connection (ssh -G or the
 * built-in resolver). With --list-hosts: print the selected hosts and throw HostsListed.
 * When no selected host can be resolved at all, that is a configuration error (exit 2).
 */
export async function loadTargets(o: FleetCliOptions, pattern = 'all', fleet?: FleetOptions): Promise<Targets> {
  const inventory = await loadInventory(o.inventory);
  const selected = selectHosts(inventory, pattern, o.limit);
  const shard = o.shard ? takeShard(selected, o.shard) : undefined;
  const hosts = shard?.hosts ?? selected;
  if (o.listHosts) throw new HostsListed(hosts, o.json);
  const env = loadResolveEnv(fleet ?? (await transportOptions({ ...o, askBecomePass: false })));
  const built = await buildTargets(hosts, env);
  const problems: HostResult<never>[] = built.problems.map((p) => ({ host: p.host, status: 'failed', reason: p.reason, startedAt: new Date().toISOString(), durationMs: 0 }));
  if (hosts.length > 0 && built.targets.length === 0 && !shard)
    throw new UsageError(`no selected host can be connected to as configured:\n${[...new Set(built.problems.map((p) => `  ${p.reason}`))].slice(0, 10).join('\n')}`);
  if (o.verbose >= 1) {
    process.stderr.write(`ssh settings from ${env.source.kind === 'openssh' ? 'ssh -G' : 'the built-in resolver'}${o.ansibleCfg ? `; Ansible config ${o.ansibleCfg}` : ''}\n`);
    for (const t of built.targets) {
      process.stderr.write(escapeForTerminal(reachLine(t)) + '\n');
      if (o.verbose >= 2) {
        const c = connectionOf(t, env.opts);
        process.stderr.write(`  ssh arguments: ${escapeForTerminal(JSON.stringify(c['sshArgs'] ?? []))}\n`);
        for (const i of (c['ignored'] as string[] | undefined) ?? []) process.stderr.write(`  ignored: ${escapeForTerminal(i)}\n`);
      }
    }
  }
  return { inventory, targets: built.targets, problems, ...(shard ? { shard: shard.record } : {}) };
}

export type HostFn<T> = (session: Session) => Promise<{ status: HostStatus; value?: T; reason?: string }>;

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

/** --list-hosts: the selected hosts, or with --json a stream of `resolve` host lines (nothing connected: status skipped). */
function printHosts(l: HostsListed, command: string): void {
  if (!l.json) {
    process.stdout.write(`  hosts (${l.hosts.length}):\n${l.hosts.map((h) => `    ${escapeForTerminal(h.name)}\n`).join('')}`);
    return;
  }
  const stream = resultStream(true, command);
  const listed: HostResult[] = l.hosts.map((h) => ({ host: h.name, status: 'skipped', startedAt: '', durationMs: 0 }));
  for (const h of l.hosts) stream.line({ type: 'host', v: JSONL_VERSION, stage: 'resolve', host: h.name, status: 'skipped', groups: h.groups });
  stream.end(listed, EXIT.ok);
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
      if (err instanceof HostsListed) {
        // commander passes the command itself last
        const cmd = args.at(-1) as { name?: () => string } | undefined;
        printHosts(err, typeof cmd?.name === 'function' ? cmd.name() : 'minesweep');
        process.exitCode = EXIT.ok;
      } else if (err instanceof UsageError || err?.name === 'InventoryError' || err?.name === 'RunDirError') {
        process.stderr.write(`minesweep: ${err.message}\n`);
        if (jsonRequested()) emit(messageLine('error', err.message, { usage: true }));
        process.exitCode = EXIT.usage;
      } else guard.fail(`internal error: ${err?.message ?? String(e)}`, e);
    } finally {
      guard.done();
    }
  };
}
