import { matchPatternList } from './known-hosts.js';

// ~/.ssh/config, read without I/O. Supported directives (README):
//   Host (patterns, `*`/`?` wildcards, `!negation`), Match all, HostName (%h), User, Port,
//   IdentityFile (several; ~, %d %u %h %r %p %%), IdentitiesOnly, ProxyJump (list, `none`),
//   UserKnownHostsFile (several, `none`), GlobalKnownHostsFile, StrictHostKeyChecking
//   (yes|ask -> strict, accept-new, no|off -> off), ConnectTimeout, ServerAliveInterval,
//   ServerAliveCountMax.
//   Include (files read in place, relative to ~/.ssh, globs in the file name; see env.ts).
// As OpenSSH: the first value obtained for a directive wins (IdentityFile and the known-hosts
// files accumulate). A jump host's own ProxyJump is not followed (list every hop instead).
// Ignored: other Match criteria (their block never applies), ProxyCommand (refused when it
// is not `ssh -W`), and every other directive.

export interface SshConfigBlock {
  /** Host patterns; ['*'] for the directives before the first Host line and for `Match all` */
  patterns: string[];
  /** false for a Match block minesweep cannot evaluate */
  usable: boolean;
  options: Array<{ key: string; value: string[]; line: number }>;
}

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly?: boolean;
  /** undefined = not set; [] = `ProxyJump none` */
  proxyJump?: string[];
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  strictHostKeyChecking?: 'strict' | 'accept-new' | 'off';
  connectTimeoutSec?: number;
  serverAliveIntervalSec?: number;
  serverAliveCountMax?: number;
}

/** Split a config line into words, honouring double quotes. */
function words(s: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2] ?? '');
  return out;
}

export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: ['*'], usable: true, options: [] }];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) return;
    const key = m[1]!.toLowerCase();
    const value = words(m[2]!);
    if (key === 'host') blocks.push({ patterns: value, usable: true, options: [] });
    else if (key === 'match') {
      const all = value.length === 1 && value[0]!.toLowerCase() === 'all';
      blocks.push({ patterns: ['*'], usable: all, options: [] });
    } else blocks[blocks.length - 1]!.options.push({ key, value, line: i + 1 });
  });
  return blocks;
}

function strictness(v: string): SshHostConfig['strictHostKeyChecking'] {
  const s = v.toLowerCase();
  if (s === 'yes' || s === 'ask') return 'strict';
  if (s === 'accept-new') return 'accept-new';
  if (s === 'no' || s === 'off') return 'off';
  return undefined;
}

export interface TokenContext {
  home: string;
  localUser: string;
}

function expandPath(p: string, host: string, user: string | undefined, port: number | undefined, ctx: TokenContext): string {
  let s = p.replace(/%([%dhurp])/g, (_, t: string) =>
    t === '%' ? '%' : t === 'd' ? ctx.home : t === 'h' ? host : t === 'u' ? ctx.localUser : t === 'r' ? (user ?? ctx.localUser) : String(port ?? 22),
  );
  if (s === '~' || s.startsWith('~/')) s = ctx.home + s.slice(1);
  return s;
}

/** The options OpenSSH would use for `ssh HOST`: first value wins per directive. */
export function resolveSshConfig(blocks: SshConfigBlock[], host: string, ctx: TokenContext): SshHostConfig {
  const cfg: SshHostConfig = { identityFiles: [] };
  const rawIdentity: string[] = [];
  for (const b of blocks) {
    if (!b.usable || !matchPatternList(b.patterns, host)) continue;
    for (const { key, value } of b.options) {
      const v = value[0] ?? '';
      switch (key) {
        case 'hostname': cfg.hostName ??= v.replace(/%h/g, host); break;
        case 'user': cfg.user ??= v; break;
        case 'port': if (cfg.port === undefined && /^\d+$/.test(v)) cfg.port = Number(v); break;
        case 'identityfile': rawIdentity.push(v); break;
        case 'identitiesonly': cfg.identitiesOnly ??= v.toLowerCase() === 'yes'; break;
        case 'proxyjump': cfg.proxyJump ??= v.toLowerCase() === 'none' ? [] : v.split(',').filter(Boolean); break;
        case 'userknownhostsfile': cfg.userKnownHostsFiles ??= v.toLowerCase() === 'none' ? [] : value; break;
        case 'globalknownhostsfile': cfg.globalKnownHostsFiles ??= v.toLowerCase() === 'none' ? [] : value; break;
        case 'stricthostkeychecking': cfg.strictHostKeyChecking ??= strictness(v); break;
        case 'connecttimeout': if (cfg.connectTimeoutSec === undefined && /^\d+$/.test(v)) cfg.connectTimeoutSec = Number(v); break;
        case 'serveraliveinterval': if (cfg.serverAliveIntervalSec === undefined && /^\d+$/.test(v)) cfg.serverAliveIntervalSec = Number(v); break;
        case 'serveralivecountmax': if (cfg.serverAliveCountMax === undefined && /^\d+$/.test(v)) cfg.serverAliveCountMax = Number(v); break;
        default: break;
      }
    }
  }
  cfg.identityFiles = rawIdentity.map((p) => expandPath(p, host, cfg.user, cfg.port, ctx));
  if (cfg.userKnownHostsFiles) cfg.userKnownHostsFiles = cfg.userKnownHostsFiles.map((p) => expandPath(p, host, cfg.user, cfg.port, ctx));
  if (cfg.globalKnownHostsFiles) cfg.globalKnownHostsFiles = cfg.globalKnownHostsFiles.map((p) => expandPath(p, host, cfg.user, cfg.port, ctx));
  return cfg;
}

/** Parse one ProxyJump hop `[user@]host[:port]` (IPv6 as `[addr]:port`). */
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
