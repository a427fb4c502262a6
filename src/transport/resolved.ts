import { createRequire } from 'node:module';
import { handlingOf } from './directives.js';
import type { LocalSide, SshSettings } from './ssh-config.js';
import { expandPath, TokenError, type TokenValues } from './tokens.js';

// One destination's effective settings (from ssh -G or the built-in resolver) turned into
// what minesweep connects with, with the same rules for both sources. Every directive set
// for the host (different from the baseline) is checked against the directive table:
// honoured, ignored for a stated reason, or refused (the host then fails, the directive named).

export interface Algorithms {
  kex?: string[];
  serverHostKey?: string[];
  cipher?: string[];
  hmac?: string[];
  compress?: string[];
}

export interface Resolved {
  /** the destination as given (%n) */
  original: string;
  address: string;
  port: number;
  user: string;
  /** identity files, expanded, in the order tried (missing ones are skipped at connect time) */
  identityFiles: string[];
  certificateFiles: string[];
  identitiesOnly: boolean;
  /** agent socket: a path, 'SSH_AUTH_SOCK' (the environment's), or 'none' */
  identityAgent: string;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  hostKeyAlias?: string;
  /** StrictHostKeyChecking as minesweep applies it (ask = strict: minesweep never prompts) */
  hostKeyChecking: 'strict' | 'accept-new' | 'off';
  hashKnownHosts: boolean;
  /** ProxyJump hops as written (tokens expanded), outermost first; absent = none */
  proxyJump?: string[];
  /** ProxyCommand as written, tokens not yet expanded; absent = none */
  proxyCommand?: string;
  connectTimeoutSec?: number;
  serverAliveIntervalSec?: number;
  serverAliveCountMax?: number;
  algorithms: Algorithms;
  addressFamily?: 'inet' | 'inet6';
  bindAddress?: string;
  passwordAuthentication: boolean;
  pubkeyAuthentication: boolean;
  preferredAuthentications?: string[];
  tag?: string;
  tokens: TokenValues;
  /** why the host cannot be connected to as configured (each names the directive) */
  refused: string[];
  /** directives set but ignored, with why (shown by -v and `minesweep hosts`) */
  ignored: string[];
}

// ssh2's algorithm lists (not part of its typed API)
const C = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js') as Record<string, string[]>;
export const SSH2_SUPPORTED = {
  kexalgorithms: C['SUPPORTED_KEX']!,
  hostkeyalgorithms: C['SUPPORTED_SERVER_HOST_KEY']!,
  ciphers: C['SUPPORTED_CIPHER']!,
  macs: C['SUPPORTED_MAC']!,
};
const SSH2_DEFAULT: Record<keyof typeof SSH2_SUPPORTED, string[]> = {
  kexalgorithms: C['DEFAULT_KEX']!,
  hostkeyalgorithms: C['DEFAULT_SERVER_HOST_KEY']!,
  ciphers: C['DEFAULT_CIPHER']!,
  macs: C['DEFAULT_MAC']!,
};

const yes = (v: string | undefined): boolean => v !== undefined && ['yes', 'true', 'always'].includes(v.toLowerCase());
const no = (v: string | undefined): boolean => v !== undefined && ['no', 'false'].includes(v.toLowerCase());
const num = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * An algorithm list as OpenSSH reads it (`+` appends, `-` removes, `^` puts first; patterns
 * allowed in `-`), relative to ssh2's defaults, reduced to what ssh2 implements.
 */
export function algorithmList(key: keyof typeof SSH2_SUPPORTED, value: string): string[] {
  const supported = SSH2_SUPPORTED[key];
  const base = SSH2_DEFAULT[key];
  const items = value.slice(/^[+^-]/.test(value) ? 1 : 0).split(',').filter(Boolean);
  let list: string[];
  if (value.startsWith('+')) list = [...base, ...items];
  else if (value.startsWith('^')) list = [...items, ...base];
  else if (value.startsWith('-')) {
    const res = items.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
    list = base.filter((a) => !res.some((r) => r.test(a)));
  } else list = items;
  return [...new Set(list.filter((a) => supported.includes(a)))];
}

function checkStrict(v: string): Resolved['hostKeyChecking'] {
  const s = v.toLowerCase();
  if (s === 'accept-new') return 'accept-new';
  if (s === 'no' || s === 'off' || s === 'false') return 'off';
  return 'strict';
}

// always honoured, and certificatefile refused below with its own message
const ALWAYS_HONOURED = new Set(['host', 'hostname', 'user', 'port', 'identityfile', 'userknownhostsfile', 'globalknownhostsfile', 'certificatefile']);

const sameValues = (a: string[] | undefined, b: string[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

// settings are cached per distinct destination (openssh.ts), so their reading is too
const interpreted = new WeakMap<SshSettings, Resolved>();

/** Settings -> Resolved. `baseline`: OpenSSH's defaults (a key equal to it counts as not set). */
export function interpret(s: SshSettings, baseline: SshSettings, local: LocalSide): Resolved {
  let r = interpreted.get(s);
  if (!r) {
    r = interpretOnce(s, baseline, local);
    interpreted.set(s, r);
  }
  return r;
}

function interpretOnce(s: SshSettings, baseline: SshSettings, local: LocalSide): Resolved {
  const get = (k: string): string | undefined => s.get(k)?.[0];
  const isSet = (k: string): boolean => !sameValues(s.get(k), baseline.get(k));
  const original = get('host') ?? get('hostname')!;
  const address = get('hostname') ?? original;
  const port = num(get('port')) ?? 22;
  const user = get('user') ?? local.localUser;
  const refused: string[] = [];
  const ignored: string[] = [];
  const proxyJumpRaw = get('proxyjump');
  const alias = get('hostkeyalias');
  const tokens: TokenValues = {
    host: address, original, port, user, localUser: local.localUser, home: local.home, uid: local.uid, localHost: local.localHost,
    proxyJump: proxyJumpRaw && proxyJumpRaw !== 'none' ? proxyJumpRaw : '', ...(alias && alias !== 'none' ? { hostKeyAlias: alias } : {}),
  };
  const path = (key: string, p: string): string | undefined => {
    try {
      return expandPath(p, key, tokens, local.env);
    } catch (e) {
      if (e instanceof TokenError) refused.push(e.message);
      else throw e;
      return undefined;
    }
  };
  const files = (key: string): string[] => (s.get(key) ?? []).filter((p) => p.toLowerCase() !== 'none').map((p) => path(key, p)).filter((p): p is string => p !== undefined);
  const list = (key: string): string[] => (get(key) ?? '').split(/\s+/).filter((p) => p && p.toLowerCase() !== 'none');

  for (const [key, values] of s) {
    if (ALWAYS_HONOURED.has(key) || !isSet(key)) continue;
    const h = handlingOf(key, values.join(' '));
    if (h.handling === 'refused') refused.push(`${key} ${values.join(', ')}: ${h.note}`);
    else if (h.handling === 'ignored') ignored.push(`${key} ${values.join(', ')}: ${h.note}`);
  }
  const r: Resolved = {
    original, address, port, user,
    identityFiles: files('identityfile'),
    certificateFiles: files('certificatefile'),
    identitiesOnly: yes(get('identitiesonly')),
    identityAgent: get('identityagent') ?? 'SSH_AUTH_SOCK',
    userKnownHostsFiles: list('userknownhostsfile'),
    globalKnownHostsFiles: list('globalknownhostsfile'),
    hostKeyChecking: checkStrict(get('stricthostkeychecking') ?? 'ask'),
    hashKnownHosts: yes(get('hashknownhosts')),
    algorithms: {},
    passwordAuthentication: !no(get('passwordauthentication')),
    pubkeyAuthentication: !no(get('pubkeyauthentication')),
    tokens, refused, ignored,
  };
  if (alias && alias !== 'none') r.hostKeyAlias = alias;
  if (proxyJumpRaw && proxyJumpRaw.toLowerCase() !== 'none') r.proxyJump = proxyJumpRaw.split(',').map((x) => x.trim()).filter(Boolean);
  const pc = get('proxycommand');
  if (pc && pc.toLowerCase() !== 'none') r.proxyCommand = pc;
  if (isSet('connecttimeout') && num(get('connecttimeout'))) r.connectTimeoutSec = num(get('connecttimeout'))!;
  if (isSet('serveraliveinterval') && num(get('serveraliveinterval'))) r.serverAliveIntervalSec = num(get('serveraliveinterval'))!;
  if (isSet('serveralivecountmax') && num(get('serveralivecountmax')) !== undefined) r.serverAliveCountMax = num(get('serveralivecountmax'))!;
  for (const [key, field] of [['kexalgorithms', 'kex'], ['hostkeyalgorithms', 'serverHostKey'], ['ciphers', 'cipher'], ['macs', 'hmac']] as const) {
    if (!isSet(key) || get(key) === undefined) continue;
    const l = algorithmList(key, get(key)!);
    if (l.length === 0) refused.push(`${key} ${get(key)}: none of these is implemented by ssh2 (it has ${SSH2_SUPPORTED[key].join(',')})`);
    else r.algorithms[field] = l;
  }
  if (yes(get('compression'))) r.algorithms.compress = ['zlib@openssh.com', 'zlib', 'none'];
  const af = get('addressfamily');
  if (af === 'inet' || af === 'inet6') r.addressFamily = af;
  const bind = get('bindaddress');
  if (bind && isSet('bindaddress')) r.bindAddress = bind;
  if (isSet('preferredauthentications') && get('preferredauthentications')) r.preferredAuthentications = get('preferredauthentications')!.split(',');
  const tag = get('tag');
  if (tag) r.tag = tag;
  for (const c of r.certificateFiles)
    refused.push(`CertificateFile ${c}: ssh2 (the SSH library minesweep uses) cannot present OpenSSH user certificates. Fix: remove CertificateFile for this host and give it a key its authorized_keys accepts`);
  return r;
}
