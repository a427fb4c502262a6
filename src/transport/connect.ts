import ssh2 from 'ssh2';
import type { Client as ClientT, ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { authPlan, connectOptions, type AuthPlan } from './auth.js';
import type { HostKeyStore } from './host-key.js';
import type { Endpoint } from './target.js';

// One SSH connection to one endpoint (directly, or over a stream forwarded by a jump host),
// with the host key checked, auth by key/agent/password, keepalive, and retries with
// backoff when the server drops us before the handshake (connection reset, MaxStartups).

export interface ConnectEnv {
  hostKeys: HostKeyStore;
  keyPassphrase?: string;
  attempts: number;
  /** SSH protocol debug lines (-vvv) */
  debug?: (line: string) => void;
}

/** A connection failure, classified: the host ends 'unreachable' with this reason. */
export class ConnectError extends Error {
  constructor(message: string, readonly retryable = false) {
    super(message);
  }
}

const RETRYABLE = /ECONNRESET|EPIPE|Connection lost before handshake|Connection reset|kex_exchange_identification|read ECONNRESET|socket hang up/i;

function describe(err: Error & { code?: string; level?: string }, ep: Endpoint, auth: AuthPlan): string {
  const where = `${ep.label} (${ep.user}@${ep.host}:${ep.port})`;
  const msg = err.message;
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(msg)) {
    const tried = auth.tried.length ? auth.tried.join(', ') : 'nothing (no key, agent or password)';
    const extra = auth.problems.length ? `; ${auth.problems.join('; ')}` : '';
    if (ep.label.startsWith('jump host'))
      return `authentication failed for ${where}: tried ${tried}${extra}. A jump host gets its own ssh config only (ssh passes it no -o option, and no ansible_* variable): give it User/IdentityFile in ~/.ssh/config or in a file passed with -F, or add the key to ssh-agent`;
    return `authentication failed for ${where}: tried ${tried}${extra}. Set ansible_user / ansible_ssh_private_key_file (or ansible_password), or add the key to ssh-agent`;
  }
  if (err.code === 'ECONNREFUSED') return `connection refused by ${where}: is sshd running and listening on port ${ep.port}?`;
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return `no route to ${where} (${err.code})`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `cannot resolve ${ep.host} for ${ep.label} (${err.code}): check ansible_host / HostName`;
  if (/Timed out while waiting for handshake/i.test(msg) || err.code === 'ETIMEDOUT')
    return `no SSH answer from ${where} within ${Math.round(ep.connectTimeoutMs / 1000)}s (connect timeout; raise it with --connect-timeout)`;
  return `cannot connect to ${where}: ${msg}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Open one connection; `sock` makes a fresh forwarded stream per attempt for jumped hosts. */
export async function connectEndpoint(ep: Endpoint, env: ConnectEnv, sock?: () => Promise<Duplex>): Promise<ClientT> {
  let last: ConnectError | undefined;
  for (let attempt = 1; attempt <= Math.max(1, env.attempts); attempt++) {
    try {
      return await connectOnce(ep, env, sock ? await sock() : undefined);
    } catch (e) {
      last = e instanceof ConnectError ? e : new ConnectError(String((e as Error)?.message ?? e));
      if (!last.retryable || attempt >= env.attempts) break;
      await sleep(250 * 2 ** (attempt - 1) + Math.random() * 250);
    }
  }
  throw last!;
}

function connectOnce(ep: Endpoint, env: ConnectEnv, sock?: Duplex): Promise<ClientT> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const auth = authPlan(ep, env.keyPassphrase);
    let hostKeyReason: string | null = null;
    let settled = false;
    // the permanent listener: nothing a connection does can crash the controller
    client.on('error', (err: Error & { code?: string; level?: string }) => {
      if (settled) return;
      settled = true;
      const retryable = RETRYABLE.test(err.message) || err.code === 'ECONNRESET';
      reject(new ConnectError(hostKeyReason ?? describe(err, ep, auth), hostKeyReason === null && retryable));
      client.end();
    });
    client.on('ready', () => {
      if (settled) return client.end();
      settled = true;
      resolve(client);
    });
    client.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new ConnectError(hostKeyReason ?? `connection to ${ep.label} (${ep.host}:${ep.port}) closed during the handshake`, hostKeyReason === null));
    });
    if (auth.methods.length === 0) {
      settled = true;
      reject(new ConnectError(describe(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), ep, auth)));
      return;
    }
    const preferred = env.hostKeys.preferredTypes(ep);
    const cfg: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.user,
      readyTimeout: ep.connectTimeoutMs,
      keepaliveInterval: ep.keepaliveIntervalMs,
      keepaliveCountMax: ep.keepaliveCountMax,
      authHandler: auth.methods,
      hostVerifier: (key: Buffer) => {
        hostKeyReason = env.hostKeys.check(ep, key);
        return hostKeyReason === null;
      },
      ...(sock ? { sock } : {}),
      ...(env.debug ? { debug: (m: string) => env.debug!(`${ep.label}: ${m}`) } : {}),
    };
    Object.assign(cfg, connectOptions(ep, preferred.length ? orderHostKeyAlgorithms(preferred) : []));
    try {
      client.connect(cfg);
    } catch (e) {
      settled = true;
      reject(new ConnectError(`cannot connect to ${ep.label}: ${(e as Error).message}`));
    }
  });
}

const ALL_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Known key types first (an ssh-rsa key is offered as rsa-sha2-*), then the rest. */
export function orderHostKeyAlgorithms(knownTypes: string[]): string[] {
  const first = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  const known = first.filter((a) => ALL_HOST_KEY_ALGOS.includes(a));
  return [...new Set([...known, ...ALL_HOST_KEY_ALGOS])];
}
