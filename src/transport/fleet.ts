import pLimit from 'p-limit';
import type { HostResult, HostStatus } from '../core/result.js';
import type { Target } from '../inventory/types.js';
import { connectEndpoint, ConnectError, type ConnectEnv } from './connect.js';
import { HandshakeGates } from './handshake-gate.js';
import { HostKeyStore } from './host-key.js';
import { JumpPool } from './jump.js';
import { isReachPhase, PhaseTrack, seconds } from './phases.js';
import { guardFleet, runDeadlinePassed } from './run-guard.js';
import { SessionLostError, SshSession } from './session.js';
import { endpointFor, type Endpoint } from './target.js';
import { DEFAULT_CONNECT_RETRIES, DEFAULT_FORKS, type FleetOptions, type RunFleet, type Session } from './types.js';

// Fan-out: at most `forks` hosts at once; each host ends ok/changed/failed/unreachable/
// skipped with a reason; nothing one host does (errors, hangs, a dead peer) stops the others.
// Every phase has its deadline (connect.ts, session.ts); on top, an optional host deadline
// (--host-timeout), the run deadline and the drained-event-loop guard (run-guard.ts) end a
// host that is still pending, so runFleet always returns.

type HostFn<T> = (session: Session) => Promise<{ status: HostStatus; value?: T; reason?: string }>;

/** The command line's keepalive settings win over ssh config's (0 turns keepalives off). */
function withKeepalive(ep: Endpoint, o: FleetOptions): Endpoint {
  return {
    ...ep,
    ...(o.keepaliveIntervalMs !== undefined ? { keepaliveIntervalMs: o.keepaliveIntervalMs } : {}),
    ...(o.keepaliveCountMax !== undefined ? { keepaliveCountMax: o.keepaliveCountMax } : {}),
    jumps: ep.jumps.map((j) => withKeepalive(j, o)),
  };
}

export const runFleet: RunFleet = async <T>(targets: Target[], fn: HostFn<T>, opts: FleetOptions): Promise<HostResult<T>[]> => {
  const warn = opts.warn ?? ((m: string) => process.stderr.write(m + '\n'));
  const resolveEnv = { opts };
  const connectEnv: ConnectEnv = {
    hostKeys: new HostKeyStore(warn),
    retries: opts.connectRetries ?? DEFAULT_CONNECT_RETRIES,
    gates: new HandshakeGates(),
    ...(opts.keyPassphrase !== undefined ? { keyPassphrase: opts.keyPassphrase } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  };
  const jumps = new JumpPool(connectEnv);
  const limit = pLimit(Math.max(1, opts.forks || DEFAULT_FORKS));
  let done = 0;
  let failed = 0;
  /** how to end each host still pending (deadlines, the guard) */
  const pending = new Set<(reason: string) => void>();

  const one = (t: Target): Promise<HostResult<T>> =>
    new Promise((settle) => {
      const startedAt = new Date().toISOString();
      const t0 = Date.now();
      const track = new PhaseTrack();
      const abort = new AbortController();
      let session: SshSession | undefined;
      let ended = false;
      let hostTimer: NodeJS.Timeout | undefined;
      const end = (r: Omit<HostResult<T>, 'host' | 'startedAt' | 'durationMs'>): void => {
        if (ended) return;
        ended = true;
        clearTimeout(hostTimer);
        pending.delete(force);
        done++;
        if (r.status === 'failed' || r.status === 'unreachable') failed++;
        opts.onProgress?.(done, targets.length, failed);
        const result: HostResult<T> = { host: t.name, startedAt, durationMs: Date.now() - t0, ...r, ...(track.retries ? { connectRetries: track.retries } : {}) };
        opts.onHostEnd?.(result);
        settle(result);
      };
      /** a deadline or the guard ends the host now; its connection is cut so that its work unwinds */
      function force(why: string): void {
        if (ended) return;
        const reach = isReachPhase(track.phase) || session?.lost === true;
        end({ status: reach ? 'unreachable' : 'failed', reason: `${t.name}: ${why} (in ${track.describe()})` });
        abort.abort(why);
        session?.abort(why);
      }
      const notStarted = runDeadlinePassed();
      if (notStarted) return end({ status: 'failed', reason: `${t.name}: not started: ${notStarted}` });
      pending.add(force);
      if (opts.hostTimeoutMs) hostTimer = setTimeout(() => force(`the host deadline (--host-timeout ${seconds(opts.hostTimeoutMs!)}) passed`), opts.hostTimeoutMs);
      void (async () => {
        let ep: Endpoint;
        try {
          ep = withKeepalive(endpointFor(t, resolveEnv), opts);
          const how = { track, signal: abort.signal };
          const client = await connectEndpoint(ep, connectEnv, jumps.socketFor(ep), how);
          session = new SshSession(t, client, {
            jumped: ep.jumps.length > 0 || ep.proxyCommand !== undefined,
            channelTimeoutMs: ep.connectTimeoutMs,
            keepalive: { intervalMs: ep.keepaliveIntervalMs, countMax: ep.keepaliveCountMax },
            track,
            ...(opts.becomePassword !== undefined ? { becomePassword: opts.becomePassword } : {}),
            ...(opts.commandTimeoutMs ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
          });
          track.enter('working');
          if (ended) session.abort('the host had already been ended');
        } catch (e) {
          return end({ status: 'unreachable', reason: e instanceof ConnectError ? e.message : `cannot connect: ${(e as Error).message}` });
        }
        const s = session;
        try {
          const r = await fn(s);
          const value = r.value !== undefined ? { value: r.value } : {};
          if (r.status === 'failed' && s.lost)
            return end({ status: 'unreachable', reason: /connection lost/.test(r.reason ?? '') ? r.reason! : `connection to ${t.name} lost: ${r.reason ?? s.lostReason ?? 'no exit status'}`, ...value });
          end({ status: r.status, ...(r.reason !== undefined ? { reason: r.reason } : {}), ...value });
        } catch (e) {
          const msg = (e as Error)?.message ?? String(e);
          end({ status: e instanceof SessionLostError || s.lost ? 'unreachable' : 'failed', reason: msg });
        } finally {
          await s.close();
          track.enter('done');
        }
      })();
    });

  const unguard = guardFleet((reason) => {
    const all = [...pending];
    for (const force of all) force(reason);
    return all.length;
  });
  try {
    return await Promise.all(targets.map((t) => limit(() => one(t))));
  } finally {
    unguard();
    await jumps.closeAll();
  }
};
