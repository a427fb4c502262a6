import pLimit from 'p-limit';
import type { HostResult, HostStatus } from '../core/result.js';
import type { Target } from '../inventory/types.js';
import { connectEndpoint, ConnectError, type ConnectEnv } from './connect.js';
import { HostKeyStore } from './host-key.js';
import { JumpPool } from './jump.js';
import { SessionLostError, SshSession } from './session.js';
import { endpointFor } from './target.js';
import type { FleetOptions, RunFleet, Session } from './types.js';

// Fan-out: at most `forks` hosts at once; each host ends ok/changed/failed/unreachable/
// skipped with a reason; nothing one host does (errors, hangs) stops the others.

export const DEFAULT_FORKS = 50;

type HostFn<T> = (session: Session) => Promise<{ status: HostStatus; value?: T; reason?: string }>;

export const runFleet: RunFleet = async <T>(targets: Target[], fn: HostFn<T>, opts: FleetOptions): Promise<HostResult<T>[]> => {
  const warn = opts.warn ?? ((m: string) => process.stderr.write(m + '\n'));
  const resolveEnv = { opts };
  const connectEnv: ConnectEnv = {
    hostKeys: new HostKeyStore(warn),
    attempts: opts.connectAttempts ?? 3,
    ...(opts.keyPassphrase !== undefined ? { keyPassphrase: opts.keyPassphrase } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  };
  const jumps = new JumpPool(connectEnv);
  const limit = pLimit(Math.max(1, opts.forks || DEFAULT_FORKS));
  let done = 0;
  let failed = 0;
  const one = async (t: Target): Promise<HostResult<T>> => {
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    const end = (r: Omit<HostResult<T>, 'host' | 'startedAt' | 'durationMs'>): HostResult<T> => {
      done++;
      if (r.status === 'failed' || r.status === 'unreachable') failed++;
      opts.onProgress?.(done, targets.length, failed);
      return { host: t.name, startedAt, durationMs: Date.now() - t0, ...r };
    };
    let session: SshSession;
    try {
      const ep = endpointFor(t, resolveEnv);
      const client = await connectEndpoint(ep, connectEnv, jumps.socketFor(ep));
      session = new SshSession(t, client, {
        jumped: ep.jumps.length > 0 || ep.proxyCommand !== undefined,
        ...(opts.becomePassword !== undefined ? { becomePassword: opts.becomePassword } : {}),
        ...(opts.commandTimeoutMs ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
      });
    } catch (e) {
      return end({ status: 'unreachable', reason: e instanceof ConnectError ? e.message : `cannot connect: ${(e as Error).message}` });
    }
    try {
      const r = await fn(session);
      if (r.status === 'failed' && session.lost)
        return end({ status: 'unreachable', reason: `connection to ${t.name} lost: ${r.reason ?? 'no exit status'}` });
      return end({ status: r.status, ...(r.reason !== undefined ? { reason: r.reason } : {}), ...(r.value !== undefined ? { value: r.value } : {}) });
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      if (e instanceof SessionLostError || session.lost) return end({ status: 'unreachable', reason: msg });
      return end({ status: 'failed', reason: msg });
    } finally {
      await session.close();
    }
  };
  try {
    return await Promise.all(targets.map((t) => limit(() => one(t))));
  } finally {
    await jumps.closeAll();
  }
};
