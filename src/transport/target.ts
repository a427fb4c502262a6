import type { InventoryHost, Target } from '../inventory/types.js';
import { connectionVars, type ConnectionVars } from '../inventory/connection-vars.js';
import { shellSplit } from '../inventory/ssh-args.js';
import { quote } from '../core/quote.js';
import type { FleetOptions } from './types.js';
import { parseJumpSpec, type LocalSide, type SshSettings } from './ssh-config.js';
import { interpret, type Algorithms, type Resolved } from './resolved.js';
import { parseSshWords } from './ssh-words.js';
import { expandTokens, TokenError } from './tokens.js';

// Inventory host -> ssh command-line words (in Ansible's order) -> effective settings (ssh -G,
// or the built-in resolver) -> Endpoint (everything one connection needs, jump hops included)
// and the Target (the contract with the rest of minesweep).

export interface Endpoint {
  /** inventory name or jump spec, for messages */
  label: string;
  /** the destination as given (%n) */
  alias: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  /** agent socket path; undefined: no agent */
  agent?: string;
  password?: string;
  /** known_hosts files checked; accept-new pins to the first */
  knownHostsFiles: string[];
  /** the name looked up in known_hosts instead of host[:port] */
  hostKeyAlias?: string;
  hashKnownHosts: boolean;
  hostKeyChecking: 'strict' | 'accept-new' | 'off';
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** the command whose stdin/stdout is the connection (tokens expanded, values quoted) */
  proxyCommand?: string;
  algorithms: Algorithms;
  addressFamily?: 'inet' | 'inet6';
  bindAddress?: string;
  passwordAuthentication: boolean;
  pubkeyAuthentication: boolean;
  preferredAuthentications?: string[];
  /** jump hosts, outermost first */
  jumps: Endpoint[];
}

/** Where effective settings come from: `ssh -G`, or the built-in resolver. */
export interface SettingsSource {
  kind: 'openssh' | 'builtin';
  settings(words: string[], host: string): Promise<SshSettings>;
  baseline(): Promise<SshSettings>;
}

/** Ansible's connection defaults (ansible.cfg, ANSIBLE_*, -u, --private-key, --ssh-*-args): inventory variables win over them. */
export interface AnsibleDefaults {
  remoteUser?: string;
  privateKeyFile?: string;
  port?: number;
  sshArgs?: string;
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  hostKeyChecking?: boolean;
  timeoutSec?: number;
}

export interface ResolveEnv {
  local: LocalSide;
  source: SettingsSource;
  opts: FleetOptions;
}

/** A host that cannot be connected to as configured: the reason names the directive or variable. */
export class ResolveError extends Error {}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;
const MAX_HOPS = 16;

const remembered = new WeakMap<Target, { endpoint: Endpoint; resolved: Resolved; words: string[] }>();

function words(text: string | undefined, what: string): string[] {
  if (!text) return [];
  try {
    return shellSplit(text);
  } catch (e) {
    throw new ResolveError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * The ssh command line Ansible would build for this host (ssh_connection.py): ssh_args,
 * StrictHostKeyChecking=no when host key checking is off, Port, IdentityFile, User, then the
 * common and the extra args. Options given first win, as in ssh.
 */
export function sshWordsFor(cv: ConnectionVars, opts: FleetOptions): string[] {
  const d = opts.ansible ?? {};
  const w: string[] = [];
  if (opts.sshConfigFile) w.push('-F', opts.sshConfigFile);
  w.push(...(cv.sshArgs.args ?? words(d.sshArgs, 'ssh_args')));
  if (cv.hostKeyChecking === 'off' || (cv.hostKeyChecking === undefined && d.hostKeyChecking === false)) w.push('-o', 'StrictHostKeyChecking=no');
  const port = cv.port ?? d.port;
  if (port !== undefined) w.push('-o', `Port=${port}`);
  const key = cv.privateKeyFile ?? d.privateKeyFile;
  if (key !== undefined) w.push('-o', `IdentityFile="${key.replace(/["\\]/g, '\\$&')}"`);
  const user = cv.user ?? d.remoteUser;
  if (user !== undefined) w.push('-o', `User="${user.replace(/["\\]/g, '\\$&')}"`);
  w.push(...(cv.sshArgs.common ?? words(d.sshCommonArgs, 'ssh_common_args')));
  w.push(...(cv.sshArgs.extra ?? words(d.sshExtraArgs, 'ssh_extra_args')));
  return w;
}

/** Resolve one destination (and, recursively, its ProxyJump hops) into an Endpoint. */
async function resolveEndpoint(w: string[], host: string, label: string, env: ResolveEnv, depth: number): Promise<{ endpoint: Endpoint; resolved: Resolved }> {
  const parsed = parseSshWords(w);
  if (parsed.refused.length) throw new ResolveError(`${label}: ssh arguments refused: ${parsed.refused.join('; ')}`);
  const [settings, baseline] = await Promise.all([env.source.settings(w, host), env.source.baseline()]);
  const r = interpret(settings, baseline, env.local);
  if (r.refused.length) throw new ResolveError(`${label} (${host}): ${r.refused.join('; ')}`);
  const o = env.opts;
  const endpoint: Endpoint = {
    label,
    alias: r.original,
    host: r.address,
    port: r.port,
    user: r.user,
    identityFiles: r.pubkeyAuthentication ? r.identityFiles : [],
    identitiesOnly: r.identitiesOnly,
    ...(r.pubkeyAuthentication && r.identityAgent !== 'none' ? agentOf(r.identityAgent, env) : {}),
    knownHostsFiles: [...r.userKnownHostsFiles, ...r.globalKnownHostsFiles],
    ...(r.hostKeyAlias ? { hostKeyAlias: r.hostKeyAlias } : {}),
    hashKnownHosts: r.hashKnownHosts,
    hostKeyChecking: r.hostKeyChecking,
    connectTimeoutMs: o.connectTimeoutMs ?? (r.connectTimeoutSec ? r.connectTimeoutSec * 1000 : DEFAULT_CONNECT_TIMEOUT_MS),
    keepaliveIntervalMs: o.keepaliveIntervalMs ?? (r.serverAliveIntervalSec ? r.serverAliveIntervalSec * 1000 : DEFAULT_KEEPALIVE_MS),
    keepaliveCountMax: r.serverAliveCountMax ?? 3,
    algorithms: r.algorithms,
    ...(r.addressFamily ? { addressFamily: r.addressFamily } : {}),
    ...(r.bindAddress ? { bindAddress: r.bindAddress } : {}),
    passwordAuthentication: r.passwordAuthentication,
    pubkeyAuthentication: r.pubkeyAuthentication,
    ...(r.preferredAuthentications ? { preferredAuthentications: r.preferredAuthentications } : {}),
    jumps: [],
  };
  if (r.proxyJump) {
    if (depth >= MAX_HOPS) throw new ResolveError(`${label}: ProxyJump chain longer than ${MAX_HOPS} hops (a loop in ssh config?)`);
    let hops: string[];
    try {
      hops = r.proxyJump.map((h) => expandTokens(h, 'proxyjump', r.tokens));
    } catch (e) {
      throw new ResolveError(`${label}: ${(e as TokenError).message}`);
    }
    const last = hops[hops.length - 1]!;
    const spec = parseJumpSpec(last);
    // what ssh runs for ProxyJump: ssh [-l user] [-p port] [-J the earlier hops] [-F file] -W … hop
    const hopWords = [
      ...(parsed.configFile ? ['-F', parsed.configFile] : []),
      ...(spec.user ? ['-l', spec.user] : []),
      ...(spec.port ? ['-p', String(spec.port)] : []),
      ...(hops.length > 1 ? ['-J', hops.slice(0, -1).join(',')] : []),
    ];
    const hop = await resolveEndpoint(hopWords, spec.host, `jump host ${last}`, env, depth + 1);
    endpoint.jumps = [...hop.endpoint.jumps, { ...hop.endpoint, jumps: [] }];
  } else if (r.proxyCommand) {
    try {
      endpoint.proxyCommand = expandTokens(r.proxyCommand, 'proxycommand', r.tokens, (v) => quote(v));
    } catch (e) {
      throw new ResolveError(`${label}: ${(e as TokenError).message}`);
    }
  }
  return { endpoint, resolved: r };
}

function agentOf(identityAgent: string, env: ResolveEnv): { agent?: string } {
  const sock = identityAgent === 'SSH_AUTH_SOCK' ? env.local.env['SSH_AUTH_SOCK'] : identityAgent.startsWith('$') ? env.local.env[identityAgent.slice(1)] : identityAgent;
  return sock ? { agent: sock } : {};
}

/** The run's command-line overrides win over what was resolved. */
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

/** One inventory host -> Target. Throws ResolveError / InventoryError naming the host. */
export async function buildTarget(host: InventoryHost, env: ResolveEnv): Promise<Target> {
  const cv = connectionVars(host);
  if (cv.connection && !['ssh', 'smart', 'paramiko'].includes(cv.connection))
    throw new ResolveError(`host ${host.name}: ansible_connection=${cv.connection} is not supported (minesweep only connects over SSH). Fix: remove the host with --limit '!${host.name}' or set ansible_connection=ssh`);
  const w = sshWordsFor(cv, env.opts);
  let res: { endpoint: Endpoint; resolved: Resolved };
  try {
    res = await resolveEndpoint(w, cv.address, `host ${host.name}`, env, 0);
  } catch (e) {
    if (e instanceof ResolveError) throw e;
    throw new ResolveError(`host ${host.name}: ${(e as Error).message}`);
  }
  const timeoutSec = cv.timeoutSec ?? env.opts.ansible?.timeoutSec;
  const endpoint = withOverrides({
    ...res.endpoint,
    ...(cv.password !== undefined && res.resolved.passwordAuthentication ? { password: cv.password } : {}),
    ...(!env.opts.connectTimeoutMs && timeoutSec ? { connectTimeoutMs: timeoutSec * 1000 } : {}),
  }, env.opts);
  const target: Target = {
    name: host.name,
    address: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    groups: host.groups,
    vars: host.vars,
    ...(cv.privateKeyFile ? { privateKeyFile: res.resolved.identityFiles[0] ?? cv.privateKeyFile } : {}),
    identityFiles: endpoint.identityFiles,
    ...(cv.password !== undefined ? { password: cv.password } : {}),
    ...(endpoint.jumps.length ? { proxyJump: endpoint.jumps.map((j) => `${j.user}@${j.host}:${j.port}`) } : {}),
    ...(endpoint.proxyCommand ? { proxyCommand: endpoint.proxyCommand } : {}),
    become: cv.become,
    becomeUser: cv.becomeUser,
    ...(cv.becomePassword !== undefined ? { becomePassword: cv.becomePassword } : {}),
    hostKeyChecking: endpoint.hostKeyChecking,
  };
  remembered.set(target, { endpoint, resolved: res.resolved, words: w });
  return target;
}

/** Every host -> Target; hosts that cannot be targeted come back with their reason. */
export async function buildTargets(hosts: InventoryHost[], env: ResolveEnv): Promise<{ targets: Target[]; problems: Array<{ host: string; reason: string }> }> {
  const settled = await Promise.allSettled(hosts.map((h) => buildTarget(h, env)));
  const targets: Target[] = [];
  const problems: Array<{ host: string; reason: string }> = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') targets.push(s.value);
    else problems.push({ host: hosts[i]!.name, reason: (s.reason as Error)?.message ?? String(s.reason) });
  });
  return { targets, problems };
}

/** The endpoint of a Target: the one resolved by buildTarget, else one made from the Target's own fields. */
export function endpointFor(t: Target, env: { opts: FleetOptions; local?: LocalSide }): Endpoint {
  const known = remembered.get(t);
  if (known) return withOverrides(known.endpoint, env.opts);
  const home = env.local?.home ?? process.env['HOME'] ?? '/root';
  return withOverrides({
    label: t.name,
    alias: t.address,
    host: t.address,
    port: t.port,
    user: t.user,
    identityFiles: t.identityFiles ?? (t.privateKeyFile ? [t.privateKeyFile] : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => `${home}/.ssh/${n}`)),
    identitiesOnly: false,
    ...(process.env['SSH_AUTH_SOCK'] ? { agent: process.env['SSH_AUTH_SOCK'] } : {}),
    ...(t.password !== undefined ? { password: t.password } : {}),
    knownHostsFiles: [`${home}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts'],
    hashKnownHosts: false,
    hostKeyChecking: t.hostKeyChecking,
    connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveIntervalMs: DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: 3,
    algorithms: {},
    passwordAuthentication: true,
    pubkeyAuthentication: true,
    ...(t.proxyCommand ? { proxyCommand: t.proxyCommand } : {}),
    jumps: [],
  }, env.opts);
}

/** What `minesweep hosts` shows for a Target built here: the resolved connection, before anything connects. */
export function connectionOf(t: Target, opts: FleetOptions): Record<string, unknown> {
  const known = remembered.get(t);
  const ep = endpointFor(t, { opts });
  const hop = (e: Endpoint) => ({
    destination: e.alias, address: e.host, port: e.port, user: e.user, identityFiles: e.identityFiles, knownHostsFiles: e.knownHostsFiles,
    hostKeyAlias: e.hostKeyAlias ?? null, hostKeyChecking: e.hostKeyChecking, ...(e.proxyCommand ? { proxyCommand: e.proxyCommand } : {}),
  });
  return {
    host: t.name,
    ...hop(ep),
    jumps: ep.jumps.map(hop),
    proxyCommand: ep.proxyCommand ?? null,
    identityAgent: ep.agent ?? null,
    identitiesOnly: ep.identitiesOnly,
    connectTimeoutSec: ep.connectTimeoutMs / 1000,
    keepaliveIntervalSec: ep.keepaliveIntervalMs / 1000,
    ...(Object.keys(ep.algorithms).length ? { algorithms: ep.algorithms } : {}),
    ...(known ? { sshArgs: known.words, ignored: known.resolved.ignored } : {}),
  };
}

/** A stable key for sharing one connection per jump host. */
export function endpointKey(e: Endpoint): string {
  return `${e.user}@${e.host}:${e.port}`;
}
