// How every host ends, in every command: results, not exceptions, at the host boundary.
export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped';

export interface HostResult<T = unknown> {
  host: string;
  status: HostStatus;
  /** Why it failed, was unreachable or skipped: cause, expected vs got, and the fix. */
  reason?: string;
  value?: T;
  startedAt: string;
  durationMs: number;
  /** connection attempts the server refused (MaxStartups, reset before the banner) that were retried */
  connectRetries?: number;
}
