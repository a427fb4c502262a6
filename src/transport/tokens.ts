import { createHash } from 'node:crypto';

// OpenSSH's % tokens and ${ENV} references (ssh_config(5) TOKENS), expanded as ssh does:
// each directive accepts its own set; an unknown or disallowed token is an error naming it.

export interface TokenValues {
  /** %h: the remote host name after HostName (lower-cased, as ssh does) */
  host: string;
  /** %n: the host as given (inventory ansible_host, or the jump spec) */
  original: string;
  port: number;
  /** %r: the remote user (ansible_user / User / the local user) */
  user: string;
  /** %u, %d, %i, %l, %L: the local side */
  localUser: string;
  home: string;
  uid: number;
  localHost: string;
  /** %j: the ProxyJump value, or '' */
  proxyJump: string;
  /** %k: HostKeyAlias, else the host as given */
  hostKeyAlias?: string;
}

/** The tokens each directive accepts (ssh_config(5), OpenSSH 9.x). */
export const TOKENS_FOR: Record<string, string> = {
  hostname: '%h',
  proxycommand: '%hnpr',
  proxyjump: '%hnpr',
  identityfile: '%CdhijkLlnpruT',
  certificatefile: '%CdhijkLlnpruT',
  identityagent: '%CdhijkLlnpruT',
  userknownhostsfile: '%CdhijkLlnpruT',
  controlpath: '%CdhijkLlnpruT',
};

/** %C: SHA1 of %l%h%p%r, hex (OpenSSH 9.2). */
export function connectionHash(v: TokenValues): string {
  return createHash('sha1').update(`${v.localHost}${v.host}${v.port}${v.user}`).digest('hex');
}

function tokenValue(t: string, v: TokenValues): string {
  switch (t) {
    case '%': return '%';
    case 'C': return connectionHash(v);
    case 'd': return v.home;
    case 'h': return v.host;
    case 'i': return String(v.uid);
    case 'j': return v.proxyJump;
    case 'k': return v.hostKeyAlias ?? v.original;
    case 'L': return v.localHost.split('.')[0] ?? v.localHost;
    case 'l': return v.localHost;
    case 'n': return v.original;
    case 'p': return String(v.port);
    case 'r': return v.user;
    case 'u': return v.localUser;
    case 'T': return 'NONE';
    default: return '';
  }
}

export class TokenError extends Error {}

/**
 * Expand `%x` tokens allowed for `directive`; `quoteValue` wraps each substituted value (the
 * ProxyCommand passes every value through the shell quoter). Throws TokenError on an unknown
 * token or a trailing `%`.
 */
export function expandTokens(text: string, directive: string, v: TokenValues, quoteValue: (s: string) => string = (s) => s): string {
  const allowed = TOKENS_FOR[directive] ?? '%';
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const t = text[++i];
    if (t === undefined) throw new TokenError(`${directive} ${JSON.stringify(text)}: a lone % at the end (write %% for a percent sign)`);
    if (t !== '%' && !allowed.includes(t)) throw new TokenError(`${directive} ${JSON.stringify(text)}: %${t} is not a token ${directive} accepts (it takes ${allowed.split('').map((x) => '%' + x).join(' ')})`);
    out += t === '%' ? '%' : quoteValue(tokenValue(t, v));
  }
  return out;
}

/** `${NAME}` from the environment (IdentityFile, CertificateFile, IdentityAgent, UserKnownHostsFile). */
export function expandEnvRefs(text: string, directive: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new TokenError(`${directive} ${JSON.stringify(text)}: the environment variable ${name} is not set`);
    return value;
  });
}

/** `~` and `~/…` to the home directory (what ssh does to these paths). */
export function expandTilde(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

/** A path-valued directive as ssh uses it: ~, ${ENV}, then % tokens. */
export function expandPath(p: string, directive: string, v: TokenValues, env: NodeJS.ProcessEnv = process.env): string {
  return expandTokens(expandEnvRefs(expandTilde(p, v.home), directive, env), directive, v);
}
