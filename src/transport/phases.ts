// The phases of a host's life at the SSH boundary. Each has its own deadline, so every await
// there settles: connection phases (--connect-timeout each), the command (--timeout), and a
// dead peer found by keepalives (--keepalive × --keepalive-count). A reason always names the
// phase it ended in.

export type Phase =
  | 'queued'
  | 'tcp connect'
  | 'ssh handshake'
  | 'authentication'
  | 'retry backoff'
  /** connected, between commands: the controller works on what the host sent */
  | 'working'
  | 'channel open'
  | 'become (sudo)'
  | 'stdin write'
  | 'output read'
  | 'close'
  | 'done';

/** Phases in which a deadline or a loss means the host could not be reached (not that a step failed). */
const REACH_PHASES: ReadonlySet<Phase> = new Set(['queued', 'tcp connect', 'ssh handshake', 'authentication', 'retry backoff', 'channel open', 'close']);
export const isReachPhase = (p: Phase): boolean => REACH_PHASES.has(p);

/** Where one host is, for the reason given when something else (a host or run deadline) ends it. */
export class PhaseTrack {
  phase: Phase = 'queued';
  since = Date.now();
  /** connection attempts that were refused and retried */
  retries = 0;

  enter(p: Phase): void {
    this.phase = p;
    this.since = Date.now();
  }

  /** "output read, for 42 s" */
  describe(now = Date.now()): string {
    return `${this.phase}, for ${seconds(now - this.since)}`;
  }
}

/** 1500 -> "1.5 s", 10000 -> "10 s" */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) || s >= 10 ? Math.round(s) : s.toFixed(1)} s`;
}

/**
 * Cut a connection NOW, whatever state its socket is in (ssh2's own destroy() does nothing
 * once the socket stopped being writable, e.g. after end() to a peer that never answers).
 */
export function destroySocket(client: unknown): void {
  const sock = (client as { _sock?: { destroy?: () => void } } | null)?._sock;
  try {
    sock?.destroy?.();
  } catch {
    /* already gone */
  }
}

/** The keepalive settings as a person reads them, for "lost" reasons. */
export function keepaliveWords(intervalMs: number, countMax: number): string {
  return `no answer to ${countMax + 1} keepalives ${seconds(intervalMs)} apart`;
}
