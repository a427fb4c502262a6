import { existsSync, readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { AuthMethod, ConnectConfig, ParsedKey } from 'ssh2';
import { loadPrivateKey } from './keys.js';
import type { Endpoint } from './target.js';

// Authentication and algorithms as the resolved settings say: the agent (IdentityAgent;
// with IdentitiesOnly only the agent keys that match the identity files), the identity files
// in order, the password; PreferredAuthentications orders them, PubkeyAuthentication /
// PasswordAuthentication no drop them. KexAlgorithms, Ciphers, MACs, Compression,
// AddressFamily and BindAddress go to ssh2's connect options.

export interface AuthPlan {
  methods: AuthMethod[];
  tried: string[];
  problems: string[];
}

/** An agent that offers only the keys whose public blob is in `allowed` (IdentitiesOnly yes). */
class FilteredAgent extends ssh2.OpenSSHAgent {
  constructor(sock: string, private readonly allowed: Set<string>) {
    super(sock);
  }
  override getIdentities(cb: Parameters<ssh2.OpenSSHAgent['getIdentities']>[0]): void {
    super.getIdentities((err, keys) => cb(err ?? undefined, (keys ?? []).filter((k) => this.allowed.has((k as ParsedKey).getPublicSSH().toString('base64')))));
  }
}

function publicBlob(file: string): string | undefined {
  try {
    return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/)[1];
  } catch {
    return undefined;
  }
}

export function authPlan(ep: Endpoint, keyPassphrase?: string): AuthPlan {
  const keys: AuthMethod[] = [];
  const tried: string[] = [];
  const problems: string[] = [];
  const blobs = new Set<string>();
  for (const file of ep.identityFiles) {
    const k = loadPrivateKey(file, keyPassphrase);
    if (k.ok) {
      keys.push({ type: 'publickey', username: ep.user, key: k.key } as AuthMethod);
      tried.push(`key ${file}`);
      blobs.add(k.key.getPublicSSH().toString('base64'));
    } else if (!k.missing) problems.push(k.reason);
    const pub = publicBlob(file);
    if (pub) blobs.add(pub);
    if (existsSync(`${file}-cert.pub`)) problems.push(`${file}-cert.pub (a certificate ssh would offer) was not presented: ssh2 cannot present OpenSSH user certificates`);
  }
  const agent: AuthMethod[] = [];
  if (ep.agent && ep.pubkeyAuthentication) {
    const a = ep.identitiesOnly ? new FilteredAgent(ep.agent, blobs) : ep.agent;
    agent.push({ type: 'agent', username: ep.user, agent: a } as AuthMethod);
    tried.unshift(ep.identitiesOnly ? 'ssh-agent (identity files only)' : 'ssh-agent');
  }
  const password: AuthMethod[] = ep.password !== undefined && ep.passwordAuthentication ? [{ type: 'password', username: ep.user, password: ep.password } as AuthMethod] : [];
  if (password.length) tried.push('password');
  const byName: Record<string, AuthMethod[]> = { publickey: [...agent, ...keys], password };
  const order = ep.preferredAuthentications?.filter((m) => m in byName) ?? ['publickey', 'password'];
  return { methods: order.flatMap((m) => byName[m] ?? []), tried, problems };
}

/** ssh2 connect options from the resolved algorithms, address family and bind address. */
export function connectOptions(ep: Endpoint, hostKeyOrder: string[]): Partial<ConnectConfig> {
  const a = ep.algorithms;
  const serverHostKey = a.serverHostKey ? (hostKeyOrder.length ? hostKeyOrder.filter((x) => a.serverHostKey!.includes(x)) : a.serverHostKey) : hostKeyOrder;
  const algorithms: NonNullable<ConnectConfig['algorithms']> = {
    ...(a.kex ? { kex: a.kex as never } : {}),
    ...(a.cipher ? { cipher: a.cipher as never } : {}),
    ...(a.hmac ? { hmac: a.hmac as never } : {}),
    ...(a.compress ? { compress: a.compress as never } : {}),
    ...(serverHostKey.length ? { serverHostKey: serverHostKey as never } : {}),
  };
  return {
    ...(Object.keys(algorithms).length ? { algorithms } : {}),
    ...(ep.addressFamily === 'inet' ? { forceIPv4: true } : ep.addressFamily === 'inet6' ? { forceIPv6: true } : {}),
    ...(ep.bindAddress ? { localAddress: ep.bindAddress } : {}),
  };
}
