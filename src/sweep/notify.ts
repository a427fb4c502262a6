import { masked, maskedUrl, urlSecrets } from '../core/mask.js';
import type { NotifyRecord, RunRecord } from '../run/types.js';
import { minesweepVersion } from '../run/new-record.js';
import { scrubText } from '../report/scrub.js';
import { becameUnreachable, type BaselineDiff, type DiffFinding } from './baseline.js';

// sweep --notify URL: one POST of a JSON summary of the new findings (all findings without
// --baseline). The URL's userinfo becomes a Basic Authorization header and is never sent in
// the URL; whatever is shown of the URL or of an error has userinfo and query values masked.
// A short timeout, one retry (network error, timeout, 429, 5xx), no redirects followed.

export const NOTIFY_SCHEMA = 'minesweep.notify/1';
/** Findings listed in one payload at most; the rest are counted in `omitted`. */
export const NOTIFY_MAX_FINDINGS = 1000;

export interface NotifyPayload {
  schema: typeof NOTIFY_SCHEMA;
  run: string;
  /** the baseline run's id; null without --baseline (then `findings` are all the run's findings) */
  baseline: string | null;
  startedAt: string;
  finishedAt: string;
  controller: string;
  counts: { hosts: number; new: number; gone: number; changed: number; unreachable: number };
  findings: Array<{ host: string; rule: string; severity: string; title: string; family?: string }>;
  /** findings not listed (more than NOTIFY_MAX_FINDINGS) */
  omitted: number;
  /** hosts that became unreachable since the baseline (without one: every unreachable host) */
  unreachable: Array<{ host: string; reason?: string }>;
}

/** The URL of --notify, or why it cannot be one. */
export function parseNotifyUrl(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs (got ${url.protocol.replace(/:$/, '')})`;
  return url;
}

/** The payload for this run: the new findings since the baseline, or all findings when there is none. */
export function notifyPayload(record: RunRecord, diff?: BaselineDiff): NotifyPayload {
  const all: DiffFinding[] = diff?.new ?? record.hosts.flatMap((h) => h.findings.map((f) => ({ host: h.name, rule: f.rule, severity: f.severity, title: f.title, ...(f.family ? { family: f.family } : {}), count: 1 })));
  const unreachable = diff ? becameUnreachable(diff, record) : record.hosts.filter((h) => h.status === 'unreachable').map((h) => ({ host: h.name, ...(h.reason ? { reason: h.reason } : {}) }));
  return {
    schema: NOTIFY_SCHEMA,
    run: record.id,
    baseline: diff?.baseline.run ?? null,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    controller: record.controller.hostname,
    counts: { hosts: record.hosts.length, new: all.length, gone: diff?.gone.length ?? 0, changed: diff?.changed.length ?? 0, unreachable: unreachable.length },
    findings: all.slice(0, NOTIFY_MAX_FINDINGS).map((f) => ({ host: f.host, rule: f.rule, severity: f.severity, title: scrubText(f.title), ...(f.family ? { family: f.family } : {}) })),
    omitted: Math.max(0, all.length - NOTIFY_MAX_FINDINGS),
    unreachable: unreachable.map((u) => ({ ...u, ...(u.reason ? { reason: scrubText(u.reason) } : {}) })),
  };
}

export interface SendOptions {
  /** per attempt; default 10 s */
  timeoutMs?: number;
  /** before the one retry; default 2 s */
  retryDelayMs?: number;
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

/** POST the payload; never throws: the record says whether it was delivered. */
export async function sendNotification(url: URL, payload: NotifyPayload, opts: SendOptions = {}): Promise<NotifyRecord> {
  const secrets = urlSecrets(url);
  const shown = maskedUrl(url);
  const target = new URL(url.href);
  target.username = '';
  target.password = '';
  target.hash = '';
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': `minesweep/${minesweepVersion()}` };
  if (url.username || url.password) headers['authorization'] = `Basic ${Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString('base64')}`;
  const body = JSON.stringify(payload);
  const rec: NotifyRecord = { url: shown, sent: false, attempts: 0, findings: payload.findings.length, at: new Date().toISOString() };
  for (let attempt = 1; attempt <= 2; attempt++) {
    rec.attempts = attempt;
    let again = false;
    try {
      const res = await fetch(target, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      rec.status = res.status;
      if (res.status >= 200 && res.status < 300) {
        rec.sent = true;
        delete rec.error;
        break;
      }
      rec.error = `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (a redirect: not followed)' : ''}`;
      again = retryable(res.status);
    } catch (e) {
      const err = e as Error & { cause?: Error };
      rec.error = masked(err.name === 'TimeoutError' ? `no answer within ${(opts.timeoutMs ?? 10_000) / 1000}s` : `${err.message}${err.cause?.message ? `: ${err.cause.message}` : ''}`, secrets);
      again = true;
    }
    if (!again || attempt === 2) break;
    await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 2_000));
  }
  rec.at = new Date().toISOString();
  return rec;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
