// SSH handshakes in flight per destination (address:port). Unlimited until that server
// refuses one before its banner (sshd's MaxStartups drops unauthenticated connections past
// its limit); from then on, one at a time for the rest of the run, so that many inventory
// names (or forks) aimed at one sshd queue up instead of being dropped and retried over and
// over. A slot is held only for the handshake and authentication, never for the session.
// After a refusal the destination pauses (250 ms, doubling while refusals go on, up to 4 s):
// sshd counts a connection as starting until its listener hears the login finished, so the
// next attempt right after a refusal would most likely be refused too.

interface Gate {
  limit: number;
  active: number;
  queue: Array<() => void>;
  /** no new handshake before this time (after a refusal) */
  pausedUntil: number;
  pauseMs: number;
  timer?: NodeJS.Timeout;
}

const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 4_000;

export class HandshakeGates {
  private readonly gates = new Map<string, Gate>();

  private gate(key: string): Gate {
    let g = this.gates.get(key);
    if (!g) this.gates.set(key, (g = { limit: Infinity, active: 0, queue: [], pausedUntil: 0, pauseMs: FIRST_PAUSE_MS }));
    return g;
  }

  /** Wait for a handshake slot to `key`; resolves with its release. Rejects when `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    const g = this.gate(key);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      g.active--;
      this.next(g);
    };
    if (g.active < g.limit && Date.now() >= g.pausedUntil && g.queue.length === 0) {
      g.active++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener('abort', onAbort);
        g.active++;
        resolve(release);
      };
      const onAbort = (): void => {
        const i = g.queue.indexOf(go);
        if (i >= 0) g.queue.splice(i, 1);
        reject(signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason)));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      g.queue.push(go);
      this.next(g);
    });
  }

  /** The server at `key` refused a handshake: one at a time from now on, after a pause. */
  refused(key: string): void {
    const g = this.gate(key);
    g.limit = 1;
    g.pausedUntil = Math.max(g.pausedUntil, Date.now() + g.pauseMs);
    g.pauseMs = Math.min(MAX_PAUSE_MS, g.pauseMs * 2);
  }

  /** A handshake to `key` succeeded: the next refusal pauses briefly again. */
  succeeded(key: string): void {
    const g = this.gates.get(key);
    if (g) g.pauseMs = FIRST_PAUSE_MS;
  }

  /** Handshakes allowed at once to `key` (Infinity until a refusal). */
  limitOf(key: string): number {
    return this.gates.get(key)?.limit ?? Infinity;
  }

  private next(g: Gate): void {
    const wait = g.pausedUntil - Date.now();
    if (wait > 0 && g.queue.length) {
      if (!g.timer)
        g.timer = setTimeout(() => {
          g.timer = undefined;
          this.next(g);
        }, wait);
      return;
    }
    while (g.active < g.limit && g.queue.length) g.queue.shift()!();
  }
}
