import type { InventoryHost, Target } from '../inventory/types.js';
import { connectionVars } from '../inventory/connection-vars.js';
import type { FleetOptions } from './types.js';
import { parseJumpSpec, resolveSshConfig, type SshConfigBlock, type TokenContext } from './ssh-config.js';
import { defaultIdentityFiles } from './keys.js';

// Inventory host + ~/.ssh/config + command-line overrides -> Target (the contract) and the
// Endpoint: everything needed to open one SSH connection.

export interface Endpoint {
  /** inventory name or jump spec, for messages */
  label: string;
  /** the name as given (looked up in ssh config and in known_hosts) */
  alias: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  password?: string;
  /** known_hosts files checked; accept-new pins to the first */
  knownHostsFiles: string[];
  hostKeyChecking: 'strict' | 'accept-new' | 'off';
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** jump hosts, outermost first */
  jumps: Endpoint[];
}

export interface ResolveEnv {
  sshConfig: SshConfigBlock[];
  ctx: TokenContext;
  opts: FleetOptions;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

// Each Target built here remembers its full endpoint (identity list, known_hosts files…),
// which the Target contract has no room for; a Target made elsewhere is resolved again.
const endpoints = new WeakMap<Target, Endpoint>();

function expandHome(p: string, ctx: TokenContext): string {
  return p === '~' || p.startsWith('~/') ? ctx.home + p.slice(1) : p;
}

function knownHostsFor(user: string[] | undefined, global: string[] | undefined, env: ResolveEnv): string[] {
  if (env.opts.knownHostsFile) return [env.opts.knownHostsFile];
  const home = env.ctx.home;
  return [
    ...(user ?? [`${home}/.ssh/known_hosts`, `${home}/.ssh/known_hosts2`]).map((f) => expandHome(f, env.ctx)),
    ...(global ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
  ];
}

/**
 * Inventory host -> Target, in Ansible's order: inventory variables (connectionVars) >
 * ~/.ssh/config (looked up by ansible_host or the inventory name) > defaults (port 22, the
 * local user, strict host keys). Throws InventoryError/Error with the host named.
 */
export function buildTarget(host: InventoryHost, env: ResolveEnv): Target {
  const cv = connectionVars(host);
  if (cv.connection && !['ssh', 'smart', 'paramiko'].includes(cv.connection))
    throw new Error(`host ${host.name}: ansible_connection=${cv.connection} is not supported (minesweep only connects over SSH). Fix: remove the host with --limit '!${host.name}' or set ansible_connection=ssh`);
  if (cv.proxyCommand)
    throw new Error(`host ${host.name}: ProxyCommand ${JSON.stringify(cv.proxyCommand)} is not supported. Fix: use ProxyJump (-o ProxyJump=user@bastion) instead`);
  const cfg = resolveSshConfig(env.sshConfig, cv.address, env.ctx);
  const user = cv.user ?? cfg.user ?? env.ctx.localUser;
  const port = cv.port ?? cfg.port ?? 22;
  const address = cfg.hostName ?? cv.address;
  const identityFiles = cv.privateKeyFile
    ? [expandHome(cv.privateKeyFile, env.ctx)]
    : cfg.identityFiles.length > 0 ? cfg.identityFiles : defaultIdentityFiles(env.ctx.home);
  const proxyJump = cv.proxyJump ?? (cfg.proxyJump && cfg.proxyJump.length > 0 ? cfg.proxyJump : undefined);
  const hostKeyChecking = env.opts.hostKeyChecking ?? cv.hostKeyChecking ?? cfg.strictHostKeyChecking ?? 'strict';
  const target: Target = {
    name: host.name,
    address,
    port,
    user,
    groups: host.groups,
    vars: host.vars,
    ...(cv.privateKeyFile ? { privateKeyFile: identityFiles[0] } : {}),
    ...(cv.password !== undefined ? { password: cv.password } : {}),
    ...(proxyJump ? { proxyJump } : {}),
    become: cv.become,
    becomeUser: cv.becomeUser,
    ...(cv.becomePassword !== undefined ? { becomePassword: cv.becomePassword } : {}),
    hostKeyChecking,
  };
  const base = {
    hostKeyChecking,
    connectTimeoutMs: env.opts.connectTimeoutMs ?? (cfg.connectTimeoutSec ? cfg.connectTimeoutSec * 1000 : DEFAULT_CONNECT_TIMEOUT_MS),
    keepaliveIntervalMs: env.opts.keepaliveIntervalMs ?? (cfg.serverAliveIntervalSec ? cfg.serverAliveIntervalSec * 1000 : 15_000),
    keepaliveCountMax: cfg.serverAliveCountMax ?? 3,
  };
  endpoints.set(target, {
    label: host.name,
    alias: cv.address,
    host: address,
    port,
    user,
    identityFiles,
    ...(cv.password !== undefined ? { password: cv.password } : {}),
    knownHostsFiles: knownHostsFor(cv.knownHostsFiles ?? cfg.userKnownHostsFiles, cfg.globalKnownHostsFiles, env),
    ...base,
    jumps: (proxyJump ?? []).map((spec) => resolveJump(spec, user, identityFiles, cv.knownHostsFiles, base, env)),
  });
  return target;
}

/** The endpoint of a Target: the one remembered by buildTarget, else resolved from the Target alone. */
export function endpointFor(t: Target, env: ResolveEnv): Endpoint {
  const known = endpoints.get(t);
  if (known) return withOverrides(known, env.opts);
  const cfg = resolveSshConfig(env.sshConfig, t.address, env.ctx);
  const identityFiles = t.privateKeyFile
    ? [expandHome(t.privateKeyFile, env.ctx)]
    : cfg.identityFiles.length > 0 ? cfg.identityFiles : defaultIdentityFiles(env.ctx.home);
  const base = {
    hostKeyChecking: env.opts.hostKeyChecking ?? t.hostKeyChecking,
    connectTimeoutMs: env.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveIntervalMs: env.opts.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: 3,
  };
  return {
    label: t.name,
    alias: t.address,
    host: t.address,
    port: t.port,
    user: t.user,
    identityFiles,
    ...(t.password !== undefined ? { password: t.password } : {}),
    knownHostsFiles: knownHostsFor(cfg.userKnownHostsFiles, cfg.globalKnownHostsFiles, env),
    ...base,
    jumps: (t.proxyJump ?? []).map((spec) => resolveJump(spec, t.user, identityFiles, undefined, base, env)),
  };
}

/** The run's command-line overrides win over what was resolved when the Target was built. */
function withOverrides(e: Endpoint, o: FleetOptions): Endpoint {
  return {
    ...e,
    ...(o.hostKeyChecking ? { hostKeyChecking: o.hostKeyChecking } : {}),
    ...(o.knownHostsFile ? { knownHostsFiles: [o.knownHostsFile] } : {}),
    ...(o.connectTimeoutMs ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
    ...(o.keepaliveIntervalMs ? { keepaliveIntervalMs: o.keepaliveIntervalMs } : {}),
    jumps: e.jumps.map((j) => withOverrides(j, o)),
  };
}

/**
 * A jump hop `[user@]host[:port]`: its own ssh config applies; what that does not set comes
 * from the host behind it (user, keys, and known_hosts files given in the inventory's ssh
 * args), the usual bastion set-up where one key and one known_hosts serve the whole fleet.
 */
function resolveJump(
  spec: string,
  fallbackUser: string,
  fallbackKeys: string[],
  fallbackKnownHosts: string[] | undefined,
  base: Pick<Endpoint, 'hostKeyChecking' | 'connectTimeoutMs' | 'keepaliveIntervalMs' | 'keepaliveCountMax'>,
  env: ResolveEnv,
): Endpoint {
  const j = parseJumpSpec(spec);
  const cfg = resolveSshConfig(env.sshConfig, j.host, env.ctx);
  const keys = [...new Set([...cfg.identityFiles, ...fallbackKeys])];
  return {
    label: `jump host ${spec}`,
    alias: j.host,
    host: cfg.hostName ?? j.host,
    port: j.port ?? cfg.port ?? 22,
    user: j.user ?? cfg.user ?? fallbackUser,
    identityFiles: keys,
    knownHostsFiles: knownHostsFor(cfg.userKnownHostsFiles ?? fallbackKnownHosts, cfg.globalKnownHostsFiles, env),
    ...base,
    hostKeyChecking: env.opts.hostKeyChecking ?? cfg.strictHostKeyChecking ?? base.hostKeyChecking,
    jumps: [],
  };
}

/** A stable key for sharing one connection per jump host. */
export function endpointKey(e: Endpoint): string {
  return `${e.user}@${e.host}:${e.port}`;
}
