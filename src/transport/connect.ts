import ssh2 from 'ssh2';
import type { Client as ClientT, ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { authPlan, connectOptions, type AuthPlan } from './auth.js';
import type { HostKeyStore } from './host-key.js';
import type { Endpoint } from './target.js';
import type { HandshakeGates } from './handshake-gate.js';
import { destroySocket, seconds, type Phase, type PhaseTrack } from './phases.js';

// One SSH connection to one endpoint (directly, or over a stream forwarded by a jump host),
// with the host key checked, auth by key/agent/password, keepalive, a deadline for each
// phase (TCP connect, SSH handshake, authentication: the endpoint's connect timeout each),
// and retries with jittered exponential backoff when the server drops us before the
// handshake (connection reset, MaxStartups).

export interface ConnectEnv {
  hostKeys: HostKeyStore;
  keyPassphrase?: string;
  /** retries after a transient refusal (so attempts = retries + 1) */
  retries: number;
  /** backoff before retry n (1-based): a random time in [0, min(cap, base·2^(n-1))] (full jitter) */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** handshakes in flight per destination: one at a time once a server refused one */
  gates?: HandshakeGates;
  /** SSH protocol debug lines (-vvv) */
  debug?: (line: string) => void;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;

/** Full-jitter exponential backoff before retry `n` (1-based). */
export function backoffMs(n: number, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(cap, base * 2 ** (n - 1)));
}

/** A connection failure, classified: the host ends 'unreachable' with this reason. */
export class ConnectError extends Error {
  constructor(message: string, readonly retryable = false) {
    super(message);
  }
}

/** What a server's transient refusal looks like before the handshake completes (MaxStartups drop, reset). */
const RETRYABLE = /ECONNRESET|EPIPE|Connection lost before handshake|Connection reset|kex_exchange_identification|socket hang up/i;

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

/** Wait, unless `signal` aborts first (then reject with its reason). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConnectError(String(signal.reason)));
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new ConnectError(String(signal!.reason)));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What connectEndpoint reports back and listens to: the phase, retries, and an abort (host or run deadline). */
export interface ConnectTrack {
  track?: PhaseTrack;
  signal?: AbortSignal;
}

/**
 * Open one connection; `sock` makes a fresh forwarded stream per attempt for jumped hosts.
 * Transient refusals are retried `env.retries` times with backoff (counted in track.retries).
 */
export async function connectEndpoint(ep: Endpoint, env: ConnectEnv, sock?: () => Promise<Duplex>, t: ConnectTrack = {}): Promise<ClientT> {
  let last: ConnectError | undefined;
  const attempts = Math.max(0, env.retries) + 1;
  const dest = `${ep.host}:${ep.port}`;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let release = (): void => undefined;
    try {
      if (t.signal?.aborted) throw new ConnectError(String(t.signal.reason));
      if (env.gates) release = await env.gates.acquire(dest, t.signal);
      const client = await connectOnce(ep, env, sock ? await sock() : undefined, t);
      env.gates?.succeeded(dest);
      return client;
    } catch (e) {
      last = e instanceof ConnectError ? e : new ConnectError(String((e as Error)?.message ?? e));
      if (last.retryable) env.gates?.refused(dest);
      if (!last.retryable || attempt >= attempts || t.signal?.aborted) break;
      t.track?.enter('retry backoff');
      if (t.track) t.track.retries++;
      release();
      await sleep(backoffMs(attempt, env.backoffBaseMs, env.backoffCapMs), t.signal);
    } finally {
      release();
    }
  }
  if (last && last.retryable && attempts > 1) last = new ConnectError(`${last.message} (after ${attempts - 1} ${attempts === 2 ? 'retry' : 'retries'}; raise them with --connect-retries)`, true);
  throw last!;
}

function phaseTimeout(p: Phase, ep: Endpoint): string {
  const where = `${ep.label} (${ep.user}@${ep.host}:${ep.port})`;
  const s = seconds(ep.connectTimeoutMs);
  if (p === 'tcp connect') return `no TCP connection to ${where} within ${s} (tcp connect: the host is down or a firewall drops the packets; raise it with --connect-timeout)`;
  if (p === 'ssh handshake') return `${where} accepted the TCP connection but finished no SSH handshake within ${s} (ssh handshake: sshd stopped, hung or overloaded; raise it with --connect-timeout)`;
  return `${where} did not finish authentication within ${s} (authentication; raise it with --connect-timeout)`;
}

function connectOnce(ep: Endpoint, env: ConnectEnv, sock: Duplex | undefined, t: ConnectTrack): Promise<ClientT> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const auth = authPlan(ep, env.keyPassphrase);
    let hostKeyReason: string | null = null;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => fail(new ConnectError(String(t.signal!.reason)));
    const done = (): void => {
      settled = true;
      clearTimeout(timer);
      t.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: ConnectError): void => {
      if (settled) return;
      done();
      reject(e);
      destroySocket(client);
    };
    // one deadline per phase: TCP connect, then the SSH handshake (banner, key exchange, host key), then authentication
    const enter = (p: Phase): void => {
      if (settled) return;
      t.track?.enter(p);
      clearTimeout(timer);
      timer = setTimeout(() => fail(new ConnectError(phaseTimeout(p, ep))), ep.connectTimeoutMs);
    };
    // the permanent listener: nothing a connection does can crash the controller
    client.on('error', (err: Error & { code?: string; level?: string }) => {
      const retryable = RETRYABLE.test(err.message) || err.code === 'ECONNRESET';
      fail(new ConnectError(hostKeyReason ?? describe(err, ep, auth), hostKeyReason === null && retryable));
    });
    client.on('connect', () => enter('ssh handshake'));
    client.on('handshake', () => enter('authentication'));
    client.on('ready', () => {
      if (settled) return client.end();
      done();
      resolve(client);
    });
    client.on('close', () => fail(new ConnectError(hostKeyReason ?? `connection to ${ep.label} (${ep.host}:${ep.port}) closed during the handshake`, hostKeyReason === null)));
    if (auth.methods.length === 0) {
      settled = true;
      reject(new ConnectError(describe(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), ep, auth)));
      return;
    }
    if (t.signal?.aborted) return onAbort();
    t.signal?.addEventListener('abort', onAbort, { once: true });
    const preferred = env.hostKeys.preferredTypes(ep);
    const cfg: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.user,
      // our per-phase deadlines fire first; ssh2's own is a backstop for the three together
      readyTimeout: 3 * ep.connectTimeoutMs + 1_000,
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
    enter(sock ? 'ssh handshake' : 'tcp connect');
    try {
      client.connect(cfg);
    } catch (e) {
      fail(new ConnectError(`cannot connect to ${ep.label}: ${(e as Error).message}`));
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
