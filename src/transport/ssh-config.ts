import { directiveArgs } from './ssh-words.js';
import { expandPath, expandTokens, type TokenValues } from './tokens.js';

// The built-in resolver: OpenSSH client configuration read and evaluated the way `ssh -G`
// does, for machines without OpenSSH. Parsing is pure (files come through a ConfigSource);
// evaluation follows ssh_config(5): command-line options first, then the user's file, then
// the system file; the first value obtained wins (IdentityFile, CertificateFile and the
// forwardings accumulate); Host matches the name as given, case-sensitively; Match
// (all, host, originalhost, user, localuser, canonical, final, tagged) is evaluated with the
// values obtained so far, and `Match final` re-reads the files once more. Include is
// conditional on the block it sits in. What it cannot evaluate (Match exec, localnetwork) is
// refused with the file and line named.

export type ConfigEntry =
  | { kind: 'host'; patterns: string[]; file: string; line: number }
  | { kind: 'match'; criteria: MatchCriterion[]; file: string; line: number }
  | { kind: 'option'; key: string; args: string[]; file: string; line: number }
  | { kind: 'include'; files: ConfigFile[]; file: string; line: number };

export interface MatchCriterion {
  negate: boolean;
  name: string;
  arg?: string;
}

export interface ConfigFile {
  path: string;
  entries: ConfigEntry[];
}

/** Where config files come from: a reader and a glob, so parsing stays testable. */
export interface ConfigSource {
  read(path: string): string | undefined;
  glob(pattern: string): string[];
}

export class SshConfigError extends Error {}

/** Resolved settings as `ssh -G` prints them: lower-cased key -> one string per printed line. */
export type SshSettings = Map<string, string[]>;

const MULTI = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv', 'setenv']);
const NO_ARG_CRITERIA = new Set(['all', 'canonical', 'final']);

/** Parse one config file (and, through `source`, the files it includes; 16 levels at most). */
export function parseConfig(text: string, path: string, source: ConfigSource, dirs: { includeBase: string; home: string }, depth = 0): ConfigFile {
  const entries: ConfigEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+|$)([\s\S]*)$/.exec(line);
    if (!m) return;
    const key = m[1]!.toLowerCase();
    const at = { file: path, line: i + 1 };
    let args: string[];
    try {
      args = directiveArgs(key, m[2]!);
    } catch (e) {
      throw new SshConfigError(`${path}:${i + 1}: ${(e as Error).message}`);
    }
    if (key === 'host') entries.push({ kind: 'host', patterns: args, ...at });
    else if (key === 'match') entries.push({ kind: 'match', criteria: parseCriteria(args, path, i + 1), ...at });
    else if (key === 'include') {
      if (depth >= 16) throw new SshConfigError(`${path}:${i + 1}: Include nested more than 16 levels`);
      const files: ConfigFile[] = [];
      for (const arg of args) {
        let p = arg === '~' || arg.startsWith('~/') ? dirs.home + arg.slice(1) : arg;
        if (!p.startsWith('/')) p = `${dirs.includeBase}/${p}`;
        const list = /[*?[]/.test(p) ? source.glob(p) : [p];
        for (const f of list) {
          const t = source.read(f);
          if (t !== undefined) files.push(parseConfig(t, f, source, dirs, depth + 1));
        }
      }
      entries.push({ kind: 'include', files, ...at });
    } else entries.push({ kind: 'option', key, args, ...at });
  });
  return { path, entries };
}

function parseCriteria(args: string[], file: string, line: number): MatchCriterion[] {
  const out: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    let name = args[i]!.toLowerCase();
    const negate = name.startsWith('!');
    if (negate) name = name.slice(1);
    if (NO_ARG_CRITERIA.has(name)) out.push({ negate, name });
    else {
      const arg = args[++i];
      if (arg === undefined) throw new SshConfigError(`${file}:${line}: Match ${name} needs an argument`);
      out.push({ negate, name, arg });
    }
  }
  if (out.length === 0) throw new SshConfigError(`${file}:${line}: Match needs at least one criterion (e.g. Match all)`);
  return out;
}

/** OpenSSH pattern list (comma-separated, `*` `?`, `!negation`). */
export function matchList(list: string, value: string, caseless: boolean): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const neg = raw.startsWith('!');
    const p = neg ? raw.slice(1) : raw;
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseless ? 'is' : 's');
    if (re.test(value)) {
      if (neg) return false;
      matched = true;
    }
  }
  return matched;
}

/** `Host` line: any positive pattern and no negated one (patterns are separate words). */
function hostMatches(patterns: string[], host: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchList(p.slice(1), host, false)) return false;
    } else if (matchList(p, host, false)) matched = true;
  }
  return matched;
}

export interface LocalSide {
  home: string;
  localUser: string;
  uid: number;
  localHost: string;
  env: NodeJS.ProcessEnv;
}

export interface BuiltinRequest {
  /** the destination as given (ansible_host, or a jump spec's host) */
  host: string;
  /** command-line directives (from ssh words), first wins */
  commandLine: Array<{ key: string; args: string[] }>;
  /** the files to read, in order: the user file then the system file, or the -F file alone */
  files: ConfigFile[];
}

interface WalkState {
  settings: SshSettings;
  final: boolean;
  wantFinal: boolean;
}

function apply(s: SshSettings, key: string, args: string[]): void {
  // ProxyJump and ProxyCommand exclude each other: the first one obtained wins
  if ((key === 'proxyjump' && s.has('proxycommand')) || (key === 'proxycommand' && s.has('proxyjump'))) return;
  if (MULTI.has(key)) {
    const v = args.join(' ');
    const had = s.get(key) ?? [];
    // ssh skips an identity or certificate file it already has (the final pass reads them again)
    if (args.length && !((key === 'identityfile' || key === 'certificatefile') && had.includes(v))) s.set(key, [...had, v]);
  } else if (!s.has(key)) s.set(key, [args.join(' ')]);
}

function first(s: SshSettings, key: string): string | undefined {
  return s.get(key)?.[0];
}

function evaluate(c: MatchCriterion, req: BuiltinRequest, st: WalkState, local: LocalSide, where: string): boolean {
  const hostName = first(st.settings, 'hostname');
  const currentHost = (st.final && hostName ? hostName : hostName ? hostName.replace(/%h/g, req.host) : req.host).toLowerCase();
  let r: boolean;
  switch (c.name) {
    case 'all': r = true; break;
    case 'canonical': r = false; break;
    case 'final': st.wantFinal = true; r = st.final; break;
    case 'host': r = matchList(c.arg!, currentHost, true); break;
    case 'originalhost': r = matchList(c.arg!, req.host, true); break;
    case 'user': r = matchList(c.arg!, first(st.settings, 'user') ?? local.localUser, false); break;
    case 'localuser': r = matchList(c.arg!, local.localUser, false); break;
    case 'tagged': r = matchList(c.arg!, first(st.settings, 'tag') ?? '', false); break;
    case 'exec':
      throw new SshConfigError(`${where}: Match exec ${JSON.stringify(c.arg)} is not evaluated: the built-in resolver runs no command (install OpenSSH's ssh client, which minesweep then asks with ssh -G)`);
    default:
      throw new SshConfigError(`${where}: Match ${c.name} is not evaluated by the built-in resolver (install OpenSSH's ssh client, which minesweep then asks with ssh -G)`);
  }
  return c.negate ? !r : r;
}

function walk(entries: ConfigEntry[], req: BuiltinRequest, st: WalkState, local: LocalSide): void {
  let active = true;
  for (const e of entries) {
    if (e.kind === 'host') active = hostMatches(e.patterns, req.host);
    else if (e.kind === 'match') {
      if (e.criteria.some((c) => c.name === 'final' || c.name === 'canonical')) st.wantFinal = true;
      active = e.criteria.every((c) => evaluate(c, req, st, local, `${e.file}:${e.line}`));
    } else if (!active) continue;
    else if (e.kind === 'include') for (const f of e.files) walk(f.entries, req, st, local);
    else apply(st.settings, e.key, e.args);
  }
}

/** The defaults `ssh -G` prints for the settings minesweep uses (OpenSSH 9.2). */
export const DEFAULT_IDENTITY_FILES = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ecdsa_sk', '~/.ssh/id_ed25519', '~/.ssh/id_ed25519_sk', '~/.ssh/id_xmss', '~/.ssh/id_dsa'];

/** Evaluate the configuration for one destination, as `ssh -G` would print it. */
export function resolveBuiltin(req: BuiltinRequest, local: LocalSide): SshSettings {
  const st: WalkState = { settings: new Map(), final: false, wantFinal: false };
  for (const o of req.commandLine) apply(st.settings, o.key, o.args);
  for (const f of req.files) walk(f.entries, req, st, local);
  if (st.wantFinal) {
    st.final = true;
    const hn = first(st.settings, 'hostname');
    st.settings.set('hostname', [(hn ? hn.replace(/%h/g, req.host) : req.host).toLowerCase()]);
    for (const f of req.files) walk(f.entries, req, st, local);
  }
  const s = st.settings;
  const hostName = expandTokens(first(s, 'hostname') ?? req.host, 'hostname', { host: req.host } as TokenValues).toLowerCase();
  s.set('host', [req.host]);
  s.set('hostname', [hostName]);
  s.set('user', [first(s, 'user') ?? local.localUser]);
  s.set('port', [first(s, 'port') ?? '22']);
  if (!s.has('identityfile')) s.set('identityfile', DEFAULT_IDENTITY_FILES);
  const v: TokenValues = {
    host: hostName, original: req.host, port: Number(first(s, 'port')), user: first(s, 'user')!, localUser: local.localUser, home: local.home,
    uid: local.uid, localHost: local.localHost, proxyJump: first(s, 'proxyjump') ?? '', ...(s.has('hostkeyalias') ? { hostKeyAlias: first(s, 'hostkeyalias')! } : {}),
  };
  const paths = (key: string, dflt: string) => (first(s, key) ?? dflt).split(/\s+/).filter(Boolean).map((p) => (p.toLowerCase() === 'none' ? p : expandPath(p, key, v, local.env))).join(' ');
  s.set('userknownhostsfile', [paths('userknownhostsfile', '~/.ssh/known_hosts ~/.ssh/known_hosts2')]);
  s.set('globalknownhostsfile', [first(s, 'globalknownhostsfile') ?? '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2']);
  const agent = first(s, 'identityagent');
  if (agent !== undefined && agent !== 'none' && agent !== 'SSH_AUTH_SOCK') s.set('identityagent', [expandPath(agent, 'identityagent', v, local.env)]);
  return s;
}

/** Parse one ProxyJump hop `[ssh://][user@]host[:port]` (IPv6 as `[addr]:port`). */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let rest = spec.replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const v4 = /^([^:]+):(\d+)$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else if (v4) {
    host = v4[1]!;
    port = Number(v4[2]);
  }
  return { ...(user ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}
